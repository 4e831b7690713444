/**
 * One prompt under the newest policy: the prompt, its responses ranked with their confidence
 * intervals and each policy's pick, and the labelled comparisons that decided the ranking.
 */
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorAlert, Loading } from '../components/feedback';
import { usePolicyCampaign, usePolicyPrompt } from './policy/api';
import { ComparisonList } from './policy/ComparisonList';
import { ConfidenceValue } from './policy/confidence';
import { formatNumber } from '../components/format';
import { IntervalChart } from './policy/IntervalChart';
import { NoModelYet } from './policy/NoModelYet';
import { PromptThread } from './policy/PromptThread';
import { POLICY_HINTS, ResponseRanking } from './policy/ResponseRanking';
import './policy/policy.css';

export function PolicyPromptPage() {
  const { campaignId = '', promptId = '' } = useParams();
  const campaign = usePolicyCampaign(campaignId);
  const detail = usePolicyPrompt(campaignId, promptId);
  const policyPath = `/console/campaigns/${campaignId}/policy`;
  const noModelYet = detail.error instanceof ApiError && detail.error.code === 'NO_MODEL_YET';
  const data = detail.data;

  return (
    <div className="policy-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/console/campaigns/${campaignId}`}>{campaign.data?.name ?? 'Campaign'}</Link>
        <span aria-hidden="true"> › </span>
        <Link to={policyPath}>Policy</Link>
        <span aria-hidden="true"> › </span>
        <span aria-current="page">Prompt</span>
      </nav>
      <h1>{data ? `Prompt ${data.prompt.externalId}` : 'Prompt'}</h1>

      {detail.isPending && <Loading label="Loading the prompt…" />}
      {noModelYet && <NoModelYet campaign={campaign.data} />}
      {detail.isError && !noModelYet && <ErrorAlert error={detail.error} title="Could not load the prompt" />}

      {data && (
        <>
          <p className="muted page-lead">
            Policy v{data.policy.version} from reward model v{data.policy.modelVersion}.
          </p>
          <section className="card" aria-labelledby="prompt-title">
            <h2 id="prompt-title">Prompt</h2>
            <PromptThread text={data.prompt.text} messages={data.prompt.messages} />
            {data.prompt.metadata !== null && data.prompt.metadata !== undefined && (
              <details>
                <summary>Metadata</summary>
                <pre className="prompt-metadata">{JSON.stringify(data.prompt.metadata, null, 2)}</pre>
              </details>
            )}
          </section>

          <section aria-labelledby="verdict-title">
            <h2 id="verdict-title">Verdict</h2>
            <dl className="stat-list card">
              <div>
                <dt>Confidence (LCB margin of the greedy pick)</dt>
                <dd>
                  <ConfidenceValue confidence={data.confidence} />
                </dd>
              </div>
              <div>
                <dt>Gap (max UCB − max LCB)</dt>
                <dd>{formatNumber(data.gap)}</dd>
              </div>
              <div>
                <dt>Responses</dt>
                <dd>{data.responses.length}</dd>
              </div>
              <div>
                <dt>Labelled comparisons</dt>
                <dd>{data.comparisons.length}</dd>
              </div>
            </dl>
            <ul className="muted policy-legend" aria-label="Policies">
              {Object.values(POLICY_HINTS).map((hint) => (
                <li key={hint}>{hint}</li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="responses-title">
            <h2 id="responses-title">Responses ranked</h2>
            <IntervalChart responses={data.responses} greedy={data.picks.greedy} />
            <ResponseRanking responses={data.responses} picks={data.picks} />
          </section>

          <section aria-labelledby="comparisons-title">
            <h2 id="comparisons-title">Comparisons that decided them</h2>
            <p className="muted">
              Newest first. A and B are the screen sides each labeler saw (the sides are shuffled per labeler);
              &ldquo;Favoured&rdquo; names the response the choice meant.
            </p>
            <ComparisonList comparisons={data.comparisons} responses={data.responses} />
          </section>
        </>
      )}
    </div>
  );
}
