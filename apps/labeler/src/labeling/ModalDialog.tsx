/**
 * The labeler screen's modal form dialog (skip, flag): focus stays inside it, Enter confirms
 * (except on a button, which Enter activates), Esc cancels. Each dialog supplies its title, hint,
 * fields and what confirming means; the keys, the Tab trap and the buttons are written once here.
 */
import { type FormEvent, type KeyboardEvent, type ReactNode, type RefObject, useEffect, useRef } from 'react';

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

export interface ModalDialogProps {
  /** Prefix of the element ids (useId()), so fields can point at the hint and title. */
  readonly id: string;
  readonly title: string;
  readonly hint: ReactNode;
  readonly confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** Focused when the dialog opens: a control inside the dialog, found from its element. */
  initialFocus(dialog: HTMLElement): HTMLElement | null | undefined;
  readonly children: ReactNode;
}

export function ModalDialog({
  id,
  title,
  hint,
  confirmLabel,
  onConfirm,
  onCancel,
  initialFocus,
  children,
}: ModalDialogProps) {
  const dialogRef: RefObject<HTMLDivElement | null> = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (dialogRef.current) initialFocus(dialogRef.current)?.focus();
    // Only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function confirm(event?: FormEvent) {
    event?.preventDefault();
    onConfirm();
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
          <h2 id={`${id}-title`}>{title}</h2>
          <p id={`${id}-hint`} className="muted">
            {hint}
          </p>
          {children}
          <div className="button-row">
            <button type="submit" className="button button-primary">
              {confirmLabel}
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
