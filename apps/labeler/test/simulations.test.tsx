import type {
  CatalogResponse,
  SimulationResultView,
  SimulationStrategyResult,
  SimulationView,
} from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useParams } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SimulationPage } from '../src/console/SimulationPage';
import { SimulationsPage } from '../src/console/SimulationsPage';
import { renderWithApp, scriptedFetch } from './render';

const SIM = '40000000-0000-4000-8000-000000000001';

const catalog: CatalogResponse = {
  strategies: [
    {
      name: 'ae-borda',
      description: 'Active exploration on the Borda function.',
      defaultModel: 'borda-gp',
      compatibleModels: [],
    },
    {
      name: 'uniform',
      description: 'Uniform prompts and pairs (the baseline).',
      defaultModel: 'borda-gp',
      compatibleModels: [],
    },
    {
      name: 'apo',
      description: 'Most informative feature difference.',
      defaultModel: 'linear-bt',
      compatibleModels: [],
    },
  ],
  environments: [
    { name: 'branin', description: 'Branin test function on a grid.' },
    { name: 'linear', description: 'Linear reward over random unit features.' },
  ],
  models: [],
  exportFormats: [],
};

function simulation(overrides: Partial<SimulationView> = {}): SimulationView {
  return {
    id: SIM,
    ownerId: '00000000-0000-4000-8000-000000000001',
    state: 'running',
    progress: 0.25,
    config: {
      environment: 'linear',
      strategies: ['ae-borda', 'uniform'],
      budget: 30,
      batchSize: 10,
      seeds: 3,
      seedStart: 1,
      environmentSeed: 1,
    },
    error: null,
    createdAt: '2026-02-01T10:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

function ShownSimulation() {
  return <p>Opened simulation {useParams().simulationId}</p>;
}

function renderSimulations(routes: Parameters<typeof scriptedFetch>[0]) {
  const api = scriptedFetch({
    'GET /catalog': () => ({ status: 200, body: catalog }),
    'GET /simulations': () => ({
      status: 200,
      body: {
        items: [
          simulation(),
          simulation({
            id: 'older',
            state: 'completed',
            progress: 1,
            config: { ...simulation().config, environment: 'branin' },
          }),
        ],
        nextCursor: null,
      },
    }),
    ...routes,
  });
  renderWithApp(
    <Routes>
      <Route path="/console/simulations" element={<SimulationsPage />} />
      <Route path="/console/simulations/:simulationId" element={<ShownSimulation />} />
    </Routes>,
    { fetch: api.fetch, path: '/console/simulations' },
  );
  return api;
}

describe('SimulationsPage', () => {
  it('lists past simulations with their state and progress', async () => {
    renderSimulations({});
    const table = await screen.findByRole('table', { name: 'Past simulations' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('linear');
    expect(rows[0]).toHaveTextContent('ae-borda, uniform');
    expect(rows[0]).toHaveTextContent('running');
    expect(within(rows[0]).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(within(rows[0]).getByRole('link')).toHaveAttribute('href', `/console/simulations/${SIM}`);
    expect(rows[1]).toHaveTextContent('branin');
    expect(rows[1]).toHaveTextContent('completed');
  });

  it('refuses an invalid form (no strategy, budget 0), says why on each field and sends nothing', async () => {
    const api = renderSimulations({});
    const budget = await screen.findByLabelText('Budget (labels per run)');
    await userEvent.clear(budget);
    await userEvent.type(budget, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Launch simulation' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Choose between 1 and 8 strategies.');
    expect(alert).toHaveTextContent('Budget must be a whole number from 1 to 2000.');
    expect(budget).toHaveAttribute('aria-invalid', 'true');
    expect(budget).toHaveAccessibleDescription(/Budget must be a whole number from 1 to 2000/);
    const aeBorda = screen.getByRole('checkbox', { name: 'ae-borda' });
    expect(aeBorda).toHaveAttribute('aria-invalid', 'true');
    expect(aeBorda).toHaveAccessibleDescription(
      /Active exploration on the Borda function.*Choose between 1 and 8 strategies/,
    );
    expect(aeBorda).toHaveFocus();
    expect(screen.getByLabelText('Batch size')).not.toHaveAttribute('aria-invalid');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    // Fixing a field clears its error straight away.
    await userEvent.click(aeBorda);
    expect(screen.getByRole('alert')).not.toHaveTextContent('strategies');
    expect(aeBorda).not.toHaveAttribute('aria-invalid');
  });

  it('POSTs the checked request and opens the new simulation', async () => {
    const api = renderSimulations({
      'POST /simulations': () => ({ status: 201, body: simulation({ state: 'queued', progress: 0 }) }),
    });
    const environment = await screen.findByLabelText('Environment');
    expect(environment).toHaveAccessibleDescription('Branin test function on a grid.');
    await userEvent.selectOptions(environment, 'linear');
    expect(environment).toHaveAccessibleDescription('Linear reward over random unit features.');
    await userEvent.click(screen.getByRole('checkbox', { name: 'ae-borda' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'uniform' }));
    const fill = async (label: string, value: string) => {
      await userEvent.clear(screen.getByLabelText(label));
      await userEvent.type(screen.getByLabelText(label), value);
    };
    await fill('Budget (labels per run)', '100');
    await fill('Batch size', '5');
    await fill('Seeds per strategy', '3');
    await fill('β (optional)', '2.5');
    await userEvent.click(screen.getByRole('button', { name: 'Launch simulation' }));

    expect(await screen.findByText(`Opened simulation ${SIM}`)).toBeInTheDocument();
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toBe('/simulations');
    expect(posts[0].body).toEqual({
      environment: 'linear',
      strategies: ['ae-borda', 'uniform'],
      budget: 100,
      batchSize: 5,
      seeds: 3,
      seedStart: 1,
      environmentSeed: 1,
      beta: 2.5,
    });
  });

  it('sends the advanced options that are set, and opens Advanced on a bad grid size', async () => {
    const api = renderSimulations({
      'POST /simulations': () => ({ status: 201, body: simulation({ state: 'queued', progress: 0 }) }),
    });
    await userEvent.click(await screen.findByRole('checkbox', { name: 'ae-borda' }));
    const advanced = screen.getByText('Advanced').closest('details')!;
    expect(advanced).not.toHaveAttribute('open');
    const gridSize = screen.getByLabelText('Grid size (optional)');
    const epsilon = screen.getByLabelText('ε (optional)');
    expect(gridSize).toHaveAccessibleDescription(/Points per axis of the grid environments/);
    // Typed while closed (a test shortcut): the refusal must open the section to show the error.
    await userEvent.type(gridSize, '1');
    await userEvent.click(screen.getByRole('button', { name: 'Launch simulation' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Grid size must be a whole number from 2 to 60 (or left empty).',
    );
    expect(advanced).toHaveAttribute('open');
    expect(gridSize).toHaveAttribute('aria-invalid', 'true');
    expect(gridSize).toHaveAccessibleDescription(/Grid size must be a whole number from 2 to 60/);
    expect(gridSize).toHaveFocus();
    expect(epsilon).not.toHaveAttribute('aria-invalid');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await userEvent.clear(gridSize);
    await userEvent.type(gridSize, '20');
    await userEvent.type(epsilon, '0.05');
    await userEvent.click(screen.getByRole('button', { name: 'Launch simulation' }));
    expect(await screen.findByText(`Opened simulation ${SIM}`)).toBeInTheDocument();
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({
      environment: 'branin',
      strategies: ['ae-borda'],
      budget: 200,
      batchSize: 10,
      seeds: 5,
      seedStart: 1,
      environmentSeed: 1,
      epsilon: 0.05,
      gridSize: 20,
    });
  });

  it('shows the API’s own refusal without leaving the form', async () => {
    renderSimulations({
      'POST /simulations': () => ({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          message: 'budget (5) is smaller than the batch size (10)',
          details: { issues: [{ path: '(body)', message: 'x' }] },
        },
      }),
    });
    await userEvent.click(await screen.findByRole('checkbox', { name: 'uniform' }));
    await userEvent.click(screen.getByRole('button', { name: 'Launch simulation' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('budget (5) is smaller than the batch size (10)');
    expect(screen.getByRole('heading', { name: 'Launch a simulation' })).toBeInTheDocument();
  });
});

function strategyResult(
  strategy: string,
  max: number[],
  mean: number[],
  extra: Partial<SimulationStrategyResult> = {},
): SimulationStrategyResult {
  return {
    strategy,
    modelKind: 'borda-gp',
    seeds: [1, 2, 3],
    aggregate: {
      labels: [10, 20, 30],
      subOptMax: { mean: max, halfWidth: max.map((v) => v / 10) },
      subOptMean: { mean, halfWidth: mean.map((v) => v / 10) },
      seeds: 3,
    },
    area: { mean: max[1], halfWidth: 0.05 },
    final: {
      subOptMax: { mean: max[2], halfWidth: max[2] / 10 },
      subOptMean: { mean: mean[2], halfWidth: mean[2] / 10 },
    },
    labelsToEpsilon: { perSeed: [20, 30, null], meanCurve: 30, reached: 2 },
    wallTimeMs: { mean: 1500, total: 4500 },
    ...extra,
  };
}

const result: SimulationResultView = {
  environment: { name: 'linear', prompts: 50, responses: 200, featureDimension: 8, rewardRange: 6 },
  epsilon: 0.3,
  strategies: [
    strategyResult('ae-borda', [2, 1, 0.25], [0.8, 0.4, 0.125], { labelEfficiencyRatio: 0.5 }),
    strategyResult('uniform', [2.5, 1.5, 0.75], [1, 0.5, 0.25], {
      labelEfficiencyRatio: 1,
      labelsToEpsilon: { perSeed: [null, null, null], meanCurve: null, reached: 0 },
    }),
  ],
  runs: [{ strategy: 'ae-borda', seed: 1, finalSubOptMax: 0.25, finalSubOptMean: 0.125, wallTimeMs: 1500 }],
  wallTimeMs: 9000,
};

const cellsOf = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('SimulationPage', () => {
  it('polls a running simulation until it completes, then shows the regret curve and the results', async () => {
    const answers = [
      simulation({ state: 'running', progress: 0.25 }),
      simulation({ state: 'running', progress: 0.6 }),
      simulation({ state: 'completed', progress: 1, finishedAt: '2026-02-01T10:02:05.000Z', result }),
    ];
    let reads = 0;
    const api = scriptedFetch({
      [`GET /simulations/${SIM}`]: () => ({ status: 200, body: answers[Math.min(reads++, answers.length - 1)] }),
    });
    renderWithApp(<SimulationPage pollIntervalMs={20} />, {
      fetch: api.fetch,
      path: `/console/simulations/${SIM}`,
      route: '/console/simulations/:simulationId',
    });

    const progress = await screen.findByRole('progressbar', { name: 'Simulation progress' });
    expect(progress).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByText('25%')).toBeInTheDocument();
    await waitFor(() => expect(progress).toHaveAttribute('aria-valuenow', '60'));
    expect(await screen.findByText('Completed.')).toBeInTheDocument();
    expect(progress).toHaveAttribute('aria-valuenow', '100');

    // Polling stops once the simulation is finished.
    const readsWhenDone = reads;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads).toBe(readsWhenDone);
    expect(reads).toBe(3);

    const chart = screen.getByRole('figure', { name: 'Regret curve' });
    const header = within(chart)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(header).toEqual(['Labels', 'ae-borda mean', 'ae-borda ±95% CI', 'uniform mean', 'uniform ±95% CI']);
    const curveRows = () => within(chart).getAllByRole('row').slice(1).map(cellsOf);
    expect(curveRows()).toEqual([
      ['10', '2', '0.200', '2.500', '0.250'],
      ['20', '1', '0.100', '1.500', '0.150'],
      ['30', '0.250', '0.025', '0.750', '0.075'],
    ]);
    expect(chart).toHaveAccessibleDescription(/SubOpt_max .* mean over 3 seeds .* ε = 0\.300/);

    await userEvent.click(screen.getByRole('radio', { name: 'SubOpt_mean' }));
    expect(curveRows()[2]).toEqual(['30', '0.125', '0.013', '0.250', '0.025']);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Log scale' }));
    expect(curveRows()[0]).toEqual(['10', '0.800', '0.080', '1', '0.100']);

    const results = screen.getByRole('table', { name: 'Results per strategy' });
    const [aeBorda, uniform] = within(results).getAllByRole('row').slice(1);
    expect(cellsOf(aeBorda)).toEqual([
      '0.250 ± 0.025best',
      '0.125 ± 0.013',
      '1.000 ± 0.050',
      '302 of 3 seeds reach ε',
      '0.50×',
      '1.5 s4.5 s in all',
    ]);
    expect(cellsOf(uniform)[3]).toBe('not reached0 of 3 seeds reach ε');
    expect(screen.getByText('Finished').nextElementSibling).toHaveTextContent('(2 min 05 s)');
  });

  it('announces why a simulation failed', async () => {
    const api = scriptedFetch({
      [`GET /simulations/${SIM}`]: () => ({
        status: 200,
        body: simulation({
          state: 'failed',
          progress: 0.4,
          error: 'worker ran out of memory',
          finishedAt: '2026-02-01T10:01:00.000Z',
        }),
      }),
    });
    renderWithApp(<SimulationPage pollIntervalMs={20} />, {
      fetch: api.fetch,
      path: `/console/simulations/${SIM}`,
      route: '/console/simulations/:simulationId',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('The simulation failed: worker ran out of memory');
    expect(screen.queryByRole('figure', { name: 'Regret curve' })).not.toBeInTheDocument();
  });
});
