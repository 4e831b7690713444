/** A prompt's responses, best posterior mean first, with every policy's view of each. */
import type { PolicyPicks, PolicyPromptDetail } from '@borda/api-contract';
import { ClampedText } from './ClampedText';
import { formatNumber, formatPercent } from '../../components/format';

type Response = PolicyPromptDetail['responses'][number];

const POLICY_NAMES = ['greedy', 'pessimistic', 'soft', 'dpo'] as const;

export const POLICY_HINTS: Record<(typeof POLICY_NAMES)[number], string> = {
  greedy: 'greedy: highest posterior mean',
  pessimistic: 'pessimistic: highest LCB (the pick the gap certificate covers)',
  soft: 'soft: most likely under the KL-regularised soft policy',
  dpo: 'dpo: most likely under the DPO policy network',
};

export function pickedBy(picks: PolicyPicks, responseId: string): (typeof POLICY_NAMES)[number][] {
  return POLICY_NAMES.filter((name) => picks[name] === responseId);
}

/** The anchor of a response's card, so comparisons can link to it. */
export const responseAnchor = (responseId: string) => `response-${responseId}`;

function PickBadges({ names }: { names: readonly (typeof POLICY_NAMES)[number][] }) {
  if (names.length === 0) return null;
  return (
    <ul className="pick-badges" aria-label="Picked by">
      {names.map((name) => (
        <li key={name} className={`badge pick-badge pick-${name}`} title={POLICY_HINTS[name]}>
          {name}
        </li>
      ))}
    </ul>
  );
}

function ResponseCard({ response, picks }: { response: Response; picks: PolicyPicks }) {
  const titleId = `${responseAnchor(response.responseId)}-title`;
  return (
    <li className="card response-card" id={responseAnchor(response.responseId)} aria-labelledby={titleId}>
      <div className="response-card-head">
        <h3 id={titleId}>
          Rank {response.rank} <span className="muted">· ordinal {response.ordinal}</span>
        </h3>
        <PickBadges names={pickedBy(picks, response.responseId)} />
      </div>
      <dl className="stat-list stat-list-compact">
        <div>
          <dt>Posterior mean ± std</dt>
          <dd>
            {formatNumber(response.mean)} ± {formatNumber(response.std)}
          </dd>
        </div>
        <div>
          <dt>LCB … UCB</dt>
          <dd>
            {formatNumber(response.lcb)} … {formatNumber(response.ucb)}
          </dd>
        </div>
        <div>
          <dt>Soft policy</dt>
          <dd>{formatPercent(response.softProbability, 1)}</dd>
        </div>
        {response.dpoProbability !== null && (
          <div>
            <dt>DPO policy</dt>
            <dd>{formatPercent(response.dpoProbability, 1)}</dd>
          </div>
        )}
      </dl>
      <ClampedText text={response.text} label={`rank ${response.rank}`} />
    </li>
  );
}

export function ResponseRanking({ responses, picks }: { responses: readonly Response[]; picks: PolicyPicks }) {
  const ranked = [...responses].sort((a, b) => a.rank - b.rank);
  return (
    <ol className="response-list" aria-label="Responses ranked by posterior mean">
      {ranked.map((response) => (
        <ResponseCard key={response.responseId} response={response} picks={picks} />
      ))}
    </ol>
  );
}
