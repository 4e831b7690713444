/** Launches a regret simulation: checked here with the API's schema before anything is sent. */
import type { CatalogResponse } from '@borda/api-contract';
import { type FormEvent, useState } from 'react';
import { flushSync } from 'react-dom';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/feedback';
import { AdvancedLaunchFields } from './AdvancedLaunchFields';
import { useLaunchSimulation } from './api';
import {
  checkLaunch,
  hasAdvancedError,
  INITIAL_VALUES,
  LAUNCH_FIELDS,
  type LaunchErrors,
  type LaunchField,
  type LaunchFormValues,
  serverFieldErrors,
} from './form';
import { NumberField } from './NumberField';

const errorId = (field: LaunchField) => `sim-${field}-error`;
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

function FieldError({ field, errors }: { field: LaunchField; errors: LaunchErrors }) {
  if (!errors[field]) return null;
  return (
    <p id={errorId(field)} className="field-error">
      {errors[field]}
    </p>
  );
}

export function LaunchForm({ catalog }: { catalog: CatalogResponse }) {
  const navigate = useNavigate();
  const [values, setValues] = useState<LaunchFormValues>(INITIAL_VALUES);
  const [errors, setErrors] = useState<LaunchErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const launch = useLaunchSimulation((simulation) => navigate(`/console/simulations/${simulation.id}`));
  // The first environment is preselected; the state stays '' until the researcher picks another.
  const environment = values.environment || catalog.environments[0]?.name || '';
  const current = { ...values, environment };
  const environmentInfo = catalog.environments.find((e) => e.name === environment);

  function update(patch: Partial<LaunchFormValues>) {
    const next = { ...current, ...patch };
    setValues(next);
    // After a failed attempt, errors follow the fixes as they are made.
    if (attempted) {
      const check = checkLaunch(next);
      setErrors(check.ok ? {} : check.errors);
    }
  }

  /** Shows a refusal; an error inside the collapsed section opens it (at once, so focus can reach it). */
  function refuse(refused: LaunchErrors) {
    flushSync(() => {
      setErrors(refused);
      if (hasAdvancedError(refused)) setAdvancedOpen(true);
    });
  }

  function toggleStrategy(name: string, checked: boolean) {
    update({ strategies: checked ? [...current.strategies, name] : current.strategies.filter((s) => s !== name) });
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    const check = checkLaunch(current);
    if (!check.ok) {
      refuse(check.errors);
      const first = LAUNCH_FIELDS.find((field) => check.errors[field]);
      const target = first === 'strategies' ? `sim-strategy-${catalog.strategies[0]?.name}` : `sim-${first}`;
      document.getElementById(target)?.focus();
      return;
    }
    setErrors({});
    launch.mutate(check.request, {
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') refuse(serverFieldErrors(error.details));
      },
    });
  }

  const problems = Object.values(errors);
  return (
    <form className="card launch-form" onSubmit={onSubmit} noValidate aria-labelledby="launch-title">
      <h2 id="launch-title">Launch a simulation</h2>
      {attempted && problems.length > 0 && (
        <div role="alert" className="alert alert-error">
          <strong>The simulation was not launched:</strong>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}

      <label htmlFor="sim-environment">Environment</label>
      <select
        id="sim-environment"
        value={environment}
        onChange={(e) => update({ environment: e.target.value })}
        aria-invalid={errors.environment ? true : undefined}
        aria-describedby={describedBy('sim-environment-hint', errors.environment && errorId('environment'))}
      >
        {catalog.environments.map((e) => (
          <option key={e.name} value={e.name}>
            {e.name}
          </option>
        ))}
      </select>
      <p id="sim-environment-hint" className="field-hint">
        {environmentInfo?.description ?? 'The synthetic world the strategies are tested in.'}
      </p>
      <FieldError field="environment" errors={errors} />

      <fieldset className="strategy-picker">
        <legend>Strategies (choose 1 to 8)</legend>
        <p className="field-hint">
          {current.strategies.length} selected. Include <code>uniform</code> to get each strategy&apos;s
          label-efficiency ratio.
        </p>
        {catalog.strategies.map((s) => {
          const id = `sim-strategy-${s.name}`;
          return (
            <div key={s.name} className="strategy-option">
              <input
                type="checkbox"
                id={id}
                checked={current.strategies.includes(s.name)}
                onChange={(e) => toggleStrategy(s.name, e.target.checked)}
                aria-invalid={errors.strategies ? true : undefined}
                aria-describedby={describedBy(`${id}-hint`, errors.strategies && errorId('strategies'))}
              />
              <label htmlFor={id}>{s.name}</label>
              <p id={`${id}-hint`} className="field-hint">
                {s.description} <span className="muted">(model: {s.defaultModel})</span>
              </p>
            </div>
          );
        })}
        <FieldError field="strategies" errors={errors} />
      </fieldset>

      <div className="number-fields">
        <NumberField
          field="budget"
          label="Budget (labels per run)"
          hint="1 to 2000."
          values={current}
          errors={errors}
          onChange={update}
          min={1}
          max={2000}
        />
        <NumberField
          field="batchSize"
          label="Batch size"
          hint="Queries chosen per round, 1 to 256."
          values={current}
          errors={errors}
          onChange={update}
          min={1}
          max={256}
        />
        <NumberField
          field="seeds"
          label="Seeds per strategy"
          hint="Runs averaged for the 95% CI, 1 to 20."
          values={current}
          errors={errors}
          onChange={update}
          min={1}
          max={20}
        />
        <NumberField
          field="beta"
          label="β (optional)"
          hint="Confidence width; empty uses each strategy's default."
          values={current}
          errors={errors}
          onChange={update}
          min={0}
          max={100}
          step="any"
        />
      </div>
      <AdvancedLaunchFields
        values={current}
        errors={errors}
        open={advancedOpen}
        onToggle={setAdvancedOpen}
        onChange={update}
      />

      {launch.isError && <ErrorAlert error={launch.error} title="The simulation was not launched" />}
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={launch.isPending}
          aria-describedby="launch-status"
        >
          Launch simulation
        </button>
        <span id="launch-status" className="muted" role="status">
          {launch.isPending ? 'Launching…' : ''}
        </span>
      </div>
    </form>
  );
}
