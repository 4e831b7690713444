/** One numeric input of the launch form, with its hint and error wired to it for screen readers. */
import type { LaunchErrors, LaunchField, LaunchFormValues } from './form';

type NumericField = Exclude<LaunchField, 'environment' | 'strategies'>;

export interface NumberFieldProps {
  readonly field: NumericField;
  readonly label: string;
  readonly hint: string;
  readonly values: LaunchFormValues;
  readonly errors: LaunchErrors;
  readonly onChange: (patch: Partial<LaunchFormValues>) => void;
  readonly min: number;
  /** Left out where the API sets no upper bound (ε). */
  readonly max?: number;
  readonly step?: string;
}

export function NumberField({ field, label, hint, values, errors, onChange, min, max, step = '1' }: NumberFieldProps) {
  const id = `sim-${field}`;
  const error = errors[field];
  return (
    <div className="number-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={step === '1' ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={step}
        value={values[field]}
        onChange={(e) => onChange({ [field]: e.target.value })}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ')}
      />
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
