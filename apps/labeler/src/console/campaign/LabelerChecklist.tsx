/** Checkboxes over every labeler account, for assigning labelers to a campaign. */
import { useId } from 'react';
import { ErrorAlert, Loading } from '../../components/feedback';
import { useLabelerAccounts } from './queries';

export interface LabelerChecklistProps {
  readonly id?: string;
  readonly legend: string;
  readonly selected: readonly string[];
  readonly onChange: (ids: string[]) => void;
  readonly error?: string;
  readonly disabled?: boolean;
}

export function LabelerChecklist({ id, legend, selected, onChange, error, disabled }: LabelerChecklistProps) {
  const accounts = useLabelerAccounts();
  const errorId = useId();
  const chosen = new Set(selected);
  const all = accounts.data ?? [];

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    // Keep the accounts' order, so the request is stable whatever the clicking order.
    onChange(all.map((a) => a.id).filter((a) => next.has(a)));
  };

  return (
    <fieldset
      id={id}
      tabIndex={id ? -1 : undefined}
      className="labeler-checklist"
      aria-describedby={error ? errorId : undefined}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      {accounts.isPending && <Loading label="Loading labelers…" />}
      <ErrorAlert error={accounts.error} title="Labelers could not be loaded" />
      {accounts.isSuccess && all.length === 0 && (
        <p className="muted">No labeler accounts yet: an admin creates them (POST /users).</p>
      )}
      {all.length > 0 && (
        <>
          <div className="button-row">
            <button type="button" className="button" onClick={() => onChange(all.map((a) => a.id))}>
              Select all labelers
            </button>
            <button type="button" className="button" onClick={() => onChange([])}>
              Clear selection
            </button>
            <span className="muted" aria-live="polite">
              {chosen.size} of {all.length} selected
            </span>
          </div>
          <ul className="checklist">
            {all.map((account) => (
              <li key={account.id}>
                <label className="check-label">
                  <input
                    type="checkbox"
                    checked={chosen.has(account.id)}
                    onChange={(event) => toggle(account.id, event.target.checked)}
                  />
                  {account.name} <span className="muted">({account.email})</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
