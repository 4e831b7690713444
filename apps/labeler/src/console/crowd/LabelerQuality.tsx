/**
 * Labelers' gold accuracy with its Wilson 95 % interval, and the researcher's actions: exclude or
 * restore their labels (the model refits), pause or resume their work. Every action is audit-logged
 * by the API.
 */
import type { CrowdLabelerView } from '@borda/api-contract';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatAccuracy } from './format';
import { useCrowdAction, useCrowdLabelers } from './queries';

type Action = 'exclude' | 'restore' | 'pause' | 'resume';

export function LabelerQuality({ campaignId }: { campaignId: string }) {
  const labelers = useCrowdLabelers(campaignId);
  const act = useCrowdAction<{ labelerId: string; action: Action }>(
    campaignId,
    (b) => `/crowd/labelers/${encodeURIComponent(b.labelerId)}/${b.action}`,
  );
  const run = (labelerId: string, action: Action) => act.mutate({ labelerId, action });

  return (
    <section className="card" aria-labelledby="crowd-labelers-title">
      <h2 id="crowd-labelers-title">Labelers</h2>
      <p className="muted">
        Gold accuracy is graded on check questions by the first answer given; the interval is Wilson 95 %. Excluded
        labels stay stored but leave every fit and export.
      </p>
      {labelers.isPending && <Loading label="Loading labelers…" />}
      <ErrorAlert error={labelers.error} title="Labelers could not be loaded" />
      <ErrorAlert error={act.error} title="The action failed" />
      {labelers.data && labelers.data.length === 0 && <p>No labelers yet.</p>}
      {labelers.data && labelers.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Labeler</th>
              <th scope="col">Judgments</th>
              <th scope="col">Gold accuracy</th>
              <th scope="col">Standing</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {labelers.data.map((l: CrowdLabelerView) => (
              <tr key={l.labelerId}>
                <th scope="row">{l.name}</th>
                <td>{l.judgments}</td>
                <td>{formatAccuracy(l.goldAccuracy)}</td>
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
      )}
    </section>
  );
}
