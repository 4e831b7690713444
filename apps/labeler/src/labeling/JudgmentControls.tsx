/**
 * The judgment: which side is better, how much (A/B only), an optional rationale, then Submit or
 * Skip (or flag harmful content). Each control shows its shortcut; the selected choice and strength are aria-pressed.
 */
import type { LabelChoice } from '@borda/api-contract';
import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { type JudgmentDraft, type Strength, strengthAllowed } from './judgment';
import { KeyHint } from './KeyHint';
import { shortcutOf, type ShortcutAction } from './shortcuts';

const CHOICES: readonly { choice: LabelChoice; label: string; action: ShortcutAction }[] = [
  { choice: 'A', label: 'A better', action: 'chooseA' },
  { choice: 'B', label: 'B better', action: 'chooseB' },
  { choice: 'tie', label: 'Tie', action: 'tie' },
  { choice: 'both_bad', label: 'Both bad', action: 'bothBad' },
];

const STRENGTHS: readonly { strength: Strength; label: string; action: ShortcutAction }[] = [
  { strength: 1, label: 'Slightly better', action: 'strength1' },
  { strength: 2, label: 'Clearly better', action: 'strength2' },
  { strength: 3, label: 'Much better', action: 'strength3' },
];

export interface JudgmentControlsProps {
  readonly draft: JudgmentDraft;
  readonly problem: string | null;
  readonly rationaleRef: RefObject<HTMLTextAreaElement | null>;
  readonly submitRef: RefObject<HTMLButtonElement | null>;
  readonly skipRef: RefObject<HTMLButtonElement | null>;
  onChoose(choice: LabelChoice): void;
  onStrength(strength: Strength): void;
  onRationale(text: string): void;
  onSubmit(): void;
  onSkip(): void;
  onFlag(): void;
  /** The campaign's extra questions (AspectQuestions), shown under the main choice. */
  readonly extra?: ReactNode;
}

export function JudgmentControls({
  draft,
  problem,
  rationaleRef,
  submitRef,
  skipRef,
  onChoose,
  onStrength,
  onRationale,
  onSubmit,
  onSkip,
  onFlag,
  extra,
}: JudgmentControlsProps) {
  const strengthEnabled = strengthAllowed(draft.choice);

  function onRationaleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      submitRef.current?.focus();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    }
  }

  return (
    <div className="judgment">
      <div className="judgment-row">
        <div role="group" aria-labelledby="choice-label" className="choice-group">
          <span id="choice-label" className="group-label">
            Which is better?
          </span>
          {CHOICES.map(({ choice, label, action }) => (
            <button
              key={choice}
              type="button"
              className={`button choice choice-${choice}`}
              aria-pressed={draft.choice === choice}
              aria-keyshortcuts={shortcutOf(action).aria}
              onClick={() => onChoose(choice)}
            >
              {label} <KeyHint action={action} />
            </button>
          ))}
        </div>
        <div role="group" aria-labelledby="strength-label" className="strength-group">
          <span id="strength-label" className="group-label">
            How much? <span className="muted">(optional)</span>
          </span>
          {STRENGTHS.map(({ strength, label, action }) => (
            <button
              key={strength}
              type="button"
              className="button strength"
              aria-pressed={strengthEnabled && draft.strength === strength}
              aria-keyshortcuts={shortcutOf(action).aria}
              disabled={!strengthEnabled}
              onClick={() => onStrength(strength)}
            >
              {label} <KeyHint action={action} />
            </button>
          ))}
        </div>
      </div>
      {extra}
      <div className="judgment-row">
        <div className="rationale-field">
          <label htmlFor="rationale">
            Rationale <span className="muted">(optional)</span> <KeyHint action="focusRationale" />
          </label>
          <textarea
            id="rationale"
            ref={rationaleRef}
            className="rationale"
            dir="auto"
            rows={1}
            value={draft.rationale}
            maxLength={10_000}
            aria-describedby="rationale-hint"
            aria-keyshortcuts="R"
            onChange={(event) => onRationale(event.target.value)}
            onKeyDown={onRationaleKeyDown}
          />
          <p id="rationale-hint" className="field-hint rationale-hint">
            <kbd>Esc</kbd> leaves the text box; <kbd>Ctrl</kbd>+<kbd>Enter</kbd> (<kbd>⌘</kbd>+<kbd>Enter</kbd> on a
            Mac) submits from it.
          </p>
        </div>
        <div className="judgment-actions">
          <button
            ref={submitRef}
            type="button"
            className="button button-primary"
            aria-keyshortcuts="Enter"
            onClick={onSubmit}
          >
            Submit <KeyHint action="submit" />
          </button>
          <button
            ref={skipRef}
            type="button"
            className="button"
            aria-haspopup="dialog"
            aria-keyshortcuts="S"
            onClick={onSkip}
          >
            Skip <KeyHint action="skip" />
          </button>
          <button
            type="button"
            className="button button-danger"
            aria-haspopup="dialog"
            aria-keyshortcuts="F"
            onClick={onFlag}
          >
            Flag harmful <KeyHint action="flag" />
          </button>
        </div>
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </div>
  );
}
