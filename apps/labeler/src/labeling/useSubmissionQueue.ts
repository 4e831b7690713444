import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useApi, useSession } from '../auth/session';
import { type QueueSnapshot, type SubmissionQueue, submissionQueueFor } from './submissionQueue';

/**
 * The signed-in user's submission queue and its current state. Mounting it resumes what an earlier
 * page left in the outbox; the browser coming back online retries everything waiting.
 */
export function useSubmissionQueue(): { queue: SubmissionQueue; snapshot: QueueSnapshot } {
  const api = useApi();
  const userId = useSession().user?.id ?? 'anonymous';
  const queue = useMemo(() => submissionQueueFor(api, userId), [api, userId]);
  const snapshot = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  useEffect(() => {
    queue.resume();
    const onOnline = () => queue.retryNow();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [queue]);
  return { queue, snapshot };
}
