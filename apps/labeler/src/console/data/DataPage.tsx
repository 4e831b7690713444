/**
 * /console/campaigns/:campaignId/data: the data browser. Every comparison with its prompt, both
 * responses (and their source models), its labels and agreement, filtered by labeler, model,
 * agreement, skips, time taken, prompt metadata and a full-text search. The filters live in the URL,
 * so a view can be shared; rows come in keyset pages ("Load more").
 */
import type { BrowseFacets, BrowsePage, BrowseRow } from '@borda/api-contract';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatDuration } from '../../components/format';
import { ScrollRegion } from '../campaign/ScrollRegion';
import '../campaign/console.css';
import { apiQuery, draftFromParams, type FilterDraft, paramsFromDraft } from './filters';
import './data.css';

const PAGE_SIZE = 50;

const CHOICE_TEXT: Record<string, string> = {
  A: 'A (left)',
  B: 'B (right)',
  tie: 'tie',
  both_bad: 'both bad',
  skip: 'skipped',
};

export function DataPage() {
  const { campaignId = '' } = useParams();
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const query = apiQuery(params);
  const base = `/campaigns/${encodeURIComponent(campaignId)}/browse`;
  const facets = useQuery({
    queryKey: ['browse-facets', campaignId],
    queryFn: () => api.get<BrowseFacets>(`${base}/facets`),
  });
  const rows = useInfiniteQuery({
    queryKey: ['browse', campaignId, query],
    queryFn: ({ pageParam }) =>
      api.get<BrowsePage>(`${base}/comparisons`, { query: { ...query, limit: PAGE_SIZE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const list = rows.data?.pages.flatMap((p) => p.rows) ?? [];

  return (
    <div className="console-page data-page">
      <h1>Data</h1>
      <p>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}`}>Back to the campaign</Link>
      </p>
      <p className="page-lead">
        Every comparison with its labels. Filters combine; the address keeps them, so a view can be shared.
      </p>
      <ErrorAlert error={facets.error} title="The filter choices could not be loaded" />
      {/* Keyed by the URL: back/forward or a shared link resets the form to the filters shown. */}
      <FilterBar key={params.toString()} facets={facets.data} params={params} onApply={(next) => setParams(next)} />
      {rows.isPending && <Loading label="Loading comparisons…" />}
      <ErrorAlert error={rows.error} title="The comparisons could not be loaded" />
      {rows.isSuccess && (
        <p role="status" className="muted">
          {list.length === 0
            ? 'No comparison matches these filters.'
            : `${list.length} comparison${list.length === 1 ? '' : 's'} shown${rows.hasNextPage ? ', more available' : ''}.`}
        </p>
      )}
      {list.length > 0 && <ResultsTable campaignId={campaignId} rows={list} />}
      {rows.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={rows.isFetchingNextPage}
          onClick={() => void rows.fetchNextPage()}
        >
          {rows.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

function FilterBar({
  facets,
  params,
  onApply,
}: {
  facets: BrowseFacets | undefined;
  params: URLSearchParams;
  onApply(next: URLSearchParams): void;
}) {
  const [draft, setDraft] = useState<FilterDraft>(() => draftFromParams(params));
  const set = (name: keyof FilterDraft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));
  const metaValues = facets?.metadata.find((m) => m.key === draft.metaKey)?.values ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(paramsFromDraft(draft));
  };

  return (
    <form className="card data-filters" onSubmit={submit} aria-label="Filters">
      <div className="form-row">
        <div className="field">
          <label htmlFor="data-q">Search prompts and responses</label>
          <input id="data-q" type="search" value={draft.q} onChange={set('q')} />
        </div>
        <div className="field">
          <label htmlFor="data-labeler">Labeler</label>
          <select id="data-labeler" value={draft.labeler} onChange={set('labeler')}>
            <option value="">Any labeler</option>
            {facets?.labelers.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.labels})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="data-model">Model (either side)</label>
          <select id="data-model" value={draft.model} onChange={set('model')}>
            <option value="">Any model</option>
            {facets?.models.map((m) => (
              <option key={m.model} value={m.model}>
                {m.model}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="data-agreement">Agreement</label>
          <select id="data-agreement" value={draft.agreement} onChange={set('agreement')}>
            <option value="">Any</option>
            <option value="unanimous">Unanimous</option>
            <option value="split">Split decision</option>
            <option value="single">One judgment</option>
            <option value="none">No judgment</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="data-skipped">Skips</label>
          <select id="data-skipped" value={draft.skipped} onChange={set('skipped')}>
            <option value="">Any</option>
            <option value="true">Skipped by someone</option>
            <option value="false">Never skipped</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="data-min">Time taken at least (seconds)</label>
          <input id="data-min" type="number" min={0} step="any" value={draft.minSeconds} onChange={set('minSeconds')} />
        </div>
        <div className="field">
          <label htmlFor="data-max">Time taken at most (seconds)</label>
          <input id="data-max" type="number" min={0} step="any" value={draft.maxSeconds} onChange={set('maxSeconds')} />
        </div>
        <div className="field">
          <label htmlFor="data-meta-key">Metadata key</label>
          <select id="data-meta-key" value={draft.metaKey} onChange={set('metaKey')}>
            <option value="">None</option>
            {facets?.metadata.map((m) => (
              <option key={m.key} value={m.key}>
                {m.key}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="data-meta-value">Metadata value</label>
          <input
            id="data-meta-value"
            list="data-meta-values"
            value={draft.metaValue}
            disabled={draft.metaKey === ''}
            onChange={set('metaValue')}
          />
          <datalist id="data-meta-values">
            {metaValues.map((v) => (
              <option key={v.value} value={v.value} />
            ))}
          </datalist>
        </div>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button type="button" className="button" onClick={() => onApply(new URLSearchParams())}>
          Clear
        </button>
      </div>
    </form>
  );
}

function ResultsTable({ campaignId, rows }: { campaignId: string; rows: readonly BrowseRow[] }) {
  const view = (row: BrowseRow, labelId?: string) =>
    `/console/campaigns/${encodeURIComponent(campaignId)}/comparisons/${row.id}${labelId ? `?label=${labelId}` : ''}`;
  return (
    <ScrollRegion label="Comparisons, scrollable" className="card">
      <table className="data-table">
        <caption>Comparisons and their labels</caption>
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col">First response</th>
            <th scope="col">Second response</th>
            <th scope="col">Labels</th>
            <th scope="col">Agreement</th>
            <th scope="col">Skips</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-comparison-id={row.id}>
              <th scope="row">
                <Link to={view(row)}>{row.promptExcerpt || row.promptExternalId}</Link>
                {(row.gold || row.yardstick) && (
                  <span className="muted small">
                    {' '}
                    {[row.gold && 'gold', row.yardstick && 'yardstick'].filter(Boolean).join(', ')}
                  </span>
                )}
              </th>
              {[row.first, row.second].map((r) => (
                <td key={r.id}>
                  <span className="data-excerpt">{r.excerpt}</span>
                  <br />
                  <span className="muted small">{r.sourceModel ?? 'model unknown'}</span>
                </td>
              ))}
              <td>
                {row.labels.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="data-labels">
                    {row.labels.map((l) => (
                      <li key={l.id}>
                        <Link
                          to={view(row, l.id)}
                          aria-label={`${l.labeler.name}: ${CHOICE_TEXT[l.choice]}, as they saw it`}
                        >
                          {l.labeler.name}
                        </Link>
                        : {CHOICE_TEXT[l.choice]}
                        {l.strength ? ` (${l.strength})` : ''}, {formatDuration(l.timeTakenMs)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{row.agreement === 'split' ? <strong>split</strong> : row.agreement}</td>
              <td className="numeric">{row.skipped}</td>
              <td>{row.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
