/** The settings most campaigns leave alone, in a disclosure that opens by itself when one is wrong. */
import { FEATURE_SOURCES } from '@borda/api-contract';
import type { CampaignFormValues, FieldErrors, FieldName } from './campaign-form';
import { FormField } from './FormField';

export interface AdvancedFieldsProps {
  readonly values: CampaignFormValues;
  readonly errors: FieldErrors;
  readonly open: boolean;
  readonly onToggle: (open: boolean) => void;
  readonly onChange: (change: Partial<CampaignFormValues>) => void;
}

const NUMBER_FIELDS: readonly { name: FieldName; label: string; hint: string }[] = [
  { name: 'batchSize', label: 'Batch size', hint: 'Comparisons the strategy picks per selection round.' },
  { name: 'bufferSize', label: 'Buffer size', hint: 'Open comparisons kept ready for labelers (≥ batch size).' },
  { name: 'leaseSeconds', label: 'Lease (seconds)', hint: 'How long a labeler holds a comparison (30 to 86,400).' },
  { name: 'seed', label: 'Seed', hint: 'Random seed of selection and fitting (reproducible runs).' },
];

export function AdvancedFields({ values, errors, open, onToggle, onChange }: AdvancedFieldsProps) {
  return (
    <details
      className="advanced-fields"
      open={open}
      onToggle={(event) => onToggle((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Advanced settings</summary>
      <div className="form-row">
        {NUMBER_FIELDS.map(({ name, label, hint }) => (
          <FormField key={name} id={`campaign-${name}`} label={label} hint={hint} error={errors[name]}>
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                value={values[name] as string}
                onChange={(event) => onChange({ [name]: event.target.value })}
              />
            )}
          </FormField>
        ))}
        <FormField
          id="campaign-featureSource"
          label="Features"
          error={errors.featureSource}
          hint="text: featurised from the text; embedding: every prompt and response of the file carries one."
        >
          {(control) => (
            <select
              {...control}
              value={values.featureSource}
              onChange={(event) =>
                onChange({ featureSource: event.target.value as CampaignFormValues['featureSource'] })
              }
            >
              {FEATURE_SOURCES.map((source) => (
                <option key={source} value={source}>
                  {source}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          id="campaign-featureDim"
          label="Feature dimension"
          error={errors.featureDim}
          hint="Length of the feature vectors (of the supplied embeddings)."
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              value={values.featureDim}
              onChange={(event) => onChange({ featureDim: event.target.value })}
            />
          )}
        </FormField>
      </div>
    </details>
  );
}
