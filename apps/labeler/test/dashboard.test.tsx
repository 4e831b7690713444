import type {
  CampaignLabelerView,
  CampaignStats,
  CampaignView,
  CertificateResponse,
  JobRunView,
  ModelVersionDetail,
  ModelVersionSummary,
  PolicySummary,
  PolicyVersionList,
} from '@borda/api-contract';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CampaignDashboardPage } from '../src/console/CampaignDashboardPage';
import { ConsoleHomePage } from '../src/console/ConsoleHomePage';
import { campaignView } from './console-fixtures';
import { LABELER, type Responder, renderWithApp, scriptedFetch } from './render';

const ID = '33333333-3333-4333-8333-333333333333';
const OTHER = { ...LABELER, id: '00000000-0000-4000-8000-000000000009', name: 'Bo Biased', email: 'bo@example.com' };

const CAMPAIGN: CampaignView = campaignView({
  id: ID,
  counts: {
    prompts: 40,
    responses: 160,
    comparisons: { open: 12, complete: 120, cancelled: 0 },
    labels: 250,
    skips: 7,
  },
  labelerIds: [LABELER.id, OTHER.id],
});

const labeler = (over: Partial<CampaignStats['labelers'][number]>): CampaignStats['labelers'][number] => ({
  labelerId: LABELER.id,
  name: LABELER.name,
  email: LABELER.email,
  labels: 150,
  labelsToday: 20,
  skips: 3,
  ties: 10,
  bothBad: 2,
  decisive: 138,
  leftRate: 0.52,
  leftBiasZ: 0.47,
  medianTimeMs: 8200,
  p90TimeMs: 21000,
  agreement: 0.74,
  lastLabelAt: '2026-01-02T10:00:00.000Z',
  ...over,
});

const STATS: CampaignStats = {
  campaignId: ID,
  generatedAt: '2026-01-02T12:00:00.000Z',
  bucket: 'hour',
  budget: { used: 250, total: 1000 },
  labelsOverTime: [
    { start: '2026-01-02T09:00:00.000Z', labels: 100, skips: 2, cumulative: 100 },
    { start: '2026-01-02T10:00:00.000Z', labels: 150, skips: 5, cumulative: 250 },
  ],
  labelers: [
    labeler({}),
    labeler({
      labelerId: OTHER.id,
      name: OTHER.name,
      email: OTHER.email,
      labels: 100,
      decisive: 90,
      leftRate: 0.81,
      leftBiasZ: 5.9,
      medianTimeMs: 900,
      p90TimeMs: 1500,
      agreement: 0.6,
    }),
  ],
  agreement: { comparisons: 60, pairs: 64, agreeingPairs: 45, rate: 0.703125, kappa: 0.41 },
  liveLeases: 3,
};

const CERTIFICATE: CertificateResponse = {
  version: 2,
  createdAt: '2026-01-02T11:00:00.000Z',
  current: { gap: 0.31, promptId: 'prompt-9', meanGap: 0.12, units: 'borda', beta: 2, prompts: 40, labelCount: 200 },
  history: [
    { version: 1, labelCount: 100, gap: 0.55 },
    { version: 2, labelCount: 200, gap: 0.31 },
  ],
};

const metrics = (accuracy: number, logLoss: number) => ({
  modelKind: 'borda-gp',
  trainSize: 160,
  testSize: 40,
  heldOutAccuracy: accuracy,
  logLoss,
  brier: 0.2,
  ece: 0.04,
  probabilityScale: 1.3,
  fitMs: 420,
});
const MODELS: ModelVersionSummary[] = [
  {
    version: 2,
    kind: 'borda-gp',
    labelCount: 200,
    metrics: {
      ...metrics(0.81, 0.52),
      heldOutSource: 'yardstick',
      hyperparameters: {
        featureMap: 'rff',
        lengthscale: 0.12,
        logEvidence: -48.25,
        choice: { chosen: 'rff', method: 'evidence', atLabels: 180, scores: [] },
      },
      yardstick: {
        uniformOnly: { trainSize: 20, accuracy: 0.62, logLoss: 0.68 },
        activeSameBudget: { trainSize: 20, accuracy: 0.71, logLoss: 0.6 },
      },
    },
    gap: 0.31,
    createdAt: '2026-01-02T11:00:00.000Z',
  },
  {
    version: 1,
    kind: 'borda-gp',
    labelCount: 100,
    metrics: metrics(0.66, 0.64),
    gap: 0.55,
    createdAt: '2026-01-02T10:00:00.000Z',
  },
];
const policySummary = (churn: PolicySummary['churn']): PolicySummary => ({
  prompts: 40,
  confidentPrompts: 12,
  agreement: { pessimistic: 0.9, soft: 0.95, dpo: null },
  softTemperature: 0.1,
  beta: 2,
  dpo: null,
  churn,
});
const POLICY_VERSIONS: PolicyVersionList = [
  {
    version: 2,
    modelVersion: 2,
    labelCount: 200,
    createdAt: '2026-01-02T11:00:00.000Z',
    summary: policySummary({
      previousVersion: 1,
      comparedPrompts: 40,
      changedPrompts: 6,
      changedShare: 0.15,
      estimatedGain: 0.012,
      meanGainWhereChanged: 0.08,
      units: 'borda',
    }),
  },
  { version: 1, modelVersion: 1, labelCount: 100, createdAt: '2026-01-02T10:00:00.000Z', summary: policySummary(null) },
];
const MODEL_DETAIL: ModelVersionDetail = {
  id: 'mv2',
  version: 2,
  kind: 'borda-gp',
  labelCount: 200,
  metrics: {
    ...metrics(0.81, 0.52),
    calibration: [
      { lower: 0, upper: 0.5, count: 18, meanPredicted: 0.3, observedRate: 0.27 },
      { lower: 0.5, upper: 1, count: 22, meanPredicted: 0.75, observedRate: 0.8 },
    ],
  },
  certificate: CERTIFICATE.current,
  jobRunId: null,
  createdAt: '2026-01-02T11:00:00.000Z',
};
const JOBS: JobRunView[] = [
  {
    id: 'j3',
    name: 'RewardModelFit',
    state: 'active',
    progress: 0.4,
    attempts: 1,
    error: null,
    result: null,
    queuedAt: '2026-01-02T11:50:00.000Z',
    startedAt: '2026-01-02T11:51:00.000Z',
    finishedAt: null,
  },
  {
    id: 'j2',
    name: 'PolicyFit',
    state: 'failed',
    progress: 0.1,
    attempts: 3,
    error: 'out of memory in the DPO step',
    result: null,
    queuedAt: '2026-01-02T11:00:00.000Z',
    startedAt: '2026-01-02T11:00:01.000Z',
    finishedAt: '2026-01-02T11:02:00.000Z',
  },
];
const ASSIGNED: CampaignLabelerView[] = [
  { id: LABELER.id, email: LABELER.email, name: LABELER.name, assignedAt: '2026-01-01T00:00:00.000Z' },
];

function renderDashboard(campaign: Partial<CampaignView> = {}, extra: Record<string, Responder> = {}) {
  let current: CampaignView = { ...CAMPAIGN, ...campaign };
  const move = (status: CampaignView['status']) => () => {
    current = { ...current, status };
    return { status: 200, body: current };
  };
  const api = scriptedFetch({
    [`GET /campaigns/${ID}`]: () => ({ status: 200, body: current }),
    [`GET /campaigns/${ID}/stats`]: () => ({ status: 200, body: STATS }),
    [`GET /campaigns/${ID}/certificate`]: () => ({ status: 200, body: CERTIFICATE }),
    [`GET /campaigns/${ID}/models`]: () => ({ status: 200, body: { items: MODELS, nextCursor: null } }),
    [`GET /campaigns/${ID}/models/2`]: () => ({ status: 200, body: MODEL_DETAIL }),
    [`GET /campaigns/${ID}/jobs`]: () => ({ status: 200, body: JOBS }),
    [`GET /campaigns/${ID}/labelers`]: () => ({ status: 200, body: ASSIGNED }),
    'GET /users': () => ({ status: 200, body: [LABELER, OTHER] }),
    [`POST /campaigns/${ID}/start`]: move('active'),
    [`POST /campaigns/${ID}/pause`]: move('paused'),
    [`POST /campaigns/${ID}/resume`]: move('active'),
    [`POST /campaigns/${ID}/complete`]: move('completed'),
    [`POST /campaigns/${ID}/archive`]: move('archived'),
    [`POST /campaigns/${ID}/retrain`]: () => ({ status: 202, body: { queued: true, labelCount: 250 } }),
    [`GET /campaigns/${ID}/exports/*`]: () => ({ status: 200, body: { prompt: 'p', chosen: 'a', rejected: 'b' } }),
    [`GET /campaigns/${ID}/audit`]: () => ({ status: 200, body: [] }),
    [`GET /campaigns/${ID}/policy/versions`]: () => ({ status: 200, body: POLICY_VERSIONS }),
    ...extra,
  });
  renderWithApp(<CampaignDashboardPage />, {
    fetch: api.fetch,
    path: `/console/campaigns/${ID}`,
    route: '/console/campaigns/:campaignId',
  });
  return api;
}

/** The rows of a ChartFigure's data table (or any table), as cell texts. */
function tableRows(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''));
}

function chartTable(title: string): HTMLElement {
  const figure = screen.getByRole('figure', { name: title });
  return within(figure).getByRole('table', { hidden: true });
}

const posted = (api: ReturnType<typeof scriptedFetch>) =>
  api.requests.filter((r) => r.method === 'POST').map((r) => r.path);

beforeEach(() => {
  // recharts warns that every chart is 0×0 (jsdom has no layout): the assertions read the data tables.
  const warn = console.warn.bind(console);
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('of chart should be greater than 0')) warn(...args);
  });
  // jsdom has no layout: recharts' container observes a size it never gets.
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

describe('CampaignDashboardPage', () => {
  it('shows the header, stats, certificate, model versions, calibration, labeler quality and jobs', async () => {
    renderDashboard();
    expect(await screen.findByRole('heading', { level: 1, name: 'Helpfulness v1' })).toBeInTheDocument();
    expect(screen.getByText('250 / 1,000 labels (25.0% of the budget)')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Budget used' })).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByRole('link', { name: /Policy view/ })).toHaveAttribute(
      'href',
      `/console/campaigns/${ID}/policy`,
    );

    await screen.findByRole('figure', { name: 'Labels over time' });
    expect(tableRows(chartTable('Labels over time'))).toEqual([
      ['2 Jan 09:00', '100', '2', '100'],
      ['2 Jan 10:00', '150', '5', '250'],
    ]);
    expect(tableRows(chartTable('Labels per labeler'))[1]).toEqual(['Bo Biased', '100', '20', '90', '10', '2', '3']);
    expect(tableRows(chartTable('Budget used'))[0]).toEqual(['Used', '250', '25.0%']);

    await screen.findByRole('figure', { name: 'Worst-case gap certificate' });
    expect(tableRows(chartTable('Worst-case gap certificate'))).toEqual([
      ['1', '100', '0.550'],
      ['2', '200', '0.310'],
    ]);
    expect(screen.getByRole('link', { name: 'Open the worst prompt' })).toHaveAttribute(
      'href',
      `/console/campaigns/${ID}/policy/prompt-9`,
    );
    const versions = tableRows(chartTable('Reward-model versions'));
    expect(versions[0].slice(0, 8)).toEqual([
      '1',
      'borda-gp',
      '100',
      '160 / 40',
      'all labels (biased)',
      '66.0%',
      '0.640',
      '0.040',
    ]);
    expect(versions[1].slice(4, 6)).toEqual(['uniform draws', '81.0%']);
    // What the fit learned: the feature map chosen by evidence, its lengthscale, the evidence.
    expect(versions[1].at(-1)).toBe('rff (by evidence); ℓ = 0.120; log evidence -48.250');
    expect(versions[0].at(-1)).toBe('—');
    expect(tableRows(chartTable('Policy churn'))).toEqual([['2', '200', '6 of 40', '15.0%', '0.012 (borda)']]);
    // Only version 2 had enough uniformly drawn labels to compare against.
    expect(tableRows(chartTable('Active selection against uniform labels'))).toEqual([
      ['2', '200', '20', '40', '71.0%', '62.0%', '0.600', '0.680'],
    ]);
    expect(tableRows(await waitFor(() => chartTable('Calibration of version 2')))).toEqual([
      ['0.0–0.5', '18', '0.300', '0.270'],
      ['0.5–1.0', '22', '0.750', '0.800'],
    ]);

    const agreement = screen.getByRole('region', { name: 'Agreement between labelers' });
    expect(agreement).toHaveTextContent('Agreement rate70.3%');
    expect(agreement).toHaveTextContent('Kappa0.41');
    expect(agreement).toHaveTextContent('45 agree of 64');
    expect(tableRows(chartTable('Agreement per labeler'))).toEqual([
      ['Lee Labeler', '74.0%'],
      ['Bo Biased', '60.0%'],
    ]);
    const bias = tableRows(chartTable('Left/right bias'));
    expect(bias[1]).toEqual(['Bo Biased', '90', '81.0%', '5.90', 'favours the left side']);
    expect(bias[0][4]).toBe('no side bias');

    const labelerTable = screen.getByRole('table', { name: 'Labelers: volume, bias and speed' });
    const flagged = within(labelerTable).getByRole('row', { name: /Bo Biased/ });
    expect(flagged).toHaveTextContent('⚠ favours the left side');
    expect(flagged).toHaveTextContent('900 ms');
    expect(flagged).toHaveTextContent('1.5 s');
    expect(within(labelerTable).getByRole('row', { name: /Lee Labeler/ })).toHaveTextContent('8.2 s');

    const jobs = await screen.findByRole('table', { name: 'Jobs, newest first' });
    expect(within(jobs).getByRole('progressbar', { name: 'RewardModelFit progress' })).toHaveAttribute(
      'aria-valuenow',
      '40',
    );
    expect(within(jobs).getByRole('row', { name: /PolicyFit/ })).toHaveTextContent('out of memory in the DPO step');
    const queue = screen.getByRole('region', { name: 'Queue and jobs' });
    expect(queue).toHaveTextContent('Comparisons waiting for labelers12');
    expect(queue).toHaveTextContent('Comparisons being labeled now3');
  });

  it('says so when no reward model has been fitted yet, without asking for a certificate that cannot exist', async () => {
    const api = renderDashboard(
      {},
      { [`GET /campaigns/${ID}/models`]: () => ({ status: 200, body: { items: [], nextCursor: null } }) },
    );
    expect(
      await screen.findByText('No reward model yet: the certificate appears after the first fit.'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('No reward model fitted yet.')).toHaveLength(2);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // A 409 would be a console error in the browser: the certificate is read only once a model exists.
    expect(api.requests.some((r) => r.path.startsWith(`/campaigns/${ID}/certificate`))).toBe(false);
  });

  it('treats NO_MODEL_YET from the certificate as "no model yet", not as a failure', async () => {
    renderDashboard(
      {},
      {
        [`GET /campaigns/${ID}/certificate`]: () => ({
          status: 409,
          body: { code: 'NO_MODEL_YET', message: 'no reward model has been fitted for this campaign yet' },
        }),
      },
    );
    expect(
      await screen.findByText('No reward model yet: the certificate appears after the first fit.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('offers the moves an active campaign allows and asks before completing it', async () => {
    const user = userEvent.setup();
    const api = renderDashboard();
    await user.click(await screen.findByRole('button', { name: 'Pause campaign' }));
    expect(await screen.findByRole('button', { name: 'Resume campaign' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('The campaign is paused');
    expect(screen.queryByRole('button', { name: 'Pause campaign' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Retrain now' }));
    expect(await screen.findByText(/A reward-model fit on 250 labels is queued/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Complete campaign…' }));
    expect(posted(api)).not.toContain(`/campaigns/${ID}/complete`);
    expect(screen.getByRole('group', { name: /Complete the campaign\?/ })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Yes, complete the campaign' }));
    expect(await screen.findByRole('button', { name: 'Archive campaign…' })).toBeInTheDocument();
    expect(posted(api)).toEqual([`/campaigns/${ID}/pause`, `/campaigns/${ID}/retrain`, `/campaigns/${ID}/complete`]);
  });

  it('says why Borda paused a campaign whose data it cannot learn from', async () => {
    const reason = 'response 7f3c embedding: column 0 is Infinity, not a finite float32 value';
    renderDashboard({ status: 'paused', haltedReason: reason });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Borda paused this campaign: its data cannot be learned from.');
    expect(alert).toHaveTextContent(reason);
    expect(screen.getByRole('button', { name: 'Resume campaign' })).toBeInTheDocument();
  });

  it('shows a refused move (INVALID_TRANSITION) and re-reads the campaign', async () => {
    const user = userEvent.setup();
    const api = renderDashboard(
      {},
      {
        [`POST /campaigns/${ID}/pause`]: () => ({
          status: 409,
          body: {
            code: 'INVALID_TRANSITION',
            message: 'cannot pause a campaign that is completed (allowed from active)',
          },
        }),
      },
    );
    await user.click(await screen.findByRole('button', { name: 'Pause campaign' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not pause the campaign: cannot pause a campaign that is completed',
    );
    await waitFor(() => expect(api.requests.filter((r) => r.path === `/campaigns/${ID}`).length).toBeGreaterThan(1));
  });

  it('gives a draft the import panel and a Start button that waits for prompts', async () => {
    const api = renderDashboard({ status: 'draft', promptCount: 0, labelCount: 0, counts: undefined });
    expect(await screen.findByRole('button', { name: 'Start campaign' })).toBeDisabled();
    expect(screen.getByLabelText('Prompts file (JSONL)')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retrain now' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Download/ })).not.toBeInTheDocument();
    expect(posted(api)).toEqual([]);
  });

  it('starts a draft that has prompts', async () => {
    const user = userEvent.setup();
    const api = renderDashboard({ status: 'draft', labelCount: 0 });
    await user.click(await screen.findByRole('button', { name: 'Start campaign' }));
    expect(await screen.findByRole('button', { name: 'Pause campaign' })).toBeInTheDocument();
    expect(posted(api)).toEqual([`/campaigns/${ID}/start`]);
  });

  it('downloads an export with the chosen options under the campaign’s name', async () => {
    const user = userEvent.setup();
    const createObjectURL = vi.fn(() => 'blob:export');
    // jsdom has no object URLs; saveBlob needs one for its temporary link.
    Object.defineProperty(URL, 'createObjectURL', { value: createObjectURL, configurable: true, writable: true });
    Object.defineProperty(URL, 'revokeObjectURL', { value: vi.fn(), configurable: true, writable: true });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const api = renderDashboard();

    await user.selectOptions(await screen.findByLabelText(/Repeated judgments/), 'majority');
    await user.click(screen.getByRole('checkbox', { name: /Add a margin/ }));
    await user.click(screen.getByRole('button', { name: 'Download trl' }));

    expect(await screen.findByText(/Saved helpfulness-v1-trl\.jsonl/)).toBeInTheDocument();
    const request = api.requests.find((r) => r.path.includes('/exports/'))!;
    expect(request.path).toBe(`/campaigns/${ID}/exports/trl?aggregate=majority&margin=true`);
    expect(request.headers.accept).toBe('application/x-ndjson');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicks).toEqual(['helpfulness-v1-trl.jsonl']);

    await user.selectOptions(screen.getByLabelText('Best-of-n policy'), 'greedy');
    await user.click(screen.getByRole('button', { name: 'Download best-of-n' }));
    await waitFor(() => expect(clicks).toEqual(['helpfulness-v1-trl.jsonl', 'helpfulness-v1-best-of-n.jsonl']));
    expect(api.requests.filter((r) => r.path.includes('/exports/')).map((r) => r.path)[1]).toBe(
      `/campaigns/${ID}/exports/best-of-n?policy=greedy`,
    );
  });

  it('groups job runs by kind and lists only the runs that need a look unless asked for all', async () => {
    const user = userEvent.setup();
    const routine = Array.from({ length: 24 }, (_, i): JobRunView => ({
      ...JOBS[0],
      id: `done-${i}`,
      name: i % 2 === 0 ? 'ComparisonSelect' : 'RewardModelFit',
      state: 'completed',
      progress: 1,
      finishedAt: '2026-01-02T10:00:00.000Z',
    }));
    renderDashboard({}, { [`GET /campaigns/${ID}/jobs`]: () => ({ status: 200, body: [...JOBS, ...routine] }) });

    const kinds = await screen.findByRole('table', { name: 'Jobs by kind' });
    const byKind = Object.fromEntries(tableRows(kinds).map((row) => [row[0].split(' ')[0], row.slice(1, 4)]));
    expect(byKind).toEqual({
      RewardModelFit: ['13', '0', 'running'],
      PolicyFit: ['1', '1', 'failed'],
      ComparisonSelect: ['12', '0', 'completed'],
    });
    const runs = screen.getByRole('table', { name: 'Jobs, newest first' });
    expect(within(runs).getAllByRole('row')).toHaveLength(1 + 2); // the running fit and the failed policy

    await user.selectOptions(screen.getByLabelText('Runs shown'), 'all');
    expect(within(screen.getByRole('table', { name: 'Jobs, newest first' })).getAllByRole('row')).toHaveLength(1 + 26);
  });

  it('says there is not enough held-out data instead of drawing an empty reward-model chart', async () => {
    const unmeasured = MODELS.map((m) => ({
      ...m,
      metrics: { ...m.metrics, testSize: 0, heldOutAccuracy: null, logLoss: null, brier: null, ece: null },
    }));
    renderDashboard(
      {},
      { [`GET /campaigns/${ID}/models`]: () => ({ status: 200, body: { items: unmeasured, nextCursor: null } }) },
    );
    const figure = await screen.findByRole('figure', { name: 'Reward-model versions' });
    await waitFor(() => expect(figure).toHaveTextContent(/Not enough held-out data yet/));
    expect(figure.querySelector('.chart-canvas')).toBeNull();
    expect(tableRows(within(figure).getByRole('table', { hidden: true }))).toHaveLength(unmeasured.length);
  });

  it('offers the dpo best-of-n policy only when the newest policy has a DPO network', async () => {
    renderDashboard();
    const select = await screen.findByLabelText('Best-of-n policy');
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(3));
    expect(within(select).queryByRole('option', { name: /dpo/ })).not.toBeInTheDocument();
    cleanup();

    const [newest, ...older] = POLICY_VERSIONS;
    const withDpo = { ...newest, summary: { ...newest.summary, dpo: { trainPairs: 80, finalLoss: 0.4, beta: 0.1 } } };
    renderDashboard(
      {},
      { [`GET /campaigns/${ID}/policy/versions`]: () => ({ status: 200, body: [withDpo, ...older] }) },
    );
    const again = await screen.findByLabelText('Best-of-n policy');
    expect(await within(again).findByRole('option', { name: 'dpo' })).toBeInTheDocument();
  });

  it('reports a failed export', async () => {
    const user = userEvent.setup();
    renderDashboard(
      {},
      {
        [`GET /campaigns/${ID}/exports/*`]: () => ({
          status: 409,
          body: { code: 'NO_MODEL_YET', message: 'no policy has been fitted for this campaign yet' },
        }),
      },
    );
    await user.click(await screen.findByRole('button', { name: 'Download best-of-n' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The best-of-n export failed: no policy has been fitted for this campaign yet',
    );
    expect(screen.getByRole('button', { name: 'Download best-of-n' })).toBeEnabled();
  });

  it('edits the assigned labelers', async () => {
    const user = userEvent.setup();
    const api = renderDashboard(
      {},
      {
        [`PUT /campaigns/${ID}/labelers`]: () => ({ status: 200, body: ASSIGNED }),
      },
    );
    const labelers = await screen.findByRole('region', { name: 'Labelers' });
    await within(labelers).findByText(/Lee Labeler/);
    await user.click(within(labelers).getByRole('button', { name: 'Edit assigned labelers' }));
    await user.click(await within(labelers).findByRole('checkbox', { name: /Bo Biased/ }));
    await user.click(within(labelers).getByRole('button', { name: 'Save assignment' }));
    expect(await within(labelers).findByRole('status')).toHaveTextContent('Assignment saved');
    const put = api.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/campaigns/${ID}/labelers`);
    expect(put.body).toEqual({ labelerIds: [LABELER.id, OTHER.id] });
  });
});

describe('ConsoleHomePage', () => {
  it('lists campaigns newest first with status, budget used, prompts and strategy, hiding archived ones', async () => {
    const user = userEvent.setup();
    const api = scriptedFetch({
      'GET /campaigns': () => ({
        status: 200,
        body: [
          CAMPAIGN,
          {
            ...CAMPAIGN,
            id: 'draft-1',
            name: 'Pilot',
            status: 'draft',
            labelCount: 0,
            createdAt: '2026-02-01T00:00:00.000Z',
          },
          { ...CAMPAIGN, id: 'old-1', name: 'Old one', status: 'archived', createdAt: '2025-01-01T00:00:00.000Z' },
        ],
      }),
    });
    renderWithApp(<ConsoleHomePage />, { fetch: api.fetch, path: '/console' });
    const table = await screen.findByRole('table', { name: 'Your campaigns, newest first' });
    expect(tableRows(table).map((row) => row.slice(0, 5))).toEqual([
      ['Pilot', 'draft', '0 / 1,000 (0%)', '40', 'borda-ucb'],
      ['Helpfulness v1', 'active', '250 / 1,000 (25%)', '40', 'borda-ucb'],
    ]);
    expect(within(table).getByRole('link', { name: 'Helpfulness v1' })).toHaveAttribute(
      'href',
      `/console/campaigns/${ID}`,
    );
    expect(within(table).getByRole('progressbar', { name: 'Helpfulness v1: budget used' })).toHaveAttribute(
      'aria-valuenow',
      '25',
    );
    await user.click(screen.getByRole('checkbox', { name: 'Show 1 archived campaign' }));
    expect(within(table).getByRole('link', { name: 'Old one' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'New campaign' })).toHaveAttribute('href', '/console/campaigns/new');
  });

  it('invites a first campaign when there is none', async () => {
    const api = scriptedFetch({ 'GET /campaigns': () => ({ status: 200, body: [] }) });
    renderWithApp(<ConsoleHomePage />, { fetch: api.fetch, path: '/console' });
    expect(await screen.findByRole('heading', { name: 'No campaigns yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create your first campaign' })).toHaveAttribute(
      'href',
      '/console/campaigns/new',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
