/** The labeler's counts for one campaign: one query (and cache entry) for the home page and the comparison page. */
import type { LabelerProgress } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../auth/session';

export const progressKey = (campaignId: string) => ['labeling', campaignId, 'progress'] as const;

export function useLabelerProgress(
  campaignId: string,
  options: { enabled?: boolean; refetchInterval?: number | false } = {},
) {
  const api = useApi();
  return useQuery({
    queryKey: progressKey(campaignId),
    queryFn: () => api.get<LabelerProgress>(`/campaigns/${encodeURIComponent(campaignId)}/progress`),
    ...options,
  });
}
