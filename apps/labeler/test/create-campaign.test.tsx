import type { CampaignView, CatalogResponse, UserView } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { CreateCampaignPage } from '../src/console/CreateCampaignPage';
import { LABELER, type Responder, renderWithApp, scriptedFetch } from './render';

const CATALOG: CatalogResponse = {
  strategies: [
    {
      name: 'borda-ucb',
      description: 'Asks for the pair whose Borda-score confidence interval is widest.',
      defaultModel: 'borda-gp',
      compatibleModels: ['borda-gp', 'low-rank-borda'],
    },
    {
      name: 'uniform',
      description: 'Picks pairs uniformly at random (a baseline).',
      defaultModel: 'linear-bt',
      compatibleModels: ['borda-gp', 'low-rank-borda', 'linear-bt', 'neural-bt'],
    },
  ],
  environments: [],
  models: ['borda-gp', 'low-rank-borda', 'linear-bt', 'neural-bt'],
  exportFormats: ['raw', 'trl', 'trl-conversational', 'openai', 'best-of-n'],
};
const SECOND_LABELER: UserView = {
  ...LABELER,
  id: '00000000-0000-4000-8000-000000000003',
  name: 'Max Marker',
  email: 'm@example.com',
};
const CAMPAIGN_ID = '22222222-2222-4222-8222-222222222222';

function campaignFrom(sent: unknown): CampaignView {
  const body = sent as Partial<CampaignView>;
  return {
    id: CAMPAIGN_ID,
    ownerId: 'owner',
    name: body.name ?? '',
    description: body.description ?? '',
    guidelines: body.guidelines ?? '',
    status: 'draft',
    strategy: body.strategy ?? 'uniform',
    strategyOptions: {},
    model: body.model ?? 'auto',
    modelOptions: {},
    budget: body.budget ?? 1,
    redundancy: body.redundancy ?? 1,
    retrainEvery: body.retrainEvery ?? 50,
    batchSize: 16,
    bufferSize: 32,
    leaseSeconds: 300,
    yardstickShare: 0.1,
    featureSource: 'text',
    featureDim: 32,
    seed: 1,
    labelCount: 0,
    promptCount: 0,
    responseCount: 0,
    budgetUsed: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    completedAt: null,
    haltedReason: null,
  };
}

function LocationProbe() {
  return <output aria-label="Current path">{useLocation().pathname}</output>;
}

function renderPage(extra: Record<string, Responder> = {}) {
  const api = scriptedFetch({
    'GET /catalog': () => ({ status: 200, body: CATALOG }),
    'GET /users': () => ({ status: 200, body: [LABELER, SECOND_LABELER] }),
    'POST /campaigns': (request) => ({ status: 201, body: campaignFrom(request.body) }),
    ...extra,
  });
  renderWithApp(
    <>
      <CreateCampaignPage />
      <LocationProbe />
    </>,
    { fetch: api.fetch, path: '/console/campaigns/new' },
  );
  return api;
}

const posts = (api: ReturnType<typeof scriptedFetch>, path: string) =>
  api.requests.filter((r) => r.method === 'POST' && r.path.split('?')[0] === path);

describe('CreateCampaignPage', () => {
  it('shows every strategy with its one-line explanation, and the chosen one under the select', async () => {
    const user = userEvent.setup();
    renderPage();
    const select = await screen.findByLabelText('Strategy');
    expect(select).toHaveAccessibleDescription(CATALOG.strategies[0].description);
    const list = screen.getByText('What each strategy does').closest('details')!;
    for (const strategy of CATALOG.strategies) expect(list).toHaveTextContent(strategy.description);

    await user.selectOptions(select, 'uniform');
    expect(select).toHaveAccessibleDescription(CATALOG.strategies[1].description);
    // Models the chosen strategy cannot run on are offered disabled; 'auto' names the default.
    await user.selectOptions(select, 'borda-ucb');
    const model = screen.getByLabelText('Reward model');
    expect(within(model).getByRole('option', { name: /neural-bt/ })).toBeDisabled();
    expect(within(model).getByRole('option', { name: 'auto (borda-gp)' })).toBeInTheDocument();
  });

  it('refuses an invalid form without sending it, announcing each problem next to its field', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    await screen.findByLabelText('Strategy');
    const budget = screen.getByLabelText('Budget (labels)');
    await user.clear(budget);
    await user.type(budget, '0');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('2 problems stop the draft from being created');
    expect(alert).toHaveTextContent('Name: Give the campaign a name.');
    expect(alert).toHaveTextContent('Budget: budget must be at least 1');
    expect(budget).toHaveAttribute('aria-invalid', 'true');
    expect(budget).toHaveAccessibleDescription(expect.stringContaining('budget must be at least 1'));
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(posts(api, '/campaigns')).toHaveLength(0);
  });

  it("clears a field's error as soon as the field is edited, leaving the other errors", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByLabelText('Strategy');
    const budget = screen.getByLabelText('Budget (labels)');
    await user.clear(budget);
    await user.type(budget, '0');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));

    await user.type(name, 'Egg answers');
    expect(name).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText(/Give the campaign a name/)).not.toBeInTheDocument();
    expect(budget).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('Budget: budget must be at least 1');
  });

  it('opens the advanced settings when one of them is wrong', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    await user.type(await screen.findByLabelText('Name'), 'Helpfulness');
    const batch = screen.getByLabelText('Batch size');
    await user.clear(batch);
    await user.type(batch, '64');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('bufferSize must be at least batchSize');
    expect(batch.closest('details')).toHaveAttribute('open');
    expect(screen.getByLabelText('Buffer size')).toHaveFocus();
    expect(posts(api, '/campaigns')).toHaveLength(0);
  });

  it('posts a valid form, then imports prompts and starts the campaign', async () => {
    const user = userEvent.setup();
    const api = renderPage({
      [`POST /campaigns/${CAMPAIGN_ID}/imports`]: (request) =>
        request.path.includes('dryRun=true')
          ? {
              status: 200,
              body: { valid: true, promptCount: 2, responseCount: 4, errors: [], errorCount: 0, linesRead: 2 },
            }
          : { status: 201, body: { importId: 'i', promptCount: 2, responseCount: 4, totalPrompts: 2 } },
      [`POST /campaigns/${CAMPAIGN_ID}/start`]: () => ({
        status: 200,
        body: { ...campaignFrom({}), status: 'active' },
      }),
    });
    await user.type(await screen.findByLabelText('Name'), 'Helpfulness v1');
    await user.type(screen.getByLabelText('Guidelines for labelers (Markdown)'), '**Prefer** honest answers');
    expect(screen.getByRole('region', { name: 'Guidelines preview' }).querySelector('strong')).toHaveTextContent(
      'Prefer',
    );
    await user.selectOptions(screen.getByLabelText('Strategy'), 'uniform');
    await user.selectOptions(screen.getByLabelText('Reward model'), 'linear-bt');
    for (const [label, value] of [
      ['Budget (labels)', '500'],
      ['Redundancy (labels per comparison)', '3'],
      ['Retrain every (labels)', '25'],
    ]) {
      await user.clear(screen.getByLabelText(label));
      await user.type(screen.getByLabelText(label), value);
    }
    await user.click(await screen.findByRole('checkbox', { name: /Max Marker/ }));
    await user.click(screen.getByRole('button', { name: 'Create draft' }));

    expect(await screen.findByRole('heading', { name: '2. Prompts' })).toHaveFocus();
    const [create] = posts(api, '/campaigns');
    expect(create.body).toEqual({
      name: 'Helpfulness v1',
      description: '',
      guidelines: '**Prefer** honest answers',
      strategy: 'uniform',
      model: 'linear-bt',
      budget: 500,
      redundancy: 3,
      retrainEvery: 25,
      batchSize: 16,
      bufferSize: 32,
      leaseSeconds: 300,
      yardstickShare: 0.1,
      seed: 1,
      featureSource: 'text',
      featureDim: 32,
      labelerIds: [SECOND_LABELER.id],
    });
    expect(screen.getByRole('button', { name: 'Start campaign' })).toBeDisabled();

    const file = new File(['{}\n{}\n'], 'prompts.jsonl');
    await user.upload(screen.getByLabelText('Prompts file (JSONL)'), file);
    await user.click(await screen.findByRole('button', { name: 'Import 2 prompts' }));
    expect(await screen.findByRole('heading', { name: '3. Launch' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Start campaign' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Current path')).toHaveTextContent(`/console/campaigns/${CAMPAIGN_ID}`),
    );
    expect(posts(api, `/campaigns/${CAMPAIGN_ID}/start`)).toHaveLength(1);
  });

  it('sends only the strategy options that are set, and refuses β = 0 on the β field', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    await user.type(await screen.findByLabelText('Name'), 'Tuned');
    await user.click(screen.getByText('Advanced settings'));
    const beta = screen.getByLabelText('β (confidence width)');
    expect(beta).toHaveAccessibleDescription(expect.stringContaining('UCB/LCB confidence bounds'));
    await user.type(beta, '0');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('β (confidence width): beta must be > 0');
    expect(beta).toHaveAttribute('aria-invalid', 'true');
    expect(beta).toHaveAccessibleDescription(expect.stringContaining('beta must be > 0'));
    expect(beta).toHaveFocus();
    expect(screen.getByLabelText('Posterior samples')).not.toHaveAttribute('aria-invalid');
    expect(posts(api, '/campaigns')).toHaveLength(0);

    await user.clear(beta);
    await user.type(beta, '2.5');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByRole('heading', { name: '2. Prompts' })).toBeInTheDocument();
    const [create] = posts(api, '/campaigns');
    expect(create.body).toEqual({
      name: 'Tuned',
      description: '',
      guidelines: '',
      strategy: 'borda-ucb',
      strategyOptions: { beta: 2.5 },
      model: 'auto',
      budget: 1000,
      redundancy: 1,
      retrainEvery: 50,
      batchSize: 16,
      bufferSize: 32,
      leaseSeconds: 300,
      yardstickShare: 0.1,
      seed: 1,
      featureSource: 'text',
      featureDim: 32,
      labelerIds: [],
    });
  });

  it('places the server’s validation issues next to the fields they name', async () => {
    const user = userEvent.setup();
    renderPage({
      'POST /campaigns': () => ({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          message: 'labelerIds: not active labeler accounts: x',
          details: { issues: [{ path: 'labelerIds', message: 'not active labeler accounts: x' }] },
        },
      }),
    });
    await user.type(await screen.findByLabelText('Name'), 'Campaign');
    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Labelers: not active labeler accounts: x');
    expect(screen.getByRole('group', { name: 'Labelers to assign' })).toHaveAccessibleDescription(
      'not active labeler accounts: x',
    );
  });
});
