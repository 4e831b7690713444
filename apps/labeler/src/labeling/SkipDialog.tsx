/**
 * "Why skip?": preset reasons plus free text. A modal dialog that keeps focus inside it; Enter
 * confirms (except on a button, which Enter activates), Esc cancels.
 */
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

export const SKIP_REASONS = [
  "I can't judge this topic",
  'The prompt is unclear or broken',
  'The responses are the same',
  "Content I'd rather not review",
  'Other',
] as const;

const MAX_REASON = 500;

/** The reason sent to the API: the preset, then any detail the labeler typed. */
export function skipReason(preset: string, detail: string): string | null {
  const text = detail.trim();
  if (preset === 'Other') return text ? text.slice(0, MAX_REASON) : null;
  return (text ? `${preset}: ${text}` : preset).slice(0, MAX_REASON);
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea, select, [tabindex]:not([tabindex="-1"])';

/** Keeps Tab and Shift+Tab inside an open dialog (a radio group is one stop: its checked radio). */
export function trapTab(event: KeyboardEvent<HTMLElement>, dialog: HTMLElement | null): void {
  const focusable = [...(dialog?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter(
    (el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked),
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last?.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first?.focus();
  }
}

export function SkipDialog({ onConfirm, onCancel }: { onConfirm(reason: string): void; onCancel(): void }) {
  const [preset, setPreset] = useState<string>(SKIP_REASONS[0]);
  const [detail, setDetail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    dialogRef.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
  }, []);

  function confirm(event?: FormEvent) {
    event?.preventDefault();
    const reason = skipReason(preset, detail);
    if (!reason) {
      setProblem('Say why you are skipping (for "Other", type the reason).');
      return;
    }
    onConfirm(reason);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = event.target as HTMLElement;
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && target.tagName !== 'BUTTON') {
      confirm(event);
    } else if (event.key === 'Tab') {
      trapTab(event, dialogRef.current);
    }
  }

  return (
    <div className="dialog-backdrop">
      {/* The dialog handles keys for its controls (Esc, Enter, the Tab trap): each control is a real one. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-hint`}
        className="dialog card"
        onKeyDown={onKeyDown}
      >
        <form onSubmit={confirm}>
          <h2 id={`${id}-title`}>Skip this comparison?</h2>
          <p id={`${id}-hint`} className="muted">
            <kbd>Enter</kbd> confirms, <kbd>Esc</kbd> cancels.
          </p>
          <fieldset className="skip-reasons">
            <legend>Why are you skipping it?</legend>
            {SKIP_REASONS.map((reason, index) => (
              <div key={reason} className="radio-row">
                <input
                  type="radio"
                  id={`${id}-reason-${index}`}
                  name={`${id}-reason`}
                  value={reason}
                  checked={preset === reason}
                  onChange={() => setPreset(reason)}
                />
                <label htmlFor={`${id}-reason-${index}`}>{reason}</label>
              </div>
            ))}
          </fieldset>
          <label htmlFor={`${id}-detail`}>
            Details <span className="muted">{preset === 'Other' ? '(required)' : '(optional)'}</span>
          </label>
          <input
            id={`${id}-detail`}
            type="text"
            value={detail}
            maxLength={MAX_REASON}
            onChange={(event) => {
              setDetail(event.target.value);
              setProblem(null);
            }}
          />
          {problem && (
            <p role="alert" className="field-error">
              {problem}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button button-primary">
              Confirm skip
            </button>
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
