/** The settings most campaigns leave alone, in a disclosure that opens by itself when one is wrong. */
import { FEATURE_SOURCES, JUDGMENT_MODES, MAX_RANK_SIZE, MIN_RANK_SIZE } from '@borda/api-contract';
import {
  type CampaignFormValues,
  FIELD_LABELS,
  type FieldErrors,
  type FieldName,
  STRATEGY_OPTION_FIELDS,
} from './campaign-form';
import { FormField } from '../../components/FormField';

export interface AdvancedFieldsProps {
  readonly values: CampaignFormValues;
  readonly errors: FieldErrors;
  readonly open: boolean;
  readonly onToggle: (open: boolean) => void;
  readonly onChange: (change: Partial<CampaignFormValues>) => void;
}

const NUMBER_FIELDS: readonly { name: FieldName; label: string; hint: string }[] = [
  {
    name: 'batchSize',
    label: 'Batch size',
    hint: 'The smallest refill: each refill is one batch of what the buffer needs, at least this many.',
  },
  {
    name: 'bufferSize',
    label: 'Buffer size',
    hint: 'Open comparisons kept ready at the least (≥ batch size); the buffer grows with the labeling rate.',
  },
  { name: 'leaseSeconds', label: 'Lease (seconds)', hint: 'How long a labeler holds a comparison (30 to 86,400).' },
  {
    name: 'yardstickShare',
    label: 'Yardstick share',
    hint: 'Share of comparisons drawn uniformly at random (0 to 0.5; default 0.1): the unbiased held-out set that shows whether active selection paid off.',
  },
  { name: 'seed', label: 'Seed', hint: 'Random seed of selection and fitting (reproducible runs).' },
];

/** Hints follow libs/dueling-bandit: each option is read only by the strategies named. */
const STRATEGY_OPTION_HINTS: Record<(typeof STRATEGY_OPTION_FIELDS)[number], string> = {
  beta: 'Width of the UCB/LCB confidence bounds μ ± β·σ (> 0; default 2): larger explores more.',
  posteriorSamples: 'Posterior draws per estimate for sampling strategies such as bald (default 32).',
  poolFactor: 'Candidate prompts as a multiple of the batch size, for bald and ae-neural (default 3).',
  initialPoolPrompts: 'AE-Borda: prompts in the first candidate pool (default max(2 × batch, 32)); speed only.',
  maxPoolPrompts: 'AE-Borda: cap on the candidate pool (default none, the exact greedy batch).',
};

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
        <FormField
          id="campaign-judgmentMode"
          label="Judgment"
          error={errors.judgmentMode}
          hint="pairwise: A or B; ranking: labelers put several responses of a prompt in order (stored as the pairs it implies)."
        >
          {(control) => (
            <select
              {...control}
              value={values.judgmentMode}
              onChange={(event) => onChange({ judgmentMode: event.target.value as CampaignFormValues['judgmentMode'] })}
            >
              {JUDGMENT_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {mode}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {values.judgmentMode === 'ranking' && (
          <FormField
            id="campaign-rankSize"
            label="Responses per ranking"
            error={errors.rankSize}
            hint={`Responses in each ranking task (${MIN_RANK_SIZE} to ${MAX_RANK_SIZE}; default 4). A ranking counts as one judgment of the budget.`}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={MIN_RANK_SIZE}
                max={MAX_RANK_SIZE}
                value={values.rankSize}
                onChange={(event) => onChange({ rankSize: event.target.value })}
              />
            )}
          </FormField>
        )}
      </div>
      <fieldset className="strategy-options">
        <legend>Strategy options (empty: the strategy&apos;s default)</legend>
        <div className="form-row">
          {STRATEGY_OPTION_FIELDS.map((name) => (
            <FormField
              key={name}
              id={`campaign-${name}`}
              label={FIELD_LABELS[name]}
              hint={STRATEGY_OPTION_HINTS[name]}
              error={errors[name]}
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode={name === 'beta' ? 'decimal' : 'numeric'}
                  step={name === 'beta' ? 'any' : 1}
                  min={name === 'beta' ? 0 : 1}
                  value={values[name]}
                  onChange={(event) => onChange({ [name]: event.target.value })}
                />
              )}
            </FormField>
          ))}
        </div>
      </fieldset>
    </details>
  );
}
