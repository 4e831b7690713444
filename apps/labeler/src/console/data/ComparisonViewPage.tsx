/**
 * /console/campaigns/:campaignId/comparisons/:comparisonId[?label=…]: one comparison as a labeler saw
 * it: the prompt, responses A (left) and B (right) in that label's assignment order, rendered by the
 * comparison screen's own response panel (the same Markdown sanitisation), and every label given.
 */
import type { BrowseComparison, BrowseLabel } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatDateTime, formatDuration } from '../../components/format';
import { Markdown } from '../../components/Markdown';
import { toTurns } from '../../labeling/PromptThread';
import { ResponsePanel } from '../../labeling/ResponsePanel';
import '../../labeling/labeling.css';
import { ScrollRegion } from '../campaign/ScrollRegion';
import '../campaign/console.css';
import './data.css';

const OUTCOME_TEXT: Record<BrowseLabel['outcome'], string> = {
  first: 'first response better',
  second: 'second response better',
  tie: 'tie',
  both_bad: 'both bad',
  skip: 'skipped',
};

export function ComparisonViewPage() {
  const { campaignId = '', comparisonId = '' } = useParams();
  const [params] = useSearchParams();
  const labelId = params.get('label') ?? undefined;
  const api = useApi();
  const comparison = useQuery({
    queryKey: ['browse-comparison', campaignId, comparisonId, labelId],
    queryFn: () =>
      api.get<BrowseComparison>(
        `/campaigns/${encodeURIComponent(campaignId)}/browse/comparisons/${encodeURIComponent(comparisonId)}`,
        { query: { label: labelId } },
      ),
  });
  const c = comparison.data;
  const shown = c?.labels.find((l) => l.id === c.shownFor);
  const self = `/console/campaigns/${encodeURIComponent(campaignId)}/comparisons/${encodeURIComponent(comparisonId)}`;

  return (
    <div className="console-page data-view-page">
      <h1>Comparison</h1>
      <p>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}/data`}>Back to the data</Link>
      </p>
      {comparison.isPending && <Loading label="Loading the comparison…" />}
      <ErrorAlert error={comparison.error} title="The comparison could not be loaded" />
      {c && (
        <>
          <p className="page-lead">
            {shown
              ? `As ${shown.labeler.name} saw it: they answered ${shown.choice === 'skip' ? 'skip' : shown.choice}.`
              : 'No label yet: shown with the first response on the left.'}{' '}
            State {c.state}
            {c.gold ? ', gold' : ''}
            {c.yardstick ? ', yardstick' : ''}.
          </p>
          <ViewPrompt prompt={c.prompt} />
          <div className="responses data-view-sides">
            <div>
              <ResponsePanel side="A" text={c.left.text} />
              <p className="muted small">Model: {c.left.sourceModel ?? 'unknown'} (hidden from labelers)</p>
            </div>
            <div>
              <ResponsePanel side="B" text={c.right.text} />
              <p className="muted small">Model: {c.right.sourceModel ?? 'unknown'} (hidden from labelers)</p>
            </div>
          </div>
          <h2>Labels</h2>
          {c.labels.length === 0 ? (
            <p className="muted">No labels yet.</p>
          ) : (
            <ScrollRegion label="Labels, scrollable" className="card">
              <table>
                <caption>Every label of this comparison</caption>
                <thead>
                  <tr>
                    <th scope="col">Labeler</th>
                    <th scope="col">Answer (their sides)</th>
                    <th scope="col">Meaning</th>
                    <th scope="col">Strength</th>
                    <th scope="col">Time taken</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">Rationale</th>
                  </tr>
                </thead>
                <tbody>
                  {c.labels.map((l) => (
                    <tr key={l.id} aria-current={l.id === c.shownFor ? 'true' : undefined}>
                      <th scope="row">
                        {l.id === c.shownFor ? (
                          <strong>{l.labeler.name} (shown)</strong>
                        ) : (
                          <Link to={`${self}?label=${l.id}`}>Show as {l.labeler.name} saw it</Link>
                        )}
                      </th>
                      <td>{l.choice}</td>
                      <td>{OUTCOME_TEXT[l.outcome]}</td>
                      <td className="numeric">{l.strength ?? '—'}</td>
                      <td className="numeric">{formatDuration(l.timeTakenMs)}</td>
                      <td>{formatDateTime(l.submittedAt)}</td>
                      <td>{l.rationale ?? l.skipReason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </>
      )}
    </div>
  );
}

function ViewPrompt({ prompt }: { prompt: BrowseComparison['prompt'] }) {
  const turns = toTurns(Array.isArray(prompt.messages) ? (prompt.messages as unknown[]) : null);
  return (
    <section className="prompt" aria-label="Prompt">
      <h2>Prompt</h2>
      {turns ? (
        <ol className="thread">
          {turns.map((turn, index) => (
            <li key={index} className="turn">
              <span className="turn-role">{turn.role}</span>
              <Markdown text={turn.content} />
            </li>
          ))}
        </ol>
      ) : (
        <Markdown text={prompt.text ?? ''} />
      )}
    </section>
  );
}
