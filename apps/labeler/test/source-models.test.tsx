/**
 * The console's Models page: the source-model leaderboard (ratings with intervals, data table),
 * the head-to-head heatmap, and the metadata filter sent as meta.<key>=<value>.
 */
import type { SourceModelLeaderboard } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ExportPanel } from '../src/console/campaign/ExportPanel';
import { SourceModelsPage } from '../src/console/source-models/SourceModelsPage';
import { renderWithApp, RESEARCHER, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';

const estimate = (value: number, se: number) => ({
  value,
  low: value - 1.96 * se,
  high: value + 1.96 * se,
  standardError: se,
});

const BOARD: SourceModelLeaderboard = {
  campaignId: CAMPAIGN,
  weights: 'none',
  meta: {},
  judgments: 30,
  bothBad: 2,
  responsesWithoutModel: 0,
  ridge: 0.1,
  models: [
    {
      model: 'alpha',
      responses: 10,
      comparisons: 20,
      wins: 14,
      losses: 4,
      ties: 2,
      bothBad: 1,
      winRate: { successes: 15, trials: 20, rate: 0.75, low: 0.53, high: 0.89 },
      rating: estimate(0.8, 0.3),
      elo: estimate(1139, 52),
      rank: 1,
    },
    {
      model: 'beta',
      responses: 10,
      comparisons: 20,
      wins: 6,
      losses: 12,
      ties: 2,
      bothBad: 1,
      winRate: { successes: 7, trials: 20, rate: 0.35, low: 0.18, high: 0.57 },
      rating: estimate(-0.8, 0.3),
      elo: estimate(861, 52),
      rank: 2,
    },
  ],
  headToHead: {
    models: ['alpha', 'beta'],
    wins: [
      [0, 15],
      [5, 0],
    ],
    counts: [
      [0, 20],
      [20, 0],
    ],
  },
};

describe('Models page', () => {
  it('shows the leaderboard with intervals, the head-to-head shares, and filters by prompt metadata', async () => {
    const user = userEvent.setup();
    const api = scriptedFetch({
      [`GET /campaigns/${CAMPAIGN}/source-models`]: (request) => ({
        status: 200,
        body: request.path.includes('meta.') ? { ...BOARD, meta: { domain: 'code' } } : BOARD,
      }),
    });
    renderWithApp(<SourceModelsPage />, {
      user: RESEARCHER,
      fetch: api.fetch,
      path: `/console/campaigns/${CAMPAIGN}/models`,
      route: '/console/campaigns/:campaignId/models',
    });
    const figure = await screen.findByRole('figure', { name: 'Leaderboard' });
    const table = within(figure).getByRole('table');
    expect(within(table).getByRole('row', { name: /alpha/ })).toHaveTextContent('75.0%');
    expect(within(table).getByRole('row', { name: /beta/ })).toHaveTextContent('861');
    const h2h = screen.getByRole('region', { name: 'Head to head: data' });
    expect(within(h2h).getByRole('row', { name: /^alpha/ })).toHaveTextContent('75.0% (15 of 20)');
    expect(within(h2h).getByRole('row', { name: /^beta/ })).toHaveTextContent('25.0% (5 of 20)');

    await user.type(screen.getByLabelText('Prompt metadata key'), 'domain');
    await user.type(screen.getByLabelText('equals'), 'code');
    await user.selectOptions(screen.getByLabelText('Judgments count'), 'reliability');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(api.requests.at(-1)!.path).toBe(
        `/campaigns/${CAMPAIGN}/source-models?weights=reliability&meta.domain=code`,
      ),
    );
    expect(await screen.findByText(/on prompts with domain = code/)).toBeInTheDocument();
  });
});

describe('export panel: Parquet, source models and dataset cards', () => {
  it('asks for Parquet with models and saves each export’s README beside it', async () => {
    const user = userEvent.setup();
    Object.defineProperty(URL, 'createObjectURL', { value: vi.fn(() => 'blob:x'), configurable: true, writable: true });
    Object.defineProperty(URL, 'revokeObjectURL', { value: vi.fn(), configurable: true, writable: true });
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const api = scriptedFetch({
      [`GET /campaigns/${CAMPAIGN}/policy/versions`]: () => ({ status: 200, body: { versions: [] } }),
      [`GET /campaigns/${CAMPAIGN}/exports/*`]: () => ({ status: 200, body: {} }),
    });
    renderWithApp(<ExportPanel campaignId={CAMPAIGN} campaignName="Helpfulness v1" />, {
      user: RESEARCHER,
      fetch: api.fetch,
    });
    await user.selectOptions(screen.getByLabelText('File'), 'parquet');
    await user.click(screen.getByRole('checkbox', { name: /source model/ }));
    await user.click(screen.getByRole('button', { name: 'Download kto' }));
    await waitFor(() => expect(clicks).toEqual(['helpfulness-v1-kto.parquet']));
    const exportsAsked = () => api.requests.filter((r) => r.path.includes('/exports/'));
    expect(exportsAsked()[0].path).toBe(`/campaigns/${CAMPAIGN}/exports/kto?models=true&file=parquet`);
    expect(exportsAsked()[0].headers.accept).toBe('application/vnd.apache.parquet');
    await user.click(screen.getByRole('button', { name: 'README (dataset card) for trl-conversational' }));
    await waitFor(() => expect(clicks).toHaveLength(2));
    expect(clicks[1]).toBe('helpfulness-v1-trl-conversational.README.md');
    expect(exportsAsked()[1].path).toBe(
      `/campaigns/${CAMPAIGN}/exports/card?format=trl-conversational&aggregate=none&margin=false&models=true&file=parquet`,
    );
  });
});
