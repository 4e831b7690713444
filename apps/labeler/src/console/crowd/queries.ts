/** Queries and mutations of the crowd-quality page (gold, labeler standing, review queue). */
import type { CrowdLabelerView, GoldSummary, ReviewItem } from '@borda/api-contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/session';

export const crowdKeys = {
  all: (campaignId: string) => ['crowd', campaignId] as const,
  labelers: (campaignId: string) => ['crowd', campaignId, 'labelers'] as const,
  gold: (campaignId: string) => ['crowd', campaignId, 'gold'] as const,
  review: (campaignId: string) => ['crowd', campaignId, 'review'] as const,
};

const base = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId)}`;

export function useCrowdLabelers(campaignId: string) {
  const api = useApi();
  return useQuery({
    queryKey: crowdKeys.labelers(campaignId),
    queryFn: () => api.get<CrowdLabelerView[]>(`${base(campaignId)}/crowd/labelers`),
  });
}

export function useGold(campaignId: string) {
  const api = useApi();
  return useQuery({
    queryKey: crowdKeys.gold(campaignId),
    queryFn: () => api.get<GoldSummary>(`${base(campaignId)}/gold`),
  });
}

export function useReview(campaignId: string) {
  const api = useApi();
  return useQuery({
    queryKey: crowdKeys.review(campaignId),
    queryFn: () => api.get<ReviewItem[]>(`${base(campaignId)}/review`),
  });
}

/** A POST under the campaign that refreshes everything on this page when it succeeds. */
export function useCrowdAction<Body>(
  campaignId: string,
  path: (body: Body) => string,
  method: 'POST' | 'PATCH' = 'POST',
) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) =>
      method === 'POST'
        ? api.post<unknown>(`${base(campaignId)}${path(body)}`, body)
        : api.patch<unknown>(`${base(campaignId)}${path(body)}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: crowdKeys.all(campaignId) }),
  });
}
