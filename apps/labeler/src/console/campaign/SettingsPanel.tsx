/**
 * "Edit settings" on the dashboard: the campaign's tunables (and, while it is a draft, its strategy,
 * model and redundancy), checked with the API's schema and sent as a PATCH of the changed fields.
 * The form mounts when the disclosure opens, so it starts from the campaign as it is then.
 */
import type { CampaignView } from '@borda/api-contract';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useApi } from '../../auth/session';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ErrorAlert } from '../../components/feedback';
import { FIELD_LABELS, type FieldErrors, type FieldName, serverFieldErrors } from './campaign-form';
import { FormField } from '../../components/FormField';
import { useRefreshCampaign } from './queries';
import { type SettingsField, type SettingsValues, settingsFromCampaign, validateSettings } from './settings-form';
import { StrategyFields } from './StrategyFields';

export function SettingsPanel({ campaign }: { campaign: CampaignView }) {
  const [open, setOpen] = useState(false);
  if (campaign.status === 'archived') return null;
  return (
    <details
      className="card edit-settings"
      open={open}
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Edit settings</summary>
      {open && <SettingsForm campaign={campaign} />}
    </details>
  );
}

const NUMBER_FIELDS: readonly { name: SettingsField; label: string; hint: string }[] = [
  { name: 'budget', label: 'Budget (labels)', hint: 'Judgments to collect in all.' },
  { name: 'retrainEvery', label: 'Retrain every (labels)', hint: 'Judgments between reward-model fits.' },
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
    hint: 'Share of new comparisons drawn uniformly at random (0 to 0.5): the unbiased held-out set.',
  },
];

// StrategyFields names its controls campaign-strategy and campaign-model (no other form on the dashboard does).
const fieldId = (field: SettingsField) =>
  field === 'strategy' || field === 'model' ? `campaign-${field}` : `settings-${field}`;

function SettingsForm({ campaign }: { campaign: CampaignView }) {
  const api = useApi();
  const refresh = useRefreshCampaign(campaign.id);
  const isDraft = campaign.status === 'draft';
  const [values, setValues] = useState<SettingsValues>(() => settingsFromCampaign(campaign));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<readonly string[]>([]);
  const [unchanged, setUnchanged] = useState(false);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useMutation({
    mutationFn: (patch: object) => api.patch<CampaignView>(`/campaigns/${campaign.id}`, patch),
    onSuccess: (saved) => setValues(settingsFromCampaign(saved)),
    onError: (error) => {
      const mapped = serverFieldErrors(error);
      if (mapped) refuse(mapped.fieldErrors, mapped.otherErrors);
    },
    // Even a refusal (a draft started meanwhile) means our copy may be stale.
    onSettled: () => refresh(),
  });

  // After a refused submit, focus goes to the first field in error (a summary is announced too).
  useEffect(() => {
    if (failedSubmits > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failedSubmits]);

  function refuse(fieldErrors: FieldErrors, others: readonly string[]) {
    setErrors(fieldErrors);
    setOtherErrors(others);
    setFailedSubmits((n) => n + 1);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    setUnchanged(false);
    const outcome = validateSettings(campaign, values);
    if (!outcome.patch) {
      refuse(outcome.fieldErrors, outcome.otherErrors);
      return;
    }
    setErrors({});
    setOtherErrors([]);
    const changed = Object.keys(outcome.patch);
    if (changed.length === 0) setUnchanged(true);
    else save.mutate(outcome.patch);
  }

  const set = (change: Partial<SettingsValues>) => {
    setValues((current) => ({ ...current, ...change }));
    // An edited field's error described the old value: it goes (the others stay until the next save).
    setErrors((current) => {
      const edited = Object.keys(change).filter((field) => field in current);
      if (edited.length === 0) return current;
      const rest = { ...current };
      for (const field of edited) delete rest[field as FieldName];
      return rest;
    });
  };
  const text = (name: SettingsField) => ({
    value: values[name],
    onChange: (event: { target: { value: string } }) => set({ [name]: event.target.value }),
  });
  const problems = Object.entries(errors) as [FieldName, string][];
  const savedFields = save.isSuccess ? Object.keys(save.variables).map((f) => FIELD_LABELS[f as FieldName] ?? f) : [];
  // A VALIDATION_FAILED answer is shown field by field; anything else as one alert.
  const failure = save.isError && !serverFieldErrors(save.error) ? save.error : null;

  return (
    <form ref={formRef} className="campaign-form" onSubmit={onSubmit} noValidate aria-label="Campaign settings">
      <FormField id={fieldId('name')} label="Name" error={errors.name}>
        {(control) => <input {...control} {...text('name')} type="text" autoComplete="off" required />}
      </FormField>
      <FormField id={fieldId('description')} label="Description" error={errors.description} hint="For researchers.">
        {(control) => <textarea {...control} {...text('description')} rows={2} />}
      </FormField>
      <FormField
        id={fieldId('guidelines')}
        label="Guidelines for labelers (Markdown)"
        error={errors.guidelines}
        hint={
          isDraft
            ? 'Shown to labelers beside every comparison.'
            : 'Shown to labelers beside every comparison. Saving a change makes it a new version: each labeler must read and confirm it before their next comparison.'
        }
      >
        {(control) => <textarea {...control} {...text('guidelines')} rows={8} />}
      </FormField>
      <div className="form-row">
        {NUMBER_FIELDS.map(({ name, label, hint }) => (
          <FormField key={name} id={fieldId(name)} label={label} hint={hint} error={errors[name]}>
            {(control) => <input {...control} {...text(name)} type="number" inputMode="numeric" />}
          </FormField>
        ))}
      </div>
      {isDraft ? (
        <fieldset className="draft-only-fields">
          <legend>Only while the campaign is a draft</legend>
          <StrategyFields
            strategy={values.strategy}
            model={values.model}
            onChange={(change) => set(change)}
            errors={{ strategy: errors.strategy, model: errors.model }}
          />
          <FormField
            id={fieldId('redundancy')}
            label="Redundancy (labels per comparison)"
            error={errors.redundancy}
            hint="Different labelers who judge each comparison (2 or more measures agreement)."
          >
            {(control) => <input {...control} {...text('redundancy')} type="number" inputMode="numeric" />}
          </FormField>
        </fieldset>
      ) : (
        <p className="muted">Strategy, reward model and redundancy are fixed once the campaign has started.</p>
      )}

      <ErrorSummary
        stops="the settings from being saved"
        problems={problems.map(([field, message]) => ({
          id: fieldId(field as SettingsField),
          label: FIELD_LABELS[field],
          message,
        }))}
        otherErrors={otherErrors}
      />
      <ErrorAlert error={failure} title="The settings could not be saved" />
      {save.isSuccess && (
        <p role="status" className="alert alert-success">
          Settings saved: {savedFields.join(', ')}.
        </p>
      )}
      {unchanged && (
        <p role="status" className="muted">
          Nothing changed: there was nothing to save.
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving settings…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
