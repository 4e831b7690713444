/**
 * Step 1 of a new campaign: its settings. Checked here with the API's schema before anything is
 * sent; the server's own VALIDATION_FAILED issues land next to the same fields. Creates a draft.
 */
import type { CampaignView } from '@borda/api-contract';
import { type AspectDraft, AspectsEditor, aspectsRequest } from './AspectsEditor';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useApi } from '../../auth/session';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ErrorAlert } from '../../components/feedback';
import { Markdown } from '../../components/Markdown';
import { AdvancedFields } from './AdvancedFields';
import {
  ADVANCED_FIELDS,
  type CampaignFormValues,
  DEFAULT_VALUES,
  FIELD_LABELS,
  type FieldErrors,
  type FieldName,
  serverFieldErrors,
  validateCampaignForm,
} from './campaign-form';
import { FormField } from '../../components/FormField';
import { LabelerChecklist } from './LabelerChecklist';
import { useCatalog } from './queries';
import { effectiveStrategy, StrategyFields } from './StrategyFields';

export interface CampaignSettingsFormProps {
  readonly onCreated: (campaign: CampaignView) => void;
}

export function CampaignSettingsForm({ onCreated }: CampaignSettingsFormProps) {
  const api = useApi();
  const catalog = useCatalog();
  const [values, setValues] = useState<CampaignFormValues>(DEFAULT_VALUES);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<readonly string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const [aspects, setAspects] = useState<readonly AspectDraft[]>([]);
  const [trainingAspect, setTrainingAspect] = useState<number | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // After a refused submit, focus goes to the first field in error (a summary is announced too).
  useEffect(() => {
    if (failedSubmits > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failedSubmits]);

  const set = (change: Partial<CampaignFormValues>) => {
    setValues((current) => ({ ...current, ...change }));
    // A field's error goes once the field is edited: it described the value that is no longer there.
    setErrors((current) => {
      const edited = Object.keys(change).filter((field) => field in current);
      if (edited.length === 0) return current;
      const rest = { ...current };
      for (const field of edited) delete rest[field as FieldName];
      return rest;
    });
  };
  const text = (name: FieldName) => ({
    value: values[name] as string,
    onChange: (event: { target: { value: string } }) => set({ [name]: event.target.value }),
  });

  function refuse(fieldErrors: FieldErrors, others: readonly string[]) {
    setErrors(fieldErrors);
    setOtherErrors(others);
    if (ADVANCED_FIELDS.some((field) => fieldErrors[field])) setAdvancedOpen(true);
    setFailedSubmits((n) => n + 1);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const strategy = effectiveStrategy(catalog.data?.strategies, values.strategy);
    const effective = { ...values, strategy: strategy?.name ?? values.strategy };
    const outcome = validateCampaignForm(effective, strategy);
    if (!outcome.request) {
      refuse(outcome.fieldErrors, outcome.otherErrors);
      return;
    }
    setErrors({});
    setOtherErrors([]);
    setBusy(true);
    try {
      const request = { ...outcome.request, ...aspectsRequest(aspects, trainingAspect) };
      onCreated(await api.post<CampaignView>('/campaigns', request));
    } catch (error) {
      const mapped = serverFieldErrors(error);
      if (mapped) refuse(mapped.fieldErrors, mapped.otherErrors);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const problems = Object.entries(errors) as [FieldName, string][];

  return (
    <form ref={formRef} className="campaign-form" onSubmit={onSubmit} noValidate aria-label="Campaign settings">
      <FormField id="campaign-name" label="Name" error={errors.name}>
        {(control) => <input {...control} {...text('name')} type="text" autoComplete="off" required />}
      </FormField>
      <FormField id="campaign-description" label="Description" error={errors.description} hint="For researchers.">
        {(control) => <textarea {...control} {...text('description')} rows={2} />}
      </FormField>

      <div className="grid-2 guidelines-editor">
        <FormField
          id="campaign-guidelines"
          label="Guidelines for labelers (Markdown)"
          error={errors.guidelines}
          hint="Shown to labelers beside every comparison."
        >
          {(control) => <textarea {...control} {...text('guidelines')} rows={10} />}
        </FormField>
        <section className="guidelines-preview" aria-labelledby="guidelines-preview-title">
          <h3 id="guidelines-preview-title">Guidelines preview</h3>
          {values.guidelines.trim() ? (
            <Markdown text={values.guidelines} />
          ) : (
            <p className="muted">Nothing written yet.</p>
          )}
        </section>
      </div>

      <StrategyFields
        strategy={values.strategy}
        model={values.model}
        onChange={(change) => set(change)}
        errors={{ strategy: errors.strategy, model: errors.model }}
      />

      <div className="form-row">
        <FormField
          id="campaign-budget"
          label="Budget (labels)"
          error={errors.budget}
          hint="Judgments to collect in all."
        >
          {(control) => <input {...control} {...text('budget')} type="number" inputMode="numeric" min={1} required />}
        </FormField>
        <FormField
          id="campaign-redundancy"
          label="Redundancy (labels per comparison)"
          error={errors.redundancy}
          hint="Different labelers who judge each comparison (2 or more measures agreement)."
        >
          {(control) => (
            <input {...control} {...text('redundancy')} type="number" inputMode="numeric" min={1} max={20} />
          )}
        </FormField>
        <FormField
          id="campaign-retrainEvery"
          label="Retrain every (labels)"
          error={errors.retrainEvery}
          hint="Judgments between reward-model fits."
        >
          {(control) => <input {...control} {...text('retrainEvery')} type="number" inputMode="numeric" min={1} />}
        </FormField>
      </div>

      <AspectsEditor
        aspects={aspects}
        training={trainingAspect}
        onChange={(next, training) => {
          setAspects(next);
          setTrainingAspect(training);
        }}
      />

      <AdvancedFields values={values} errors={errors} open={advancedOpen} onToggle={setAdvancedOpen} onChange={set} />

      <LabelerChecklist
        id="campaign-labelerIds"
        legend="Labelers to assign"
        selected={values.labelerIds}
        onChange={(labelerIds) => set({ labelerIds })}
        error={errors.labelerIds}
      />

      <ErrorSummary
        stops="the draft from being created"
        problems={problems.map(([field, message]) => ({
          id: `campaign-${field}`,
          label: FIELD_LABELS[field],
          message,
        }))}
        otherErrors={otherErrors}
      />
      <ErrorAlert error={failure} title="The draft could not be created" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy || catalog.isPending}>
          {busy ? 'Creating draft…' : 'Create draft'}
        </button>
      </div>
    </form>
  );
}
