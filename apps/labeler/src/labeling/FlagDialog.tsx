/**
 * "Flag harmful content": an optional note for the researcher. The comparison is skipped for the
 * labeler, as a skip would, and the flag goes to the campaign's review queue. A modal dialog like
 * the skip dialog: focus stays inside, Enter confirms (except on a button), Esc cancels.
 */
import { useId, useRef, useState } from 'react';
import { ModalDialog } from './ModalDialog';

const MAX_NOTE = 1000;

export function FlagDialog({ onConfirm, onCancel }: { onConfirm(note: string): void; onCancel(): void }) {
  const [note, setNote] = useState('');
  const noteRef = useRef<HTMLInputElement>(null);
  const id = useId();

  return (
    <ModalDialog
      id={id}
      title="Flag harmful content?"
      hint={
        <>
          The researcher reviews it; this comparison is skipped for you. <kbd>Enter</kbd> confirms, <kbd>Esc</kbd>{' '}
          cancels.
        </>
      }
      confirmLabel="Flag and skip"
      onConfirm={() => onConfirm(note.trim())}
      onCancel={onCancel}
      initialFocus={() => noteRef.current}
    >
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
    </ModalDialog>
  );
}
