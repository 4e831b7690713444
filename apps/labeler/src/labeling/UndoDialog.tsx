/**
 * "Undo last": the previous comparison again, with its saved judgment, to keep or change within the
 * campaign's undo window. A modal dialog (keys pressed in it never reach the comparison behind it);
 * A, B, T and X choose, Esc closes. The change goes to POST /assignments/:id/revise with its own
 * idempotency key, reused if the labeler retries after a failure.
 */
import type { LabelChoice, ReviseResponse } from '@borda/api-contract';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../auth/session';
import { explainError } from './errorText';
import { PromptThread } from './PromptThread';
import { ResponsePanel } from './ResponsePanel';
import { newIdempotencyKey } from './sessionTypes';
import type { LastJudgment } from './useLastJudgment';

const CHOICES: readonly { choice: LabelChoice; label: string; key: string }[] = [
  { choice: 'A', label: 'A better', key: 'a' },
  { choice: 'B', label: 'B better', key: 'b' },
  { choice: 'tie', label: 'Tie', key: 't' },
  { choice: 'both_bad', label: 'Both bad', key: 'x' },
];

const NAMES: Record<LabelChoice, string> = { A: 'A better', B: 'B better', tie: 'Tie', both_bad: 'Both bad' };

export interface UndoDialogProps {
  readonly last: LastJudgment;
  onChanged(choice: LabelChoice): void;
  onClose(): void;
}

export function UndoDialog({ last, onChanged, onClose }: UndoDialogProps) {
  const api = useApi();
  const id = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const key = useRef(newIdempotencyKey());
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLButtonElement>('button[aria-pressed="true"]')?.focus();
  }, []);

  async function change(choice: LabelChoice) {
    if (sending || choice === last.choice) return;
    setSending(true);
    try {
      const res = await api.post<ReviseResponse>(`/assignments/${last.assignmentId}/revise`, {
        choice,
        idempotencyKey: key.current,
      });
      key.current = newIdempotencyKey(); // the next change is a new revision
      onChanged(res.label.choice as LabelChoice);
      setResult({ ok: true, text: `Changed to ${NAMES[choice]}.` });
    } catch (error) {
      setResult({ ok: false, text: `Not changed: ${explainError(error)}.` });
    } finally {
      setSending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    const pick = CHOICES.find((c) => c.key === event.key.toLowerCase());
    if (pick && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      void change(pick.choice);
    }
  }

  return (
    <div className="dialog-backdrop">
      {/* The dialog handles its own keys (A/B/T/X, Esc); each control is a real button. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        className="dialog undo-dialog"
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-title`}>Change your last judgment</h2>
        <p>
          You chose <strong>{NAMES[last.choice]}</strong>. Pick another answer to change it.
        </p>
        <PromptThread prompt={last.lease.prompt} />
        <div className="responses">
          <ResponsePanel side="A" text={last.lease.left.text} />
          <ResponsePanel side="B" text={last.lease.right.text} />
        </div>
        <div className="choice-row" role="group" aria-label="New judgment">
          {CHOICES.map((c) => (
            <button
              key={c.choice}
              type="button"
              className="button"
              aria-pressed={c.choice === last.choice}
              disabled={sending}
              onClick={() => void change(c.choice)}
            >
              {c.label}
            </button>
          ))}
        </div>
        {result && (
          <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'alert alert-success' : 'alert alert-error'}>
            {result.text}
          </p>
        )}
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
