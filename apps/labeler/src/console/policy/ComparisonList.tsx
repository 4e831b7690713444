/** The labelled comparisons on one prompt, newest first, each label read as the response it favoured. */
import type { PolicyPromptComparison, PolicyPromptDetail, PolicyPromptLabel } from '@borda/api-contract';
import { ClampedText } from './ClampedText';
import { formatDateTime, formatDuration, formatNumber } from '../../components/format';
import { CHOICE_TEXT, choiceContradictsOutcome, favouredResponseId, outcomeText, STRENGTH_TEXT } from './labels';
import { responseAnchor } from './ResponseRanking';

type Response = PolicyPromptDetail['responses'][number];
type ResponsesById = ReadonlyMap<string, Response>;

export function responseName(responses: ResponsesById, responseId: string): string {
  const response = responses.get(responseId);
  return response ? `rank ${response.rank} (ordinal ${response.ordinal})` : 'a response outside this policy';
}

function ResponseRef({ responses, responseId }: { responses: ResponsesById; responseId: string }) {
  if (!responses.has(responseId)) return <span>{responseName(responses, responseId)}</span>;
  return <a href={`#${responseAnchor(responseId)}`}>{responseName(responses, responseId)}</a>;
}

function Favoured({
  comparison,
  label,
  responses,
}: {
  comparison: PolicyPromptComparison;
  label: PolicyPromptLabel;
  responses: ResponsesById;
}) {
  const favoured = favouredResponseId(label);
  if (favoured === null) {
    return (
      <span>{label.choice === 'tie' ? 'neither (tie)' : label.choice === 'both_bad' ? 'neither (both bad)' : '—'}</span>
    );
  }
  return (
    <span>
      <ResponseRef responses={responses} responseId={favoured} />
      {choiceContradictsOutcome(comparison, label) && (
        <strong className="label-warning"> (stored outcome says the other response)</strong>
      )}
    </span>
  );
}

function LabelTable({ comparison, responses }: { comparison: PolicyPromptComparison; responses: ResponsesById }) {
  return (
    <div className="table-scroll">
      <table
        className="label-table"
        aria-label={`Labels of the comparison of ${responseName(responses, comparison.firstResponseId)} and ${responseName(responses, comparison.secondResponseId)}`}
      >
        <thead>
          <tr>
            <th scope="col">Labeler</th>
            <th scope="col">Choice</th>
            <th scope="col">Favoured</th>
            <th scope="col">Outcome</th>
            <th scope="col">Strength</th>
            <th scope="col">Time taken</th>
            <th scope="col">Rationale / skip reason</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {comparison.labels.map((label) => (
            <tr key={label.id}>
              <td>{label.labelerName}</td>
              <td>{CHOICE_TEXT[label.choice]}</td>
              <td>
                <Favoured comparison={comparison} label={label} responses={responses} />
              </td>
              <td>{outcomeText(label.outcome)}</td>
              <td>{label.strength === null ? '—' : (STRENGTH_TEXT[label.strength] ?? String(label.strength))}</td>
              <td>{formatDuration(label.timeTakenMs)}</td>
              <td className="label-notes">
                {label.rationale ?? (label.skipReason ? `Skipped: ${label.skipReason}` : '—')}
              </td>
              <td>{formatDateTime(label.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ComparisonCard({ comparison, responses }: { comparison: PolicyPromptComparison; responses: ResponsesById }) {
  const first = responses.get(comparison.firstResponseId);
  const second = responses.get(comparison.secondResponseId);
  return (
    <li className="card comparison-card">
      <h3>
        <ResponseRef responses={responses} responseId={comparison.firstResponseId} /> vs{' '}
        <ResponseRef responses={responses} responseId={comparison.secondResponseId} />
      </h3>
      <p className="muted comparison-meta">
        Strategy <strong>{comparison.strategy}</strong> · score {formatNumber(comparison.score)} ·{' '}
        {comparison.modelVersion === null
          ? 'chosen before the first model'
          : `chosen by model v${comparison.modelVersion}`}{' '}
        · {comparison.state} · {formatDateTime(comparison.createdAt)}
      </p>
      {first && second && (
        <details className="comparison-texts">
          <summary>Show both responses</summary>
          <div className="grid-2">
            <div>
              <h4>First: {responseName(responses, first.responseId)}</h4>
              <ClampedText text={first.text} label="the first response" />
            </div>
            <div>
              <h4>Second: {responseName(responses, second.responseId)}</h4>
              <ClampedText text={second.text} label="the second response" />
            </div>
          </div>
        </details>
      )}
      <LabelTable comparison={comparison} responses={responses} />
    </li>
  );
}

export function ComparisonList({
  comparisons,
  responses,
}: {
  comparisons: readonly PolicyPromptComparison[];
  responses: readonly Response[];
}) {
  if (comparisons.length === 0) {
    return <p className="muted">No labelled comparisons on this prompt yet: its ranking comes from the model alone.</p>;
  }
  const byId = new Map(responses.map((r) => [r.responseId, r]));
  // The API sends newest first already; sorting again keeps that true whatever the source.
  const newestFirst = [...comparisons].sort((a, b) =>
    a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1,
  );
  return (
    <ol className="comparison-list">
      {newestFirst.map((comparison) => (
        <ComparisonCard key={comparison.id} comparison={comparison} responses={byId} />
      ))}
    </ol>
  );
}
