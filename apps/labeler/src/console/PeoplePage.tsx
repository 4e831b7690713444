/**
 * Admins onboard people here: every account at a glance (filtered by role on the server), and a
 * form that creates one and hands over its password once. The route is for admins only.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorAlert, Loading } from '../components/feedback';
import { AccountButtons, type ResetDone, ResetNotice, useAccountActions } from './people/AccountActions';
import { AddPersonForm } from './people/AddPersonForm';
import { InvitePanel } from './people/InvitePanel';
import { PeopleTable } from './people/PeopleTable';
import { peopleKeys, type RoleFilter, usePeople } from './people/queries';
import './campaign/console.css';
import './people/people.css';

const FILTERS: readonly { value: RoleFilter; label: string; noun: [string, string] }[] = [
  { value: 'all', label: 'All roles', noun: ['account', 'accounts'] },
  { value: 'labeler', label: 'Labelers', noun: ['labeler', 'labelers'] },
  { value: 'researcher', label: 'Researchers', noun: ['researcher', 'researchers'] },
  { value: 'admin', label: 'Admins', noun: ['admin', 'admins'] },
];

export function PeoplePage() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<RoleFilter>('all');
  const people = usePeople(filter);
  const chosen = FILTERS.find((f) => f.value === filter) ?? FILTERS[0];
  const [resetDone, setResetDone] = useState<ResetDone | null>(null);
  const { setActive, reset } = useAccountActions(setResetDone);
  const busy = setActive.isPending || reset.isPending;

  // Every list of people (this page's, the campaign form's labelers) learns of the new account.
  const refresh = () => queryClient.invalidateQueries({ queryKey: peopleKeys.all });

  return (
    <div className="console-page people-page">
      <h1>People</h1>
      <p className="page-lead muted">
        Add labelers, researchers and admins, then hand each their email and password. Labelers see only the campaigns
        they are assigned to.
      </p>
      <div className="people-layout">
        <section className="card people-list" aria-labelledby="people-list-title">
          <h2 id="people-list-title">Accounts</h2>
          <label htmlFor="people-role-filter">Filter by role</label>
          <select
            id="people-role-filter"
            className="people-filter"
            value={filter}
            onChange={(event) => setFilter(event.target.value as RoleFilter)}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          {people.isPending && <Loading label="Loading accounts…" />}
          <ErrorAlert error={people.error} title="Accounts could not be loaded" />
          <ErrorAlert error={setActive.error} title="The account was not changed" />
          <ErrorAlert error={reset.error} title="The password was not reset" />
          {resetDone && <ResetNotice done={resetDone} onDismiss={() => setResetDone(null)} />}
          {people.data && (
            <>
              <p role="status" className="muted people-count">
                {people.data.length} {chosen.noun[people.data.length === 1 ? 0 : 1]}
              </p>
              {people.data.length > 0 ? (
                <PeopleTable
                  people={people.data}
                  currentUserId={user?.id}
                  actions={(person) => (
                    <AccountButtons
                      person={person}
                      isSelf={person.id === user?.id}
                      busy={busy}
                      onActive={(active) => setActive.mutate({ user: person, active })}
                      onReset={() => reset.mutate(person)}
                    />
                  )}
                />
              ) : (
                <p className="muted">No {chosen.noun[1]} yet.</p>
              )}
            </>
          )}
        </section>
        <div className="people-side">
          <section className="card people-add">
            <AddPersonForm onAdded={refresh} />
          </section>
          <div className="card people-invite">
            <InvitePanel />
          </div>
        </div>
      </div>
    </div>
  );
}
