/**
 * "Flag harmful content": an optional note for the researcher. The comparison is skipped for the
 * labeler, as a skip would, and the flag goes to the campaign's review queue. A modal dialog like
 * the skip dialog: focus stays inside, Enter confirms (except on a button), Esc cancels.
 */
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { trapTab } from './SkipDialog';

const MAX_NOTE = 1000;

export function FlagDialog({ onConfirm, onCancel }: { onConfirm(note: string): void; onCancel(): void }) {
  const [note, setNote] = useState('');
  const dialogRef = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    noteRef.current?.focus();
  }, []);

  function confirm(event?: FormEvent) {
    event?.preventDefault();
    onConfirm(note.trim());
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
          <h2 id={`${id}-title`}>Flag harmful content?</h2>
          <p id={`${id}-hint`} className="muted">
            The researcher reviews it; this comparison is skipped for you. <kbd>Enter</kbd> confirms, <kbd>Esc</kbd>{' '}
            cancels.
          </p>
          <label htmlFor={`${id}-note`}>
            What is harmful? <span className="muted">(optional)</span>
          </label>
          <input
            id={`${id}-note`}
            ref={noteRef}
            type="text"
            value={note}
            maxLength={MAX_NOTE}
            onChange={(event) => setNote(event.target.value)}
          />
          <div className="button-row">
            <button type="submit" className="button button-primary">
              Flag and skip
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
