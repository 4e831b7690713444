import type { UserView } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PeoplePage } from '../src/console/PeoplePage';
import { LABELER, RESEARCHER, type Responder, renderWithApp, scriptedFetch } from './render';

const ADMIN: UserView = {
  ...RESEARCHER,
  id: '00000000-0000-4000-8000-000000000009',
  email: 'admin@example.com',
  name: 'Ada Admin',
  role: 'admin',
};
const NEWCOMER: UserView = {
  id: '00000000-0000-4000-8000-000000000010',
  email: 'nia@example.com',
  name: 'Nia Newcomer',
  role: 'labeler',
  createdAt: '2026-02-01T00:00:00.000Z',
};

/** GET /users answers from `accounts`, filtered by ?role= as the API does. */
function renderPage(accounts: UserView[] = [ADMIN, RESEARCHER, LABELER], extra: Record<string, Responder> = {}) {
  const api = scriptedFetch({
    'GET /users': (request) => {
      const role = new URL(request.path, 'http://localhost').searchParams.get('role');
      return { status: 200, body: accounts.filter((a) => !role || a.role === role) };
    },
    ...extra,
  });
  renderWithApp(<PeoplePage />, { user: ADMIN, fetch: api.fetch, path: '/console/people' });
  return api;
}

const userPosts = (api: ReturnType<typeof scriptedFetch>) =>
  api.requests.filter((r) => r.method === 'POST' && r.path === '/users');
const userGets = (api: ReturnType<typeof scriptedFetch>) =>
  api.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/users')).map((r) => r.path);

async function fillForm(user: ReturnType<typeof userEvent.setup>, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await user.type(screen.getByLabelText(label), value);
}

describe('PeoplePage', () => {
  it('lists every account, then asks the server for one role when the filter changes', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'People' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Accounts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(table).getByRole('rowheader', { name: /Ada Admin \(you\)/ })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /Lee Labeler/ })).toHaveTextContent('labeler');
    expect(screen.getByRole('region', { name: 'Accounts, scrollable' })).toHaveAttribute('tabindex', '0');
    expect(userGets(api)).toEqual(['/users']);

    await user.selectOptions(screen.getByLabelText('Filter by role'), 'labeler');
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Accounts' })).getAllByRole('row')).toHaveLength(2),
    );
    expect(screen.getByRole('rowheader', { name: 'Lee Labeler' })).toBeInTheDocument();
    expect(screen.getByText('1 labeler')).toBeInTheDocument();
    expect(userGets(api)).toEqual(['/users', '/users?role=labeler']);
  });

  it('refuses an invalid form without sending it, with each problem next to its field', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    await screen.findByRole('table', { name: 'Accounts' });
    await fillForm(user, { Name: 'Nia', Email: 'not-an-email', Password: 'short' });
    await user.click(screen.getByRole('button', { name: 'Add person' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('2 problems stop the account from being added');
    const email = screen.getByLabelText('Email');
    const password = screen.getByLabelText('Password');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(expect.stringContaining('Enter an email address like name@example.com.'));
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(expect.stringContaining('Use at least 8 characters'));
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(email).toHaveFocus();
    expect(userPosts(api)).toHaveLength(0);
  });

  it('posts a valid form, hands over the password once and refreshes the list', async () => {
    const user = userEvent.setup();
    const accounts = [ADMIN, RESEARCHER, LABELER];
    const api = renderPage(accounts, {
      'POST /users': () => {
        accounts.push(NEWCOMER);
        return { status: 201, body: NEWCOMER };
      },
    });
    await screen.findByRole('table', { name: 'Accounts' });
    await fillForm(user, { Name: '  Nia Newcomer ', Email: 'nia@example.com', Password: 'correct horse' });
    expect(screen.getByLabelText('Role')).toHaveValue('labeler');
    await user.click(screen.getByRole('button', { name: 'Add person' }));

    const success = await screen.findByRole('alert');
    expect(success).toHaveTextContent(
      'Added Nia Newcomer (nia@example.com) as labeler. Password: correct horse — hand it over now, it is not shown again.',
    );
    expect(userPosts(api).map((r) => r.body)).toEqual([
      { name: 'Nia Newcomer', email: 'nia@example.com', role: 'labeler', password: 'correct horse' },
    ]);
    expect(await screen.findByRole('rowheader', { name: 'Nia Newcomer' })).toBeInTheDocument();
    expect(userGets(api)).toEqual(['/users', '/users']);
    // The form is ready for the next person, and the typed password is gone from it.
    expect(screen.getByLabelText('Name')).toHaveValue('');
    expect(screen.getByLabelText('Password')).toHaveValue('');

    await user.click(within(success).getByRole('button', { name: 'Copy Nia Newcomer’s password' }));
    expect(await navigator.clipboard.readText()).toBe('correct horse');
    expect(within(success).getByRole('status')).toHaveTextContent('Copied.');
  });

  it('puts a taken email (409 CONFLICT) on the Email field', async () => {
    const user = userEvent.setup();
    renderPage(undefined, {
      'POST /users': () => ({
        status: 409,
        body: {
          code: 'CONFLICT',
          message: 'a user with email r@example.com already exists',
          details: { field: 'email' },
        },
      }),
    });
    await screen.findByRole('table', { name: 'Accounts' });
    await fillForm(user, { Name: 'Rita Again', Email: 'r@example.com', Password: 'long enough' });
    await user.click(screen.getByRole('button', { name: 'Add person' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Email: r@example.com already has an account');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(expect.stringContaining('r@example.com already has an account'));
    expect(email).toHaveFocus();
  });

  it('maps the server’s validation issues onto fields and a 403 onto a plain sentence', async () => {
    const user = userEvent.setup();
    let answer: { status: number; body: unknown } = {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: 'name: too long',
        details: { issues: [{ path: 'name', message: 'name is too long' }] },
      },
    };
    renderPage(undefined, { 'POST /users': () => answer });
    await screen.findByRole('table', { name: 'Accounts' });
    await fillForm(user, { Name: 'Nia', Email: 'nia@example.com', Password: 'long enough' });
    await user.click(screen.getByRole('button', { name: 'Add person' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Name: name is too long');
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');

    answer = { status: 403, body: { code: 'FORBIDDEN', message: 'requires role admin' } };
    await user.click(screen.getByRole('button', { name: 'Add person' }));
    expect(await screen.findByText('Only admins can add people.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });

  it('generates a strong password, shows it and copies it', async () => {
    const user = userEvent.setup();
    renderPage();
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    const generated = (password as HTMLInputElement).value;
    expect(generated.length).toBeGreaterThanOrEqual(16);
    expect(password).toHaveAttribute('type', 'text');
    expect(screen.getByRole('button', { name: 'Show password' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect((password as HTMLInputElement).value).not.toBe(generated);

    await user.click(screen.getByRole('button', { name: 'Copy password' }));
    expect(await navigator.clipboard.readText()).toBe((password as HTMLInputElement).value);
  });
});
