/**
 * Which jobs each worker process the launcher starts serves (WORKER_JOBS). Buffer refills get
 * processes of their own: a fit or a policy can hold a Node process's event loop for seconds, and a
 * ComparisonSelect that a busy process has already taken off the queue waits that long, while
 * labelers of every campaign are told "no comparisons".
 */
import { JOB_NAMES, JobName } from '../jobs/job-names';

export interface WorkerRole {
  /** The supervisor's name for the process (logged with every restart). */
  readonly name: string;
  readonly jobs: readonly JobName[];
}

export function workerRoles(workers: number, selectionWorkers: number): WorkerRole[] {
  const general = selectionWorkers > 0 ? JOB_NAMES.filter((j) => j !== JobName.ComparisonSelect) : JOB_NAMES;
  return [
    ...Array.from({ length: workers }, (_, i) => ({ name: `worker ${i + 1}`, jobs: general })),
    ...Array.from({ length: selectionWorkers }, (_, i) => ({
      name: `selection worker ${i + 1}`,
      jobs: [JobName.ComparisonSelect],
    })),
  ];
}
