/** Every account (or those of one role): who they are, their role and when the account was made. */
import type { UserView } from '@borda/api-contract';
import { formatDateTime } from '../../components/format';
import { ScrollRegion } from '../campaign/ScrollRegion';

export function RoleBadge({ role }: { role: UserView['role'] }) {
  return <span className={`badge role-badge role-${role}`}>{role}</span>;
}

export function PeopleTable({ people, currentUserId }: { people: readonly UserView[]; currentUserId?: string }) {
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
            <th scope="col">Created</th>
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
                <time dateTime={person.createdAt}>{formatDateTime(person.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
