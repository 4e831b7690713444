/** The learning pipeline's job runs (featurize, select, fit, policy): state, progress, failures. */
import type { JobRunView } from '@borda/api-contract';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../../components/feedback';
import { formatCount, formatDateTime, formatPercent } from '../../components/format';
import { useJobs } from './queries';
import { ScrollRegion } from './ScrollRegion';

export interface JobsPanelProps {
  readonly campaignId: string;
  readonly live: boolean;
  readonly openComparisons?: number;
  readonly liveLeases?: number;
}

export function JobsPanel({ campaignId, live, openComparisons, liveLeases }: JobsPanelProps) {
  const jobs = useJobs(campaignId, live);
  const runs: readonly JobRunView[] = jobs.data ?? [];
  const failed = runs.filter((run) => run.state === 'failed').length;
  return (
    <div className="jobs-panel">
      <dl className="stat-list">
        {openComparisons !== undefined && (
          <div>
            <dt>Comparisons waiting for labelers</dt>
            <dd>{formatCount(openComparisons)}</dd>
          </div>
        )}
        {liveLeases !== undefined && (
          <div>
            <dt>Comparisons being labeled now</dt>
            <dd>{formatCount(liveLeases)}</dd>
          </div>
        )}
        <div>
          <dt>Jobs queued or running</dt>
          <dd>{runs.filter((r) => r.state === 'queued' || r.state === 'active').length}</dd>
        </div>
        <div>
          <dt>Failed jobs</dt>
          <dd>{failed}</dd>
        </div>
      </dl>
      {jobs.isPending && <Loading label="Loading jobs…" />}
      <ErrorAlert error={jobs.error} title="Jobs could not be loaded" />
      {jobs.isSuccess && runs.length === 0 && <p className="muted">No jobs have run yet.</p>}
      {runs.length > 0 && (
        <ScrollRegion label="Job runs, scrollable">
          <table>
            <caption>Jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col">Attempts</th>
                <th scope="col">Queued</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <th scope="row">{run.name}</th>
                  <td>
                    <StatusBadge status={run.state === 'active' ? 'running' : run.state} />
                  </td>
                  <td>
                    {run.state === 'active' ? (
                      <div className="job-progress">
                        <ProgressBar value={run.progress} label={`${run.name} progress`} />
                        <span>{formatPercent(run.progress, 0)}</span>
                      </div>
                    ) : run.state === 'failed' ? (
                      <span className="field-error">{run.error ?? 'failed without a message'}</span>
                    ) : run.state === 'completed' ? (
                      'done'
                    ) : (
                      'waiting'
                    )}
                  </td>
                  <td className="numeric">{run.attempts}</td>
                  <td>{formatDateTime(run.queuedAt)}</td>
                  <td>{formatDateTime(run.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}
