/**
 * The learning pipeline's job runs (featurize, select, fit, policy): one summary row per kind of job,
 * then the runs themselves, by default only those that need a look (queued, running, failed); the
 * routine completed runs (one selection and fit every few labels) are one click away.
 */
import type { JobRunView } from '@borda/api-contract';
import { useState } from 'react';
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

/** What each job does, in the researcher's words. */
const JOB_PURPOSE: Record<string, string> = {
  Featurize: 'Featurize (embed prompts and responses)',
  ComparisonSelect: 'ComparisonSelect (choose the next comparisons)',
  RewardModelFit: 'RewardModelFit (fit the reward model)',
  PolicyFit: 'PolicyFit (fit the policies)',
  WebhookDelivery: 'WebhookDelivery (send a webhook event)',
};

type RunFilter = 'attention' | 'all';

const needsAttention = (run: JobRunView) => run.state !== 'completed';

interface JobGroup {
  readonly name: string;
  readonly runs: number;
  readonly failed: number;
  /** The newest run (the API lists newest first). */
  readonly latest: JobRunView;
}

function groupByName(runs: readonly JobRunView[]): JobGroup[] {
  const groups = new Map<string, JobGroup>();
  for (const run of runs) {
    const group = groups.get(run.name);
    groups.set(
      run.name,
      group
        ? { ...group, runs: group.runs + 1, failed: group.failed + (run.state === 'failed' ? 1 : 0) }
        : { name: run.name, runs: 1, failed: run.state === 'failed' ? 1 : 0, latest: run },
    );
  }
  return [...groups.values()];
}

export function JobsPanel({ campaignId, live, openComparisons, liveLeases }: JobsPanelProps) {
  const jobs = useJobs(campaignId, live);
  const runs: readonly JobRunView[] = jobs.data ?? [];
  const failed = runs.filter((run) => run.state === 'failed').length;
  const [filter, setFilter] = useState<RunFilter>('attention');
  const shown = filter === 'all' ? runs : runs.filter(needsAttention);
  const groups = groupByName(runs);
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
        <ScrollRegion label="Jobs by kind, scrollable">
          <table>
            <caption>Jobs by kind</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Runs</th>
                <th scope="col">Failed</th>
                <th scope="col">Latest run</th>
                <th scope="col">Latest queued</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.name}>
                  <th scope="row">{JOB_PURPOSE[group.name] ?? group.name}</th>
                  <td className="numeric">{group.runs}</td>
                  <td className="numeric">{group.failed}</td>
                  <td>
                    <StatusBadge status={group.latest.state === 'active' ? 'running' : group.latest.state} />
                  </td>
                  <td>{formatDateTime(group.latest.queuedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {runs.length > 0 && (
        <div className="field job-filter">
          <label htmlFor={`job-filter-${campaignId}`}>Runs shown</label>
          <select
            id={`job-filter-${campaignId}`}
            value={filter}
            onChange={(event) => setFilter(event.target.value as RunFilter)}
          >
            <option value="attention">
              Queued, running and failed ({runs.filter(needsAttention).length} of {runs.length})
            </option>
            <option value="all">All {runs.length} runs</option>
          </select>
        </div>
      )}
      {runs.length > 0 && shown.length === 0 && (
        <p className="muted">Every run completed: nothing is queued, running or failed.</p>
      )}
      {shown.length > 0 && (
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
              {shown.map((run) => (
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
