/**
 * Per-account actions for an admin: deactivate / reactivate (POST /users/:id/disable|enable: the
 * account's sessions and tokens stop at once) and reset the password (a generated one, shown once,
 * while the user's sessions are revoked).
 */
import type { PasswordResetResponse, UserView } from '@borda/api-contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/session';
import { CopyButton } from './CopyButton';
import { peopleKeys } from './queries';

export interface ResetDone {
  readonly user: UserView;
  readonly password: string;
}

export function useAccountActions(onReset: (done: ResetDone) => void) {
  const api = useApi();
  const queryClient = useQueryClient();
  const setActive = useMutation({
    mutationFn: ({ user, active }: { user: UserView; active: boolean }) =>
      api.post<UserView>(`/users/${encodeURIComponent(user.id)}/${active ? 'enable' : 'disable'}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: peopleKeys.all }),
  });
  const reset = useMutation({
    mutationFn: (user: UserView) => api.post<PasswordResetResponse>(`/users/${encodeURIComponent(user.id)}/password`),
    onSuccess: (result, user) => onReset({ user, password: result.password }),
  });
  return { setActive, reset };
}

export function AccountButtons({
  person,
  isSelf,
  busy,
  onActive,
  onReset,
}: {
  person: UserView;
  isSelf: boolean;
  busy: boolean;
  onActive(active: boolean): void;
  onReset(): void;
}) {
  const disabled = Boolean(person.disabledAt);
  return (
    <div className="account-actions">
      {!isSelf && (
        <button
          type="button"
          className={disabled ? 'button' : 'button button-danger'}
          aria-label={`${disabled ? 'Reactivate' : 'Deactivate'} ${person.name}`}
          disabled={busy}
          onClick={() => {
            if (disabled || window.confirm(`Deactivate ${person.name}? They are signed out at once.`))
              onActive(disabled);
          }}
        >
          {disabled ? 'Reactivate' : 'Deactivate'}
        </button>
      )}
      <button
        type="button"
        className="button"
        aria-label={`Reset password of ${person.name}`}
        disabled={busy}
        onClick={() => {
          if (window.confirm(`Reset ${person.name}’s password? Their sessions end and the old password stops working.`))
            onReset();
        }}
      >
        Reset password
      </button>
    </div>
  );
}

export function ResetNotice({ done, onDismiss }: { done: ResetDone; onDismiss(): void }) {
  return (
    <div role="alert" className="alert alert-success added-notice">
      <p>
        New password for {done.user.name} ({done.user.email}):{' '}
        <code className="handover-password">{done.password}</code> — hand it over now, it is not shown again. Their
        sessions were signed out.
      </p>
      <div className="button-row">
        <CopyButton text={done.password} label={`Copy ${done.user.name}’s new password`} />
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
