/**
 * After a test restores a Redis it cut: waits until every Redis connection of the HTTP app is
 * ready again. The API's queue connections queue no commands, so closing the app while they are
 * still reconnecting fails their QUIT.
 */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { AuthRedis } from '../../src/auth/auth-redis';
import { JOB_NAMES } from '../../src/jobs/job-names';
import { type TestApp, waitFor } from './harness';

export async function waitForRedisBack(app: TestApp): Promise<void> {
  const auth = app.http.get(AuthRedis);
  const queues = JOB_NAMES.map((name) => app.http.get<Queue>(getQueueToken(name)));
  await waitFor(
    async () => {
      const clients = [auth.client, auth.subscriber, ...(await Promise.all(queues.map((q) => q.getBackend().client)))];
      return clients.every((c) => c.status === 'ready');
    },
    20_000,
    'the Redis connections to be back',
  );
}
