/**
 * "Add a person": checked with the API's own schema before anything is sent, the server's refusals
 * placed on the fields they concern, then a one-time handover of the password (the API never shows
 * it again: it keeps only a hash).
 */
import { ROLES, type UserView } from '@borda/api-contract';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useApi } from '../../auth/session';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ErrorAlert } from '../../components/feedback';
import { FormField } from '../../components/FormField';
import { CopyButton } from './CopyButton';
import {
  EMPTY_PERSON,
  generatePassword,
  PERSON_FIELD_LABELS,
  type PersonErrors,
  type PersonField,
  personFieldId,
  type PersonFormValues,
  serverRefusal,
  validatePerson,
} from './people-form';

const ROLE_LABELS: Record<UserView['role'], string> = {
  labeler: 'Labeler — compares responses',
  researcher: 'Researcher — runs campaigns',
  admin: 'Admin — runs campaigns and manages people',
};

interface AddedPerson {
  readonly user: UserView;
  readonly password: string;
}

export function AddPersonForm({ onAdded }: { onAdded: (user: UserView) => Promise<void> | void }) {
  const api = useApi();
  const [values, setValues] = useState<PersonFormValues>(EMPTY_PERSON);
  const [errors, setErrors] = useState<PersonErrors>({});
  const [formError, setFormError] = useState<string>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [passwordShown, setPasswordShown] = useState(false);
  const [notice, setNotice] = useState('');
  const [added, setAdded] = useState<AddedPerson | null>(null);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // After a refused submit, focus goes to the first field in error (the summary is announced too).
  useEffect(() => {
    if (failedSubmits > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failedSubmits]);

  const set = (change: Partial<PersonFormValues>) => setValues((current) => ({ ...current, ...change }));

  function refuse(fieldErrors: PersonErrors, message?: string) {
    setErrors(fieldErrors);
    setFormError(message);
    setFailedSubmits((n) => n + 1);
  }

  function generate() {
    const password = generatePassword();
    set({ password });
    setPasswordShown(true);
    setNotice(`Generated a ${password.length}-character password; it is shown in the Password field.`);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setNotice('');
    const { request, fieldErrors } = validatePerson(values);
    if (!request) return refuse(fieldErrors);
    setErrors({});
    setFormError(undefined);
    setBusy(true);
    try {
      const user = await api.post<UserView>('/users', request);
      setAdded({ user, password: request.password });
      setValues({ ...EMPTY_PERSON, role: values.role });
      setPasswordShown(false);
      await onAdded(user);
    } catch (error) {
      const refusal = serverRefusal(error, values.email);
      if (refusal) refuse(refusal.fieldErrors, refusal.formError);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const problems = (Object.keys(PERSON_FIELD_LABELS) as PersonField[]).filter((field) => errors[field]);

  return (
    <form ref={formRef} className="person-form" onSubmit={onSubmit} noValidate aria-labelledby="add-person-title">
      <h2 id="add-person-title">Add a person</h2>
      {added && <AddedNotice added={added} onDismiss={() => setAdded(null)} />}
      <FormField id={personFieldId('name')} label="Name" error={errors.name}>
        {(control) => (
          <input
            {...control}
            value={values.name}
            onChange={(e) => set({ name: e.target.value })}
            autoComplete="off"
            required
          />
        )}
      </FormField>
      <FormField id={personFieldId('email')} label="Email" error={errors.email} hint="They sign in with it.">
        {(control) => (
          <input
            {...control}
            type="email"
            value={values.email}
            onChange={(e) => set({ email: e.target.value })}
            autoComplete="off"
            spellCheck={false}
            required
          />
        )}
      </FormField>
      <FormField id={personFieldId('role')} label="Role" error={errors.role}>
        {(control) => (
          <select {...control} value={values.role} onChange={(e) => set({ role: e.target.value as UserView['role'] })}>
            {[...ROLES].reverse().map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField
        id={personFieldId('password')}
        label="Password"
        error={errors.password}
        hint="At least 8 characters. Generate makes a strong one; hand it over privately."
      >
        {(control) => (
          <input
            {...control}
            type={passwordShown ? 'text' : 'password'}
            className="password-input"
            value={values.password}
            onChange={(e) => set({ password: e.target.value })}
            autoComplete="new-password"
            spellCheck={false}
            required
          />
        )}
      </FormField>
      <div className="button-row password-actions">
        <button type="button" className="button" onClick={generate}>
          Generate
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={passwordShown}
          onClick={() => setPasswordShown((shown) => !shown)}
        >
          Show password
        </button>
        <CopyButton text={values.password} label="Copy password" />
      </div>
      <p role="status" className="field-hint">
        {notice}
      </p>

      <ErrorSummary
        stops="the account from being added"
        problems={problems.map((field) => ({
          id: personFieldId(field),
          label: PERSON_FIELD_LABELS[field],
          message: errors[field] ?? '',
        }))}
        otherErrors={formError ? [formError] : []}
      />
      <ErrorAlert error={failure} title="The account could not be added" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add person'}
        </button>
      </div>
    </form>
  );
}

function AddedNotice({ added, onDismiss }: { added: AddedPerson; onDismiss: () => void }) {
  const { user, password } = added;
  return (
    <div role="alert" className="alert alert-success added-notice">
      <p>
        Added {user.name} ({user.email}) as {user.role}. Password: <code className="handover-password">{password}</code>{' '}
        — hand it over now, it is not shown again.
      </p>
      <div className="button-row">
        <CopyButton text={password} label={`Copy ${user.name}’s password`} />
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
