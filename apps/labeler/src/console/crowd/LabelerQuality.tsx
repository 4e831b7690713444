/**
 * Labelers' gold accuracy with its Wilson 95 % interval, the reliability model's estimates at the
 * newest fit (accuracy, answers backwards / at random, position bias, each with its interval; flagged
 * labelers highlighted with the reasons), and the researcher's actions: exclude or restore their
 * labels (the model refits), pause or resume their work. Every action is audit-logged by the API.
 */
import { ScrollRegion } from '../campaign/ScrollRegion';
import type { CrowdLabelerView } from '@borda/api-contract';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatAccuracy, formatBias, formatEstimate, formatFlagReason } from './format';
import { useCrowdAction, useCrowdLabelers } from './queries';

type Action = 'exclude' | 'restore' | 'pause' | 'resume';

export function LabelerQuality({ campaignId }: { campaignId: string }) {
  const labelers = useCrowdLabelers(campaignId);
  const act = useCrowdAction<{ labelerId: string; action: Action }>(
    campaignId,
    (b) => `/crowd/labelers/${encodeURIComponent(b.labelerId)}/${b.action}`,
  );
  const run = (labelerId: string, action: Action) => act.mutate({ labelerId, action });
  const flagged = labelers.data?.filter((l) => l.reliability?.flagged) ?? [];

  return (
    <section className="card" aria-labelledby="crowd-labelers-title">
      <h2 id="crowd-labelers-title">Labelers</h2>
      <p className="muted">
        Gold accuracy is graded on check questions by the first answer given; the interval is Wilson 95 %. Excluded
        labels stay stored but leave every fit and export. Reliability is estimated at every model fit from agreement
        with the other labelers, with the model and with gold (95 % intervals); every fit weighs each label by it.
      </p>
      {flagged.length > 0 && (
        <div className="alert alert-warning" role="status">
          {flagged.length === 1 ? '1 labeler is flagged' : `${flagged.length} labelers are flagged`}:{' '}
          {flagged.map((l) => l.name).join(', ')}.
        </div>
      )}
      {labelers.isPending && <Loading label="Loading labelers…" />}
      <ErrorAlert error={labelers.error} title="Labelers could not be loaded" />
      <ErrorAlert error={act.error} title="The action failed" />
      {labelers.data && labelers.data.length === 0 && <p>No labelers yet.</p>}
      {labelers.data && labelers.data.length > 0 && (
        <ScrollRegion label="Labeler quality, scrollable">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Labeler</th>
                <th scope="col">Judgments</th>
                <th scope="col">Gold accuracy</th>
                <th scope="col">Reliability</th>
                <th scope="col">Behaviour</th>
                <th scope="col">Flags</th>
                <th scope="col">Standing</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {labelers.data.map((l: CrowdLabelerView) => (
                <tr
                  key={l.labelerId}
                  data-flagged={l.reliability?.flagged ? 'true' : undefined}
                  style={l.reliability?.flagged ? { background: 'var(--warning-bg)' } : undefined}
                >
                  <th scope="row">{l.name}</th>
                  <td>{l.judgments}</td>
                  <td>{formatAccuracy(l.goldAccuracy)}</td>
                  <Reliability view={l} />
                  <td>
                    {[l.labelsExcluded ? 'labels excluded' : 'labels counted', l.paused ? 'paused' : null]
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button"
                      disabled={act.isPending}
                      onClick={() => run(l.labelerId, l.labelsExcluded ? 'restore' : 'exclude')}
                    >
                      {l.labelsExcluded ? `Restore ${l.name}` : `Exclude ${l.name}`}
                    </button>
                    <button
                      type="button"
                      className="button button-quiet"
                      disabled={act.isPending}
                      onClick={() => run(l.labelerId, l.paused ? 'resume' : 'pause')}
                    >
                      {l.paused ? `Resume ${l.name}` : `Pause ${l.name}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

/** The reliability model's columns of one labeler (three cells). */
function Reliability({ view }: { view: CrowdLabelerView }) {
  const r = view.reliability;
  if (!r) {
    return (
      <>
        <td colSpan={3} className="muted">
          not estimated yet
        </td>
      </>
    );
  }
  return (
    <>
      <td>
        accuracy {formatEstimate(r.accuracy)}
        <br />
        <span className="muted">
          model version {r.modelVersion}, {r.judgments} judgments
          {r.agreementWithConsensus !== null && `, agrees with others ${Math.round(r.agreementWithConsensus * 100)} %`}
          {r.agreementWithModel !== null && `, with the model ${Math.round(r.agreementWithModel * 100)} %`}
        </span>
      </td>
      <td>
        backwards {formatEstimate(r.inverted)}
        <br />
        at random {formatEstimate(r.random)}
        <br />
        position bias {formatBias(r.positionBias)}
      </td>
      <td>
        {r.flagged ? (
          <>
            <span className="badge badge-failed">Flagged</span>
            <ul aria-label={`Why ${view.name} is flagged`}>
              {r.reasons.map((reason) => (
                <li key={reason.kind}>{formatFlagReason(reason)}</li>
              ))}
            </ul>
          </>
        ) : (
          'none'
        )}
      </td>
    </>
  );
}
