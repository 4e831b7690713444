/**
 * /console/campaigns/:campaignId/flags: comparisons labelers flagged as harmful content, with the
 * prompt, both responses and the labeler's note. Resolving (acted on) or dismissing (not harmful)
 * closes a flag; both are audit-logged by the API.
 */
import type { ContentFlagList, ContentFlagView, FlagResolution } from '@borda/api-contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatDateTime } from '../../components/format';
import { Markdown } from '../../components/Markdown';
import { toTurns } from '../../labeling/PromptThread';
import '../../labeling/labeling.css';
import '../campaign/console.css';

type Status = 'open' | 'closed';

const flagsKey = (campaignId: string, status: Status) => ['flags', campaignId, status] as const;

export function FlagsPage() {
  const { campaignId = '' } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const base = `/campaigns/${encodeURIComponent(campaignId)}/flags`;
  const flags = useQuery({
    queryKey: flagsKey(campaignId, status),
    queryFn: () => api.get<ContentFlagList>(`${base}?status=${status}`),
  });
  const close = useMutation({
    mutationFn: ({ id, resolution }: { id: string; resolution: FlagResolution }) =>
      api.post<unknown>(`${base}/${encodeURIComponent(id)}/resolve`, { resolution }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['flags', campaignId] }),
  });

  return (
    <div className="console-page flags-page">
      <h1>Flagged content</h1>
      <p>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}`}>Back to the campaign</Link>
      </p>
      <p className="page-lead">
        Comparisons labelers flagged as harmful. Each flag skipped the comparison for its labeler only; others may still
        be given it. <strong>Resolve</strong> when you acted on it, <strong>Dismiss</strong> when it is not harmful.
      </p>
      <div className="button-row" role="group" aria-label="Which flags">
        {(['open', 'closed'] as const).map((value) => (
          <button
            key={value}
            type="button"
            className="button"
            aria-pressed={status === value}
            onClick={() => setStatus(value)}
          >
            {value === 'open' ? 'Open' : 'Closed'}
            {value === 'open' && flags.data && status === 'open' ? ` (${flags.data.openCount})` : ''}
          </button>
        ))}
      </div>
      {flags.isPending && <Loading label="Loading the flags…" />}
      <ErrorAlert error={flags.error} title="The flags could not be loaded" />
      <ErrorAlert error={close.error} title="The flag was not closed" />
      {flags.data && flags.data.flags.length === 0 && (
        <p>{status === 'open' ? 'No open flags.' : 'No closed flags yet.'}</p>
      )}
      {flags.data?.flags.map((flag, index) => (
        <FlagItem
          key={flag.id}
          flag={flag}
          index={index}
          busy={close.isPending}
          onClose={(resolution) => close.mutate({ id: flag.id, resolution })}
        />
      ))}
    </div>
  );
}

function FlagItem({
  flag,
  index,
  busy,
  onClose,
}: {
  flag: ContentFlagView;
  index: number;
  busy: boolean;
  onClose(resolution: FlagResolution): void;
}) {
  const titleId = `flag-${flag.id}-title`;
  return (
    <article className="card flag-item" aria-labelledby={titleId}>
      <h2 id={titleId}>Flag {index + 1}</h2>
      <p>
        By {flag.labeler.name} ({flag.labeler.email}), {formatDateTime(flag.createdAt)}
        {flag.resolution && (
          <>
            {' · '}
            <strong>{flag.resolution === 'resolved' ? 'Resolved' : 'Dismissed'}</strong>{' '}
            {flag.resolvedAt && formatDateTime(flag.resolvedAt)}
          </>
        )}
      </p>
      <p>Note: {flag.note ? <q>{flag.note}</q> : <span className="muted">none</span>}</p>
      <FlagPrompt prompt={flag.prompt} />
      <div className="responses">
        {[flag.first, flag.second].map((response, side) => (
          <section key={response.id} className="response" aria-label={`Flag ${index + 1}, response ${side + 1}`}>
            <h3>Response {side + 1}</h3>
            <Markdown text={response.text} />
          </section>
        ))}
      </div>
      {!flag.resolution && (
        <div className="button-row">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => onClose('resolved')}>
            Resolve
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => onClose('dismissed')}>
            Dismiss
          </button>
        </div>
      )}
    </article>
  );
}

/** The prompt in full, as turns when it has messages (the comparison screen's own thread collapses and has fixed ids). */
function FlagPrompt({ prompt }: { prompt: ContentFlagView['prompt'] }) {
  const turns = toTurns(prompt.messages);
  return (
    <div className="prompt">
      <h3>Prompt</h3>
      {turns ? (
        <ol className="thread">
          {turns.map((turn, index) => (
            <li key={index} className="turn">
              <span className="turn-role">{turn.role}</span>
              <Markdown text={turn.content} />
            </li>
          ))}
        </ol>
      ) : (
        <Markdown text={prompt.text ?? ''} />
      )}
    </div>
  );
}
