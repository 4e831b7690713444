/** What the newest policy version is built on and how far its policies agree. */
import type { PolicyVersionInfo } from '@borda/api-contract';
import { formatDateTime, formatNumber, formatPercent } from '../../components/format';

export function PolicySummaryCard({ policy }: { policy: PolicyVersionInfo }) {
  const { summary } = policy;
  const confidentShare = summary.prompts > 0 ? summary.confidentPrompts / summary.prompts : null;
  return (
    <section className="card policy-summary" aria-labelledby="policy-summary-title">
      <h2 id="policy-summary-title">Policy version {policy.version}</h2>
      <dl className="stat-list">
        <div>
          <dt>Reward model</dt>
          <dd>v{policy.modelVersion}</dd>
        </div>
        <div>
          <dt>Labels fitted on</dt>
          <dd>{policy.labelCount}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(policy.createdAt)}</dd>
        </div>
        <div>
          <dt>Confident prompts</dt>
          <dd>
            {summary.confidentPrompts} / {summary.prompts}{' '}
            <span className="muted">({formatPercent(confidentShare, 0)})</span>
          </dd>
        </div>
        <div>
          <dt>Pessimistic agrees with greedy</dt>
          <dd>{formatPercent(summary.agreement.pessimistic, 0)}</dd>
        </div>
        <div>
          <dt>Soft agrees with greedy</dt>
          <dd>{formatPercent(summary.agreement.soft, 0)}</dd>
        </div>
        <div>
          <dt>DPO agrees with greedy</dt>
          <dd>{summary.agreement.dpo === null ? 'no DPO policy' : formatPercent(summary.agreement.dpo, 0)}</dd>
        </div>
        <div>
          <dt>β (confidence width)</dt>
          <dd>{formatNumber(summary.beta, 2)}</dd>
        </div>
        <div>
          <dt>Soft-policy temperature</dt>
          <dd>{formatNumber(summary.softTemperature, 2)}</dd>
        </div>
        {summary.dpo && (
          <div>
            <dt>DPO training</dt>
            <dd>
              {summary.dpo.trainPairs} pairs, final loss {formatNumber(summary.dpo.finalLoss)}, β{' '}
              {formatNumber(summary.dpo.beta, 2)}
            </dd>
          </div>
        )}
      </dl>
      <p className="muted policy-summary-note">
        A prompt is confident when its greedy pick&apos;s lower confidence bound beats every other response&apos;s upper
        bound (LCB margin &gt; 0).
      </p>
    </section>
  );
}
