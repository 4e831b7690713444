/**
 * The crowd page's reliability columns: each labeler's accuracy, backwards / random shares and
 * position bias with intervals from the newest fit; flagged labelers highlighted, with the reasons in
 * words and a summary naming them; labelers not yet estimated say so.
 */
import type { CrowdLabelerView, LabelerReliabilityView } from '@borda/api-contract';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CrowdPage } from '../src/console/crowd/CrowdPage';
import { formatBias, formatEstimate, formatFlagReason } from '../src/console/crowd/format';
import { renderWithApp, RESEARCHER, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const BASE = `/campaigns/${CAMPAIGN}`;

const reliability = (extra: Partial<LabelerReliabilityView> = {}): LabelerReliabilityView => ({
  modelVersion: 7,
  judgments: 60,
  directional: 60,
  accuracy: { estimate: 0.84, low: 0.72, high: 0.92 },
  inverted: { estimate: 0, low: 0, high: 0.05 },
  random: { estimate: 0.3, low: 0.12, high: 0.5 },
  positionBias: { estimate: 0.02, low: -0.08, high: 0.12 },
  gold: { trials: 0, rate: null, low: null, high: null },
  agreementWithConsensus: 0.81,
  agreementWithModel: 0.86,
  flagged: false,
  reasons: [],
  ...extra,
});

const labeler = (n: number, extra: Partial<CrowdLabelerView> = {}): CrowdLabelerView => ({
  labelerId: `00000000-0000-4000-8000-00000000000${n}`,
  name: `Labeler ${n}`,
  email: `l${n}@example.com`,
  judgments: 60,
  goldAccuracy: { successes: 0, trials: 0, rate: null, low: 0, high: 1 },
  labelsExcluded: false,
  paused: false,
  reason: null,
  reliability: reliability(),
  ...extra,
});

function renderPage(labelers: CrowdLabelerView[]) {
  const api = scriptedFetch({
    [`GET ${BASE}/crowd/labelers`]: () => ({ status: 200, body: labelers }),
    [`GET ${BASE}/review`]: () => ({ status: 200, body: [] }),
    [`GET ${BASE}/gold`]: () => ({ status: 200, body: { goldRate: 0, goldFeedback: false, comparisons: [] } }),
  });
  renderWithApp(<CrowdPage />, {
    user: RESEARCHER,
    fetch: api.fetch,
    path: `/console/campaigns/${CAMPAIGN}/crowd`,
    route: '/console/campaigns/:campaignId/crowd',
  });
}

describe('crowd quality: labeler reliability', () => {
  it('formats estimates, position bias and flag reasons in words', () => {
    expect(formatEstimate({ estimate: 0.84, low: 0.72, high: 0.92 })).toBe('84 % (72–92 %)');
    expect(formatBias({ estimate: 0.35, low: 0.22, high: 0.45 })).toBe('+0.35 (+0.22 to +0.45), leans left');
    expect(formatBias({ estimate: -0.02, low: -0.1, high: 0.06 })).toBe('−0.02 (−0.10 to +0.06)');
    expect(formatFlagReason({ kind: 'low-accuracy', estimate: 0.45, bound: 0.7, threshold: 0.8 })).toBe(
      'accuracy 45 %: even its 95 % upper bound 70 % is below the 80 % threshold',
    );
    expect(formatFlagReason({ kind: 'inverted', estimate: 0.7, bound: 0.55, threshold: 0.5 })).toBe(
      'answers backwards: 70 % of answers (lower bound 55 % > 50 %)',
    );
    expect(formatFlagReason({ kind: 'position-bias', estimate: 0.35, bound: 0.22, threshold: 0.2 })).toBe(
      'picks by screen side: bias +0.35 (at least 0.22 > 0.20)',
    );
  });

  it('highlights flagged labelers with the evidence and shows everyone’s estimates', async () => {
    renderPage([
      labeler(1),
      labeler(2, {
        paused: true,
        reliability: reliability({
          accuracy: { estimate: 0.41, low: 0.2, high: 0.66 },
          inverted: { estimate: 0.62, low: 0.51, high: 0.75 },
          flagged: true,
          reasons: [
            { kind: 'low-accuracy', estimate: 0.41, bound: 0.66, threshold: 0.8 },
            { kind: 'inverted', estimate: 0.62, bound: 0.51, threshold: 0.5 },
          ],
        }),
      }),
      labeler(3, { judgments: 2, reliability: null }),
    ]);
    const table = (await screen.findByRole('heading', { name: 'Labelers' })).closest('section')!;
    const honest = await within(table).findByRole('row', { name: /Labeler 1/ });
    expect(honest).toHaveTextContent('accuracy 84 % (72–92 %)');
    expect(honest).toHaveTextContent('model version 7, 60 judgments, agrees with others 81 %, with the model 86 %');
    expect(honest).toHaveTextContent('position bias +0.02 (−0.08 to +0.12)');
    expect(honest).not.toHaveAttribute('data-flagged');
    expect(within(honest).queryByText('Flagged')).toBeNull();

    const flagged = within(table).getByRole('row', { name: /Labeler 2/ });
    expect(flagged).toHaveAttribute('data-flagged', 'true');
    expect(within(flagged).getByText('Flagged')).toBeInTheDocument();
    const reasons = within(flagged).getByRole('list', { name: 'Why Labeler 2 is flagged' });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'accuracy 41 %: even its 95 % upper bound 66 % is below the 80 % threshold',
      'answers backwards: 62 % of answers (lower bound 51 % > 50 %)',
    ]);
    expect(flagged).toHaveTextContent('backwards 62 % (51–75 %)');
    expect(screen.getByRole('status')).toHaveTextContent('1 labeler is flagged: Labeler 2.');

    expect(within(table).getByRole('row', { name: /Labeler 3/ })).toHaveTextContent('not estimated yet');
  });
});
