/**
 * A labelled form control with its hint and error: the control gets the id, aria-invalid and an
 * aria-describedby naming the hint and the error, so a screen reader reads all three together.
 */
import { type ReactElement, type ReactNode, useId } from 'react';

export interface ControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean | undefined;
  readonly 'aria-describedby': string | undefined;
}

export interface FormFieldProps {
  /** The control's id (stable, so an error summary can link to it). */
  readonly id: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly className?: string;
  readonly children: (control: ControlProps) => ReactElement;
}

export function FormField({ id, label, hint, error, className, children }: FormFieldProps) {
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
