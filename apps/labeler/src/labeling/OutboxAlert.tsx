/**
 * What the submission queue has not managed to save: judgments waiting in the outbox (with
 * "Retry now") and judgments the API refused for good, each reason named.
 */
import { explainError } from './errorText';
import type { QueueSnapshot } from './submissionQueue';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function OutboxAlert({
  snapshot,
  onRetry,
  onDismiss,
}: {
  snapshot: QueueSnapshot;
  onRetry(): void;
  onDismiss(key: string): void;
}) {
  const parked = snapshot.entries.filter((entry) => entry.state === 'parked');
  const retrying = snapshot.entries.filter((entry) => entry.state === 'waiting').length;
  const lastError = parked.find((entry) => entry.lastError)?.lastError;
  return (
    <>
      {parked.length > 0 && (
        <div role="alert" className="alert alert-error outbox-alert">
          <p>
            <strong>{plural(parked.length, 'judgment')} not saved yet</strong>
            {lastError && ` — last error: ${lastError.message} (${lastError.code})`}.{' '}
            {parked.length === 1 ? 'It is' : 'They are'} kept in this browser and sent again when you are back online or
            reload the page.
          </p>
          <button type="button" className="button" onClick={onRetry}>
            Retry now
          </button>
        </div>
      )}
      {retrying > 0 && parked.length === 0 && (
        <p role="status" className="muted outbox-retrying">
          Saving {plural(retrying, 'judgment')} is taking longer than usual; retrying…
        </p>
      )}
      {snapshot.rejected.map((rejection) => (
        <div key={rejection.key} role="alert" className="alert alert-error outbox-rejected">
          <p>
            {rejection.kind === 'skip' ? 'A skip' : rejection.kind === 'flag' ? 'A flag' : 'A judgment'} could not be
            saved: {explainError(rejection.error)}.
          </p>
          <button type="button" className="button button-quiet" onClick={() => onDismiss(rejection.key)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}
