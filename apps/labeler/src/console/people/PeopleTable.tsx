/** Every account (or those of one role): who they are, their role, whether active, when made, and the admin's actions. */
import type { UserView } from '@borda/api-contract';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../components/format';
import { ScrollRegion } from '../campaign/ScrollRegion';

export function RoleBadge({ role }: { role: UserView['role'] }) {
  return <span className={`badge role-badge role-${role}`}>{role}</span>;
}

export function PeopleTable({
  people,
  currentUserId,
  actions,
}: {
  people: readonly UserView[];
  currentUserId?: string;
  actions?: (person: UserView) => ReactNode;
}) {
  // Newest first: the account just added is the one the admin looks for.
  const rows = [...people].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ScrollRegion label="Accounts, scrollable" className="people-scroll">
      <table className="people-table">
        <caption>Accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            {actions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((person) => (
            <tr key={person.id}>
              <th scope="row">
                {person.name}
                {person.id === currentUserId && (
                  <>
                    {' '}
                    <span className="muted">(you)</span>
                  </>
                )}
              </th>
              <td className="people-email">{person.email}</td>
              <td>
                <RoleBadge role={person.role} />
              </td>
              <td>
                {person.disabledAt ? (
                  <span className="badge badge-archived">Deactivated</span>
                ) : (
                  <span className="badge badge-active">Active</span>
                )}
              </td>
              <td>
                <time dateTime={person.createdAt}>{formatDateTime(person.createdAt)}</time>
              </td>
              {actions && <td>{actions(person)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
