/** The simulation screens' reads and the launch: catalog, list, one simulation (polled while it runs). */
import type {
  CatalogResponse,
  CreateSimulationRequest,
  Page,
  SimulationStateName,
  SimulationView,
} from '@borda/api-contract';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/session';

export const SIMULATION_PAGE_SIZE = 20;
/** How often a queued or running simulation is re-read. */
export const DEFAULT_POLL_MS = 1_500;

export const isUnfinished = (state: SimulationStateName) => state === 'queued' || state === 'running';

export function useCatalog() {
  const api = useApi();
  return useQuery({
    queryKey: ['catalog'],
    queryFn: ({ signal }) => api.get<CatalogResponse>('/catalog', { signal }),
    // The registries change only with a deploy.
    staleTime: 10 * 60_000,
  });
}

export function useSimulationList(pollMs = DEFAULT_POLL_MS * 2) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['simulations', 'list'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<SimulationView>>('/simulations', {
        query: { limit: SIMULATION_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Keep the progress bars moving while anything in the list still runs.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((s) => isUnfinished(s.state))) ? pollMs : false,
  });
}

export function useSimulation(simulationId: string, pollMs = DEFAULT_POLL_MS) {
  const api = useApi();
  return useQuery({
    queryKey: ['simulations', 'one', simulationId],
    queryFn: ({ signal }) => api.get<SimulationView>(`/simulations/${encodeURIComponent(simulationId)}`, { signal }),
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state && isUnfinished(state) ? pollMs : false;
    },
    // Progress must not pause while the researcher looks at another tab.
    refetchIntervalInBackground: true,
  });
}

export function useLaunchSimulation(onLaunched: (simulation: SimulationView) => void) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSimulationRequest) => api.post<SimulationView>('/simulations', body),
    onSuccess: async (simulation) => {
      queryClient.setQueryData(['simulations', 'one', simulation.id], simulation);
      await queryClient.invalidateQueries({ queryKey: ['simulations', 'list'] });
      onLaunched(simulation);
    },
  });
}
