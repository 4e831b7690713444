/**
 * The reads of the campaign pages, with one key scheme: everything about a campaign lives under
 * ['campaigns', id], so one invalidation after an action refreshes the whole dashboard.
 */
import type {
  PolicyVersionList,
  CampaignLabelerView,
  CampaignStats,
  CampaignView,
  CatalogResponse,
  CertificateResponse,
  JobRunView,
  ModelVersionDetail,
  ModelVersionSummary,
  Page,
  UserView,
} from '@borda/api-contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from '../../api/client';
import { useApi } from '../../auth/session';

/** How often a live campaign's numbers are re-read. */
export const LIVE_REFRESH_MS = 5_000;

export const campaignKeys = {
  list: ['campaigns', 'list'] as const,
  campaign: (id: string) => ['campaigns', id] as const,
  part: (id: string, ...part: (string | number)[]) => ['campaigns', id, ...part] as const,
};

/**
 * The stats aggregate every label of the campaign (about 0.5 s of Postgres at 100k labels), so an
 * open dashboard asks for them less often than for the cheap reads.
 */
export const STATS_REFRESH_MS = 20_000;

const every = (live: boolean, ms = LIVE_REFRESH_MS) => (live ? ms : false);

export function useCampaignList() {
  const api = useApi();
  return useQuery({ queryKey: campaignKeys.list, queryFn: () => api.get<CampaignView[]>('/campaigns') });
}

export function useCatalog() {
  const api = useApi();
  return useQuery({ queryKey: ['catalog'], queryFn: () => api.get<CatalogResponse>('/catalog'), staleTime: Infinity });
}

/** Every labeler account (the candidates for assignment). */
export function useLabelerAccounts() {
  const api = useApi();
  return useQuery({
    queryKey: ['users', 'labeler'],
    queryFn: () => api.get<UserView[]>('/users', { query: { role: 'labeler' } }),
    staleTime: 60_000,
  });
}

export function useCampaign(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.campaign(id),
    queryFn: () => api.get<CampaignView>(`/campaigns/${id}`),
    refetchInterval: (query) => every(query.state.data?.status === 'active'),
  });
}

export function useCampaignStats(id: string, live: boolean, enabled = true) {
  const api = useApi();
  return useQuery({
    enabled,
    queryKey: campaignKeys.part(id, 'stats'),
    queryFn: () => api.get<CampaignStats>(`/campaigns/${id}/stats`),
    refetchInterval: every(live, STATS_REFRESH_MS),
  });
}

/**
 * The certificate history, or null before the first reward model. Asked only once a model version
 * exists (`hasModel`), so a young campaign causes no 409 in the browser's console; a NO_MODEL_YET
 * that still comes (a race with a rollback) is an answer too, not a failure.
 */
export function useCertificate(id: string, live: boolean, hasModel: boolean) {
  const api = useApi();
  return useQuery({
    enabled: hasModel,
    queryKey: campaignKeys.part(id, 'certificate'),
    queryFn: async () => {
      try {
        return await api.get<CertificateResponse>(`/campaigns/${id}/certificate`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NO_MODEL_YET') return null;
        throw error;
      }
    },
    refetchInterval: every(live),
  });
}

export function useModelVersions(id: string, live: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.part(id, 'models'),
    queryFn: () => api.get<Page<ModelVersionSummary>>(`/campaigns/${id}/models`, { query: { limit: 200 } }),
    refetchInterval: every(live),
  });
}

/** Every policy version's summary (its churn against the one before), newest first. */
export function usePolicyVersions(id: string, live: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.part(id, 'policy-versions'),
    queryFn: () => api.get<PolicyVersionList>(`/campaigns/${id}/policy/versions`, { query: { limit: 200 } }),
    refetchInterval: every(live),
  });
}

/** One version's detail (calibration bins); a version never changes, so it is read once. */
export function useModelVersion(id: string, version: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.part(id, 'models', version ?? 0),
    queryFn: () => api.get<ModelVersionDetail>(`/campaigns/${id}/models/${version}`),
    enabled: version !== undefined,
    staleTime: Infinity,
  });
}

function hasUnfinishedJob(jobs: readonly JobRunView[] | undefined): boolean {
  return jobs?.some((job) => job.state === 'queued' || job.state === 'active') ?? false;
}

/** Job runs; re-read while the campaign is live or any job is still queued or running (a draft featurizes too). */
export function useJobs(id: string, live: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.part(id, 'jobs'),
    queryFn: () => api.get<JobRunView[]>(`/campaigns/${id}/jobs`, { query: { limit: 50 } }),
    refetchInterval: (query) => every(live || hasUnfinishedJob(query.state.data)),
  });
}

export function useAssignedLabelers(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: campaignKeys.part(id, 'labelers'),
    queryFn: () => api.get<CampaignLabelerView[]>(`/campaigns/${id}/labelers`),
  });
}

/** Re-reads everything about a campaign (and the campaign list) after a change. */
export function useRefreshCampaign(id: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: campaignKeys.campaign(id) }),
      queryClient.invalidateQueries({ queryKey: campaignKeys.list }),
    ]);
  }, [queryClient, id]);
}
