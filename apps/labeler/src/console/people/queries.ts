/**
 * The accounts list, one query per role filter. Keys live under ['users'] like the campaign form's
 * labeler list, so invalidating ['users'] after adding someone refreshes every list of people.
 */
import type { Role, UserView } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../auth/session';

export type RoleFilter = Role | 'all';

export const peopleKeys = {
  all: ['users'] as const,
  list: (filter: RoleFilter) => ['users', 'people', filter] as const,
};

export function usePeople(filter: RoleFilter) {
  const api = useApi();
  return useQuery({
    queryKey: peopleKeys.list(filter),
    queryFn: () => api.get<UserView[]>('/users', { query: { role: filter === 'all' ? undefined : filter } }),
  });
}
