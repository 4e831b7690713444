/** The source-model leaderboard query (GET /campaigns/:id/source-models). */
import type { SourceModelLeaderboard } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../auth/session';

export interface SourceModelFilter {
  /** Prompt metadata key and value ('' key: no filter). */
  readonly key: string;
  readonly value: string;
  readonly weights: 'none' | 'reliability';
}

export function sourceModelsQuery(filter: SourceModelFilter): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.weights !== 'none') query.weights = filter.weights;
  if (filter.key.trim()) query[`meta.${filter.key.trim()}`] = filter.value;
  return query;
}

export function useSourceModels(campaignId: string, filter: SourceModelFilter) {
  const api = useApi();
  return useQuery({
    queryKey: ['source-models', campaignId, filter],
    queryFn: () =>
      api.get<SourceModelLeaderboard>(`/campaigns/${encodeURIComponent(campaignId)}/source-models`, {
        query: sourceModelsQuery(filter),
      }),
  });
}
