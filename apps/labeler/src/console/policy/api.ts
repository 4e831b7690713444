/** The policy screens' reads: the newest policy version page by page, one prompt's detail, the campaign. */
import type { CampaignView, PolicyPage, PolicyPromptDetail, PolicySort } from '@borda/api-contract';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useApi } from '../../auth/session';

export const POLICY_PAGE_SIZE = 50;

/** Pages of the newest policy; while another sort loads, the previous rows stay (marked busy). */
export function usePolicyPages(campaignId: string, sort: PolicySort) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['policy', campaignId, 'entries', sort],
    queryFn: ({ pageParam, signal }) =>
      api.get<PolicyPage>(`/campaigns/${encodeURIComponent(campaignId)}/policy`, {
        query: { sort, limit: POLICY_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Only another sort of the same campaign stands in: never a different campaign's rows.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === campaignId ? previous : undefined),
  });
}

export function usePolicyPrompt(campaignId: string, promptId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['policy', campaignId, 'prompt', promptId],
    queryFn: ({ signal }) =>
      api.get<PolicyPromptDetail>(
        `/campaigns/${encodeURIComponent(campaignId)}/policy/prompts/${encodeURIComponent(promptId)}`,
        { signal },
      ),
  });
}

/** The campaign itself: its name for the heading and, before the first fit, how many labels one needs. */
export function usePolicyCampaign(campaignId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['policy', campaignId, 'campaign'],
    queryFn: ({ signal }) => api.get<CampaignView>(`/campaigns/${encodeURIComponent(campaignId)}`, { signal }),
  });
}
