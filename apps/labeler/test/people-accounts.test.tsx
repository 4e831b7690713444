/** The People page's account administration: deactivate / reactivate, password reset, CSV invitations. */
import type { UserView } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeoplePage } from '../src/console/PeoplePage';
import { passwordsCsv } from '../src/console/people/InvitePanel';
import { LABELER, RESEARCHER, renderWithApp, scriptedFetch } from './render';

const ADMIN: UserView = {
  ...RESEARCHER,
  id: '00000000-0000-4000-8000-000000000009',
  email: 'admin@example.com',
  name: 'Ada Admin',
  role: 'admin',
};

function renderPage() {
  let accounts: UserView[] = [ADMIN, { ...LABELER, disabledAt: null }];
  const api = scriptedFetch({
    'GET /users': () => ({ status: 200, body: accounts }),
    'POST /users/*': (request) => {
      const [, , id, action] = request.path.split('?')[0].split('/');
      if (id === 'invitations') {
        const { csv } = request.body as { csv: string };
        if (csv.includes('boss')) {
          return {
            status: 422,
            body: {
              code: 'IMPORT_INVALID',
              message: 'line 3: role must be one of admin, researcher, labeler, got "boss" (2 problem(s))',
              details: {
                issues: [
                  { line: 3, path: 'role', message: 'role must be one of admin, researcher, labeler, got "boss"' },
                  { line: 4, path: 'email', message: '"nope" is not an email address' },
                ],
              },
            },
          };
        }
        const rows = [
          { line: 2, email: 'ann@x.test', role: 'labeler', name: 'Ann' },
          { line: 3, email: 'bo@x.test', role: 'researcher', name: 'Bo, Jr' },
        ];
        if (request.path.includes('dryRun=true')) return { status: 200, body: { dryRun: true, rows } };
        return {
          status: 201,
          body: { dryRun: false, created: rows.map((r, i) => ({ ...r, id: `id-${i}`, password: `pw-${i}-secret` })) },
        };
      }
      if (action === 'password')
        return { status: 200, body: { userId: id, password: 'NewSecret123', sessionsRevoked: 2 } };
      accounts = accounts.map((a) =>
        a.id === id ? { ...a, disabledAt: action === 'disable' ? '2026-12-07T10:00:00.000Z' : null } : a,
      );
      return { status: 200, body: accounts.find((a) => a.id === id) };
    },
  });
  renderWithApp(<PeoplePage />, { user: ADMIN, fetch: api.fetch, path: '/console/people' });
  return api;
}

const posts = (api: ReturnType<typeof scriptedFetch>) =>
  api.requests.filter((r) => r.method === 'POST').map((r) => r.path);

describe('People: account administration', () => {
  beforeEach(() => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('deactivates and reactivates an account, never offering it for the admin themselves', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    const table = await screen.findByRole('table', { name: 'Accounts' });
    const row = within(table).getByRole('row', { name: /Lee Labeler/ });
    expect(within(row).getByText('Active')).toBeInTheDocument();
    const self = within(table).getByRole('row', { name: /Ada Admin/ });
    expect(within(self).queryByRole('button', { name: /Deactivate/ })).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'Deactivate Lee Labeler' }));
    expect(window.confirm).toHaveBeenCalled();
    await waitFor(() => expect(within(row).getByText('Deactivated')).toBeInTheDocument());
    expect(posts(api)).toEqual([`/users/${LABELER.id}/disable`]);
    await user.click(within(row).getByRole('button', { name: 'Reactivate Lee Labeler' }));
    await waitFor(() => expect(within(row).getByText('Active')).toBeInTheDocument());
    expect(posts(api)).toEqual([`/users/${LABELER.id}/disable`, `/users/${LABELER.id}/enable`]);
  });

  it('does nothing when the admin cancels the confirmation', async () => {
    const user = userEvent.setup();
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    const api = renderPage();
    const table = await screen.findByRole('table', { name: 'Accounts' });
    await user.click(within(table).getByRole('button', { name: 'Deactivate Lee Labeler' }));
    await user.click(within(table).getByRole('button', { name: 'Reset password of Lee Labeler' }));
    expect(posts(api)).toEqual([]);
  });

  it('resets a password and shows the new one once', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    const table = await screen.findByRole('table', { name: 'Accounts' });
    await user.click(within(table).getByRole('button', { name: 'Reset password of Lee Labeler' }));
    const notice = await screen.findByText(/New password for Lee Labeler/);
    expect(notice).toHaveTextContent('NewSecret123');
    expect(posts(api)).toEqual([`/users/${LABELER.id}/password`]);
    await user.click(within(notice.closest('.alert') as HTMLElement).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('NewSecret123')).not.toBeInTheDocument();
  });

  it('checks a CSV by dry run and lists its problems by line, creating nothing', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    const file = new File(['email,role\nann@x.test,labeler\ncarl@x.test,boss\nnope,labeler\n'], 'team.csv', {
      type: 'text/csv',
    });
    await user.upload(screen.getByLabelText('CSV file'), file);
    const alert = await screen.findByText(/team.csv: 2 problems; nobody was invited/);
    const rows = within(alert.closest('.alert') as HTMLElement).getAllByRole('row');
    expect(rows.slice(1).map((r) => r.textContent)).toEqual([
      '3rolerole must be one of admin, researcher, labeler, got "boss"',
      '4email"nope" is not an email address',
    ]);
    expect(posts(api)).toEqual(['/users/invitations?dryRun=true']);
    expect(screen.queryByRole('button', { name: /^Create/ })).not.toBeInTheDocument();
  });

  it('creates the checked accounts, shows each password once and offers them as a CSV', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    const csv = 'email,role,name\nann@x.test,labeler,Ann\nbo@x.test,researcher,"Bo, Jr"\n';
    await user.upload(screen.getByLabelText('CSV file'), new File([csv], 'team.csv', { type: 'text/csv' }));
    expect(await screen.findByText(/2 people to invite: Ann \(labeler\), Bo, Jr \(researcher\)/)).toBeInTheDocument();
    const dry = api.requests.find((r) => r.path === '/users/invitations?dryRun=true')!;
    expect(dry.body).toEqual({ csv });

    await user.click(screen.getByRole('button', { name: 'Create 2 accounts' }));
    expect(await screen.findByText(/Created 2 accounts/)).toBeInTheDocument();
    expect(screen.getByText('pw-0-secret')).toBeInTheDocument();
    expect(posts(api)).toEqual(['/users/invitations?dryRun=true', '/users/invitations']);
    expect(screen.getByRole('button', { name: 'Download passwords (CSV)' })).toBeInTheDocument();
    expect(
      passwordsCsv([
        { line: 2, id: 'a', email: 'ann@x.test', role: 'labeler', name: 'Ann', password: 'p1' },
        { line: 3, id: 'b', email: 'bo@x.test', role: 'researcher', name: 'Bo, "Jr"', password: 'p2' },
      ]),
    ).toBe('email,role,name,password\r\nann@x.test,labeler,Ann,p1\r\nbo@x.test,researcher,"Bo, ""Jr""",p2\r\n');
  });
});
