/** One numeric input of the launch form, with its hint and error wired to it for screen readers. */
import { FormField } from '../../components/FormField';
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
  return (
    <FormField id={`sim-${field}`} label={label} hint={hint} error={errors[field]} className="number-field">
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode={step === '1' ? 'numeric' : 'decimal'}
          min={min}
          max={max}
          step={step}
          value={values[field]}
          onChange={(e) => onChange({ [field]: e.target.value })}
        />
      )}
    </FormField>
  );
}
