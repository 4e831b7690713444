/**
 * The HTTP process queues jobs but never runs them: with only the API up, no queue has a worker;
 * starting the worker module attaches one to every queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JOB_NAMES } from '../src/jobs/job-names';
import { startTestApp, type TestApp, waitFor } from './support/harness';

describe('the two processes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('attaches workers to the queues only in the worker process', async () => {
    const dispatcher = app.http.get(JobDispatcher);
    const workers = () => Promise.all(JOB_NAMES.map((name) => dispatcher.queue(name).getWorkersCount()));
    expect(await workers()).toEqual(JOB_NAMES.map(() => 0));
    await app.startWorkers();
    await waitFor(async () => (await workers()).every((n) => n >= 1), 10_000, 'a worker on every queue');
  });
});
