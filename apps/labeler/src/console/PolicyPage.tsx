/**
 * The newest policy of a campaign, prompt by prompt: which response each policy picks, how sure the
 * reward model is (LCB margin) and how much the pessimistic pick could still lose (gap). The sort
 * lives in the URL so a view can be shared and the back button restores it.
 */
import { POLICY_SORTS, type PolicySort } from '@borda/api-contract';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorAlert, Loading } from '../components/feedback';
import { usePolicyCampaign, usePolicyPages } from './policy/api';
import { NoModelYet } from './policy/NoModelYet';
import { PolicySummaryCard } from './policy/PolicySummaryCard';
import { PolicyTable } from './policy/PolicyTable';
import { SortPicker } from './policy/SortPicker';
import './policy/policy.css';

function parseSort(value: string | null): PolicySort {
  return (POLICY_SORTS as readonly string[]).includes(value ?? '') ? (value as PolicySort) : 'prompt';
}

export function PolicyPage() {
  const { campaignId = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const sort = parseSort(searchParams.get('sort'));
  const campaign = usePolicyCampaign(campaignId);
  const pages = usePolicyPages(campaignId, sort);

  const noModelYet = pages.error instanceof ApiError && pages.error.code === 'NO_MODEL_YET';
  const loaded = pages.data?.pages ?? [];
  const entries = loaded.flatMap((page) => page.items);
  const first = loaded[0]?.policy;
  const newest = loaded[loaded.length - 1]?.policy;

  return (
    <div className="policy-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/console/campaigns/${campaignId}`}>{campaign.data?.name ?? 'Campaign'}</Link>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">Policy</span>
      </nav>
      <h1>Policy</h1>
      <p className="muted page-lead">
        Per prompt, the response each policy picks and how sure the reward model is. Open a prompt to see its responses
        ranked with their confidence intervals and the comparisons that decided them.
      </p>

      {pages.isPending && <Loading label="Loading the policy…" />}
      {noModelYet && <NoModelYet campaign={campaign.data} />}
      {pages.isError && !noModelYet && !pages.isFetchNextPageError && (
        <ErrorAlert error={pages.error} title="Could not load the policy" />
      )}

      {first && (
        <>
          <PolicySummaryCard policy={first} />
          {newest && newest.version !== first.version && (
            <div className="alert alert-warning" role="status">
              Policy version {newest.version} arrived while you were paging: later rows follow its order.{' '}
              <button type="button" className="button" onClick={() => pages.refetch()}>
                Reload from the start
              </button>
            </div>
          )}
          <section aria-labelledby="policy-prompts-title" className="policy-prompts">
            <h2 id="policy-prompts-title">Prompts</h2>
            <SortPicker
              value={sort}
              onChange={(next) =>
                setSearchParams(
                  (params) => {
                    params.set('sort', next);
                    return params;
                  },
                  { replace: true },
                )
              }
            />
            {entries.length === 0 ? (
              <p className="muted">This policy has no prompts.</p>
            ) : (
              <div aria-busy={pages.isPlaceholderData || undefined}>
                <PolicyTable campaignId={campaignId} entries={entries} />
              </div>
            )}
            <p className="muted" aria-live="polite">
              Showing {entries.length} prompt{entries.length === 1 ? '' : 's'}
              {pages.hasNextPage ? '' : ' (all)'}.
            </p>
            {pages.isFetchNextPageError && <ErrorAlert error={pages.error} title="Could not load more prompts" />}
            {pages.hasNextPage && (
              <button
                type="button"
                className="button"
                onClick={() => pages.fetchNextPage()}
                disabled={pages.isFetchingNextPage}
              >
                {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </section>
        </>
      )}
    </div>
  );
}
