/** The lifecycle moves and "retrain now", each re-reading the campaign when it settles (success or not). */
import type { CampaignView } from '@borda/api-contract';
import { useMutation } from '@tanstack/react-query';
import { useApi } from '../../auth/session';
import { useRefreshCampaign } from './queries';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'complete' | 'archive' | 'retrain';

export type ActionAnswer = CampaignView | { readonly queued: true; readonly labelCount: number };

export function useCampaignAction(campaignId: string) {
  const api = useApi();
  const refresh = useRefreshCampaign(campaignId);
  return useMutation({
    mutationFn: (action: CampaignAction) => api.post<ActionAnswer>(`/campaigns/${campaignId}/${action}`),
    // Even a refused move (INVALID_TRANSITION after someone else's change) means our copy is stale.
    onSettled: () => refresh(),
  });
}
