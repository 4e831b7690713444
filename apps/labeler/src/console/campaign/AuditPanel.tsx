/**
 * The campaign's activity: who did what, and when, from GET /campaigns/:id/audit (newest first,
 * paged with `before` = the last id seen). Read under the campaign's key, so a change refreshes it.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi, useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatDateTime } from '../../components/format';
import { campaignKeys } from './queries';
import { ScrollRegion } from './ScrollRegion';

/** One audit row as the API sends it (the contract has no type for it). */
export interface AuditEntry {
  readonly id: number;
  readonly actorId: string | null;
  readonly campaignId: string | null;
  readonly action: string;
  readonly details: Record<string, unknown> | null;
  readonly createdAt: string;
}

export const AUDIT_PAGE_SIZE = 25;

const ACTION_LABELS: Record<string, string> = {
  'campaign.created': 'Created the campaign',
  'campaign.updated': 'Changed settings',
  'campaign.imported': 'Imported prompts',
  'campaign.labelers_set': 'Changed assigned labelers',
  'campaign.retrain': 'Asked for a retrain',
  'campaign.start': 'Started the campaign',
  'campaign.pause': 'Paused the campaign',
  'campaign.resume': 'Resumed the campaign',
  'campaign.complete': 'Completed the campaign',
  'campaign.archive': 'Archived the campaign',
  export: 'Exported data',
};

function shortValue(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? 'item' : 'items'}`;
  if (value !== null && typeof value === 'object') return summariseDetails(value as Record<string, unknown>);
  const text = typeof value === 'string' ? `“${value}”` : String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** "budget: 2000, name: “v2”" — enough to see what happened; the full record stays in the API. */
export function summariseDetails(details: Record<string, unknown> | null): string {
  if (!details) return '';
  // A settings change nests its fields under `changes`: show those directly.
  const shown = details.changes && typeof details.changes === 'object' ? details.changes : details;
  return Object.entries(shown as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${shortValue(value)}`)
    .join(', ');
}

export function AuditPanel({ campaignId }: { campaignId: string }) {
  const api = useApi();
  const { user } = useSession();
  const audit = useInfiniteQuery({
    queryKey: campaignKeys.part(campaignId, 'audit'),
    queryFn: ({ pageParam }) =>
      api.get<AuditEntry[]>(`/campaigns/${campaignId}/audit`, {
        query: { limit: AUDIT_PAGE_SIZE, before: pageParam },
      }),
    initialPageParam: undefined as number | undefined,
    // A short page is the last one.
    getNextPageParam: (last) => (last.length === AUDIT_PAGE_SIZE ? last[last.length - 1].id : undefined),
  });
  const entries = audit.data?.pages.flat() ?? [];
  const who = (actorId: string | null) =>
    actorId === null ? 'System' : actorId === user?.id ? 'You' : `User ${actorId.slice(0, 8)}`;

  return (
    <div className="audit-panel">
      {audit.isPending && <Loading label="Loading activity…" />}
      <ErrorAlert error={audit.error} title="Activity could not be loaded" />
      {audit.isSuccess && entries.length === 0 && <p className="muted">Nothing has happened to this campaign yet.</p>}
      {entries.length > 0 && (
        <ScrollRegion label="Activity, scrollable">
          <table>
            <caption>Activity, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  </td>
                  <td>{who(entry.actorId)}</td>
                  <td>{ACTION_LABELS[entry.action] ?? entry.action}</td>
                  <td>{summariseDetails(entry.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {audit.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {audit.isFetchingNextPage ? 'Loading more activity…' : 'Load more activity'}
        </button>
      )}
    </div>
  );
}
