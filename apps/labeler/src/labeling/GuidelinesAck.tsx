/**
 * Shown instead of a comparison when the campaign's guidelines changed and `next` waits for the
 * labeler to acknowledge them: the current guidelines and "I have read these", which sends the
 * version read (a version that changed meanwhile is refused, and the new one is shown).
 */
import type { GuidelinesView } from '@borda/api-contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../auth/session';
import { ErrorAlert, Loading } from '../components/feedback';
import { Markdown } from '../components/Markdown';

export function GuidelinesAck({ campaignId, onAcknowledged }: { campaignId: string; onAcknowledged(): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const path = `/campaigns/${encodeURIComponent(campaignId)}/guidelines`;
  const guidelines = useQuery({
    queryKey: ['guidelines', campaignId],
    queryFn: () => api.get<GuidelinesView>(path),
  });
  const ack = useMutation({
    mutationFn: (version: number) => api.post<{ version: number }>(`${path}/ack`, { version }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['campaign', campaignId] });
      onAcknowledged();
    },
    onError: () => void guidelines.refetch(),
  });
  const stale = ack.error instanceof ApiError && ack.error.code === 'CONFLICT';

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className="session-state card guidelines-ack" aria-labelledby="guidelines-ack-title">
      <h2 id="guidelines-ack-title" ref={headingRef} tabIndex={-1}>
        The guidelines have changed
      </h2>
      <p>Read the current guidelines before you go on; the next comparison comes once you confirm.</p>
      {guidelines.isPending && <Loading label="Loading the guidelines…" />}
      <ErrorAlert error={guidelines.error} title="The guidelines could not be loaded" />
      {stale && (
        <p role="alert" className="alert alert-warning">
          They changed again while you were reading: this is the newest version.
        </p>
      )}
      {!stale && <ErrorAlert error={ack.error} title="Not confirmed" />}
      {guidelines.data && (
        <>
          <p className="muted">Version {guidelines.data.version}</p>
          <div className="guidelines-ack-text">
            <Markdown text={guidelines.data.guidelines} />
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              disabled={ack.isPending}
              onClick={() => ack.mutate(guidelines.data.version)}
            >
              I have read these
            </button>
          </div>
        </>
      )}
    </section>
  );
}
