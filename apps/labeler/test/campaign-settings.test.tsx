import type { CampaignView } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CampaignDashboardPage } from '../src/console/CampaignDashboardPage';
import type { AuditEntry } from '../src/console/campaign/AuditPanel';
import { campaignView } from './console-fixtures';
import { RESEARCHER, type Responder, renderWithApp, scriptedFetch } from './render';

const ID = '44444444-4444-4444-8444-444444444444';

const CAMPAIGN: CampaignView = campaignView({
  id: ID,
  ownerId: RESEARCHER.id,
  guidelines: 'Prefer the **helpful** answer.',
});

const AUDIT: AuditEntry[] = [
  {
    id: 7,
    actorId: RESEARCHER.id,
    campaignId: ID,
    action: 'campaign.updated',
    details: { changes: { budget: 2000, name: 'Helpfulness v2' } },
    createdAt: '2026-01-02T12:00:00.000Z',
  },
  {
    id: 3,
    actorId: '99999999-0000-4000-8000-000000000000',
    campaignId: ID,
    action: 'campaign.imported',
    details: { promptCount: 40, responseCount: 160 },
    createdAt: '2026-01-01T00:30:00.000Z',
  },
  {
    id: 1,
    actorId: null,
    campaignId: ID,
    action: 'campaign.created',
    details: { name: 'Helpfulness v1', strategy: 'borda-ucb', labelerIds: ['a', 'b'] },
    createdAt: '2026-01-01T00:00:00.000Z',
  },
];

/** The dashboard with every read it makes answered (empty where these tests do not care). */
function renderDashboard(campaign: Partial<CampaignView> = {}, extra: Record<string, Responder> = {}) {
  let current: CampaignView = { ...CAMPAIGN, ...campaign };
  const api = scriptedFetch({
    [`GET /campaigns/${ID}`]: () => ({ status: 200, body: current }),
    [`PATCH /campaigns/${ID}`]: (request) => {
      current = { ...current, ...(request.body as Partial<CampaignView>) };
      return { status: 200, body: current };
    },
    [`GET /campaigns/${ID}/stats`]: () => ({ status: 500, body: { code: 'INTERNAL', message: 'not scripted' } }),
    [`GET /campaigns/${ID}/models`]: () => ({ status: 200, body: { items: [], nextCursor: null } }),
    [`GET /campaigns/${ID}/jobs`]: () => ({ status: 200, body: [] }),
    [`GET /campaigns/${ID}/labelers`]: () => ({ status: 200, body: [] }),
    [`GET /campaigns/${ID}/audit`]: () => ({ status: 200, body: AUDIT }),
    'GET /catalog': () => ({
      status: 200,
      body: {
        strategies: [
          {
            name: 'borda-ucb',
            description: 'Optimism on the Borda score.',
            defaultModel: 'borda-gp',
            compatibleModels: ['borda-gp', 'linear-bt'],
          },
        ],
        models: ['borda-gp', 'linear-bt'],
      },
    }),
    ...extra,
  });
  renderWithApp(<CampaignDashboardPage />, {
    fetch: api.fetch,
    path: `/console/campaigns/${ID}`,
    route: '/console/campaigns/:campaignId',
  });
  return api;
}

async function openSettings(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByText('Edit settings'));
  return screen.findByRole('form', { name: 'Campaign settings' });
}

const patches = (api: ReturnType<typeof scriptedFetch>) => api.requests.filter((r) => r.method === 'PATCH');

beforeEach(() => {
  // recharts and the stats section are not what these tests look at.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Edit settings', () => {
  it('is collapsed, then prefilled from the campaign; structural fields only for drafts', async () => {
    const user = userEvent.setup();
    renderDashboard();
    expect(await screen.findByText('Edit settings')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Campaign settings' })).not.toBeInTheDocument();
    const form = await openSettings(user);
    expect(within(form).getByLabelText('Name')).toHaveValue('Helpfulness v1');
    expect(within(form).getByLabelText('Guidelines for labelers (Markdown)')).toHaveValue(
      'Prefer the **helpful** answer.',
    );
    expect(within(form).getByLabelText('Budget (labels)')).toHaveValue(1000);
    expect(within(form).getByLabelText('Retrain every (labels)')).toHaveValue(50);
    expect(within(form).getByLabelText('Batch size')).toHaveValue(16);
    expect(within(form).getByLabelText('Buffer size')).toHaveValue(32);
    expect(within(form).getByLabelText('Lease (seconds)')).toHaveValue(300);
    expect(within(form).queryByLabelText('Strategy')).not.toBeInTheDocument();
    expect(within(form).getByText(/fixed once the campaign has started/)).toBeInTheDocument();
  });

  it('offers strategy, model and redundancy while the campaign is a draft', async () => {
    const user = userEvent.setup();
    const api = renderDashboard({ status: 'draft', labelCount: 0 });
    const form = await openSettings(user);
    expect(await within(form).findByLabelText('Strategy')).toHaveValue('borda-ucb');
    expect(within(form).getByLabelText('Reward model')).toHaveValue('auto');
    const redundancy = within(form).getByLabelText('Redundancy (labels per comparison)');
    expect(redundancy).toHaveValue(2);
    await user.clear(redundancy);
    await user.type(redundancy, '3');
    await user.selectOptions(within(form).getByLabelText('Reward model'), 'linear-bt');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    await within(form).findByRole('status');
    expect(patches(api)[0].body).toEqual({ model: 'linear-bt', redundancy: 3 });
  });

  it('refuses an invalid budget without a request, announces it and focuses the field', async () => {
    const user = userEvent.setup();
    const api = renderDashboard();
    const form = await openSettings(user);
    const budget = within(form).getByLabelText('Budget (labels)');
    await user.clear(budget);
    await user.type(budget, '0');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('One problem stops the settings from being saved');
    expect(within(form).getByRole('alert')).toHaveTextContent('Budget: budget must be at least 1');
    expect(budget).toHaveAttribute('aria-invalid', 'true');
    expect(budget).toHaveAccessibleDescription(/budget must be at least 1/);
    await waitFor(() => expect(budget).toHaveFocus());
    expect(patches(api)).toEqual([]);

    // Below the judgments already stored is refused too (the server would say the same).
    await user.clear(budget);
    await user.type(budget, '100');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByText('Cannot be below the 250 judgments already collected.')).toBeInTheDocument();
    expect(patches(api)).toEqual([]);
  });

  it('sends only the changed fields and says what was saved', async () => {
    const user = userEvent.setup();
    const api = renderDashboard();
    const form = await openSettings(user);
    const name = within(form).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Helpfulness v2');
    const budget = within(form).getByLabelText('Budget (labels)');
    await user.clear(budget);
    await user.type(budget, '2000');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Settings saved: Name, Budget.');
    const [patch] = patches(api);
    expect(patch.path).toBe(`/campaigns/${ID}`);
    expect(patch.body).toEqual({ name: 'Helpfulness v2', budget: 2000 });
    // The campaign is re-read: the header shows the new name.
    expect(await screen.findByRole('heading', { level: 1, name: 'Helpfulness v2' })).toBeInTheDocument();
  });

  it('places a server VALIDATION_FAILED next to its field', async () => {
    const user = userEvent.setup();
    renderDashboard(
      {},
      {
        [`PATCH /campaigns/${ID}`]: () => ({
          status: 400,
          body: {
            code: 'VALIDATION_FAILED',
            message: 'bufferSize (40) must be at least batchSize (64)',
            details: { issues: [{ path: 'bufferSize', message: 'bufferSize (40) must be at least batchSize (64)' }] },
          },
        }),
      },
    );
    const form = await openSettings(user);
    const buffer = within(form).getByLabelText('Buffer size');
    await user.clear(buffer);
    await user.type(buffer, '40');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Buffer size: bufferSize (40) must be at least');
    expect(buffer).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(buffer).toHaveFocus());
    expect(within(form).queryByRole('status')).not.toBeInTheDocument();
  });

  it('shows any other refusal as an alert', async () => {
    const user = userEvent.setup();
    renderDashboard(
      {},
      {
        [`PATCH /campaigns/${ID}`]: () => ({
          status: 403,
          body: { code: 'FORBIDDEN', message: 'not your campaign' },
        }),
      },
    );
    const form = await openSettings(user);
    await user.type(within(form).getByLabelText('Name'), '!');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'The settings could not be saved: not your campaign',
    );
  });
});

describe('Activity', () => {
  it('lists the newest audit entries: who, what, when and a summary', async () => {
    const api = renderDashboard();
    const table = await screen.findByRole('table', { name: 'Activity, newest first' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['You', 'Changed settings', 'budget: 2000, name: “Helpfulness v2”'],
      ['User 99999999', 'Imported prompts', 'promptCount: 40, responseCount: 160'],
      ['System', 'Created the campaign', 'name: “Helpfulness v1”, strategy: “borda-ucb”, labelerIds: 2 items'],
    ]);
    expect(api.requests.find((r) => r.path.startsWith(`/campaigns/${ID}/audit`))?.path).toBe(
      `/campaigns/${ID}/audit?limit=25`,
    );
    // Three rows are fewer than a page: there is nothing more to load.
    expect(screen.queryByRole('button', { name: 'Load more activity' })).not.toBeInTheDocument();
  });

  it('loads older entries page by page', async () => {
    const user = userEvent.setup();
    const page = (from: number, count: number): AuditEntry[] =>
      Array.from({ length: count }, (_, i) => ({ ...AUDIT[2], id: from - i, details: { n: from - i } }));
    const api = renderDashboard(
      {},
      {
        [`GET /campaigns/${ID}/audit`]: (request) => ({
          status: 200,
          body: request.path.includes('before=') ? page(5, 5) : page(30, 25),
        }),
      },
    );
    const table = await screen.findByRole('table', { name: 'Activity, newest first' });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    await user.click(screen.getByRole('button', { name: 'Load more activity' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(31));
    expect(api.requests.filter((r) => r.path.includes('/audit')).map((r) => r.path)).toEqual([
      `/campaigns/${ID}/audit?limit=25`,
      `/campaigns/${ID}/audit?limit=25&before=6`,
    ]);
    expect(screen.queryByRole('button', { name: 'Load more activity' })).not.toBeInTheDocument();
  });

  it('says so when nothing has happened yet', async () => {
    renderDashboard({}, { [`GET /campaigns/${ID}/audit`]: () => ({ status: 200, body: [] }) });
    expect(await screen.findByText('Nothing has happened to this campaign yet.')).toBeInTheDocument();
  });
});
