/** "Why skip?": preset reasons plus free text, in the screen's modal dialog (ModalDialog). */
import { useId, useState } from 'react';
import { ModalDialog } from './ModalDialog';

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

export function SkipDialog({ onConfirm, onCancel }: { onConfirm(reason: string): void; onCancel(): void }) {
  const [preset, setPreset] = useState<string>(SKIP_REASONS[0]);
  const [detail, setDetail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  function confirm() {
    const reason = skipReason(preset, detail);
    if (!reason) {
      setProblem('Say why you are skipping (for "Other", type the reason).');
      return;
    }
    onConfirm(reason);
  }

  return (
    <ModalDialog
      id={id}
      title="Skip this comparison?"
      hint={
        <>
          <kbd>Enter</kbd> confirms, <kbd>Esc</kbd> cancels.
        </>
      }
      confirmLabel="Confirm skip"
      onConfirm={confirm}
      onCancel={onCancel}
      initialFocus={(dialog) => dialog.querySelector<HTMLInputElement>('input[type="radio"]:checked')}
    >
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
    </ModalDialog>
  );
}
