/**
 * The console's crowd-quality page: labelers' gold accuracy with intervals and exclude / restore /
 * pause; the review queue's adjudication; gold settings, generation and marking.
 */
import type { CrowdLabelerView, GoldSummary, ReviewItem } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CrowdPage } from '../src/console/crowd/CrowdPage';
import { formatAccuracy } from '../src/console/crowd/format';
import { type Responder, renderWithApp, RESEARCHER, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const BASE = `/campaigns/${CAMPAIGN}`;

const labeler = (n: number, extra: Partial<CrowdLabelerView> = {}): CrowdLabelerView => ({
  labelerId: `00000000-0000-4000-8000-00000000000${n}`,
  name: `Labeler ${n}`,
  email: `l${n}@example.com`,
  judgments: 40,
  goldAccuracy: { successes: 9, trials: 10, rate: 0.9, low: 0.596, high: 0.982 },
  labelsExcluded: false,
  paused: false,
  reason: null,
  ...extra,
});

const reviewItem: ReviewItem = {
  comparisonId: 'cccccccc-0000-4000-8000-000000000001',
  promptText: 'Which is kinder?',
  promptMessages: null,
  first: { id: 'rrrrrrrr-0000-4000-8000-000000000001', text: 'Answer one' },
  second: { id: 'rrrrrrrr-0000-4000-8000-000000000002', text: 'Answer two' },
  votesFirst: 1,
  votesSecond: 1,
  judgments: 3,
  splitExtras: 1,
};

function renderPage(
  state: { labelers?: CrowdLabelerView[]; review?: ReviewItem[]; gold?: GoldSummary } = {},
  extra: Record<string, Responder> = {},
) {
  const data = {
    labelers: state.labelers ?? [
      labeler(1),
      labeler(2, { goldAccuracy: { successes: 0, trials: 0, rate: null, low: 0, high: 1 } }),
    ],
    review: state.review ?? [reviewItem],
    gold: state.gold ?? { goldRate: 0.05, goldFeedback: false, comparisons: [] },
  };
  const api = scriptedFetch({
    ...extra,
    [`GET ${BASE}/crowd/labelers`]: () => ({ status: 200, body: data.labelers }),
    [`GET ${BASE}/review`]: () => ({ status: 200, body: data.review }),
    [`GET ${BASE}/gold`]: () => ({ status: 200, body: data.gold }),
  });
  renderWithApp(<CrowdPage />, {
    user: RESEARCHER,
    fetch: api.fetch,
    path: `/console/campaigns/${CAMPAIGN}/crowd`,
    route: '/console/campaigns/:campaignId/crowd',
  });
  return { api, data };
}

const posts = (api: ReturnType<typeof scriptedFetch>, suffix: string) =>
  api.requests.filter((r) => r.method !== 'GET' && r.path.endsWith(suffix));

describe('crowd quality: labelers', () => {
  it('formats a gold accuracy with its interval, or says there is no gold yet', () => {
    expect(formatAccuracy({ successes: 9, trials: 10, rate: 0.9, low: 0.596, high: 0.982 })).toBe(
      '90 % (60–98 %), 9/10',
    );
    expect(formatAccuracy({ successes: 0, trials: 0, rate: null, low: 0, high: 1 })).toBe('no gold yet');
  });

  it('shows each labeler’s gold accuracy and excludes, restores, pauses and resumes them', async () => {
    const user = userEvent.setup();
    const { api, data } = renderPage(
      {},
      {
        'POST /campaigns/*': (request) => {
          const [, , , , , labelerId, action] = request.path.split('/');
          const l = data.labelers.find((x) => x.labelerId === labelerId)!;
          const next = {
            ...l,
            labelsExcluded: action === 'exclude' ? true : action === 'restore' ? false : l.labelsExcluded,
            paused: action === 'pause' ? true : action === 'resume' || action === 'restore' ? false : l.paused,
          };
          data.labelers = data.labelers.map((x) => (x.labelerId === labelerId ? next : x));
          return { status: 200, body: { labelerId, labelsExcluded: next.labelsExcluded, paused: next.paused } };
        },
      },
    );
    const table = (await screen.findByRole('heading', { name: 'Labelers' })).closest('section')!;
    const row1 = await within(table).findByRole('row', { name: /Labeler 1/ });
    expect(row1).toHaveTextContent('90 % (60–98 %), 9/10');
    expect(within(table).getByRole('row', { name: /Labeler 2/ })).toHaveTextContent('no gold yet');

    await user.click(within(row1).getByRole('button', { name: 'Exclude Labeler 1' }));
    await waitFor(() => expect(posts(api, '/exclude')).toHaveLength(1));
    expect(posts(api, '/exclude')[0].path).toBe(`${BASE}/crowd/labelers/${labeler(1).labelerId}/exclude`);
    await screen.findByRole('button', { name: 'Restore Labeler 1' });
    expect(screen.getByRole('row', { name: /Labeler 1/ })).toHaveTextContent('labels excluded');

    await user.click(screen.getByRole('button', { name: 'Pause Labeler 1' }));
    await screen.findByRole('button', { name: 'Resume Labeler 1' });
    expect(screen.getByRole('row', { name: /Labeler 1/ })).toHaveTextContent('labels excluded, paused');

    await user.click(screen.getByRole('button', { name: 'Restore Labeler 1' }));
    await screen.findByRole('button', { name: 'Exclude Labeler 1' });
    expect(posts(api, '/restore')).toHaveLength(1);
  });

  it('names a failed action', async () => {
    const user = userEvent.setup();
    renderPage(
      {},
      {
        'POST /campaigns/*': () => ({ status: 404, body: { code: 'NOT_FOUND', message: 'labeler not found' } }),
      },
    );
    await user.click(await screen.findByRole('button', { name: 'Pause Labeler 2' }));
    expect(await screen.findByText(/labeler not found/)).toBeInTheDocument();
  });
});

describe('crowd quality: review queue', () => {
  it('adjudicates a split comparison with the better response’s id and empties the queue', async () => {
    const user = userEvent.setup();
    const { api, data } = renderPage(
      {},
      {
        [`POST ${BASE}/review/*`]: (request) => {
          data.review = [];
          return { status: 200, body: { comparisonId: reviewItem.comparisonId, ...(request.body as object) } };
        },
      },
    );
    const item = await screen.findByRole('article', { name: 'Split comparison 1' });
    expect(item).toHaveTextContent('1 vs 1 after 3 judgments');
    expect(item).toHaveTextContent('Answer one');
    await user.click(within(item).getByRole('button', { name: 'Response 2 is better' }));
    await waitFor(() => expect(posts(api, `/review/${reviewItem.comparisonId}`)).toHaveLength(1));
    expect(posts(api, `/review/${reviewItem.comparisonId}`)[0].body).toEqual({
      comparisonId: reviewItem.comparisonId,
      answer: reviewItem.second.id,
    });
    expect(await screen.findByText('Nothing to review: no comparison stayed split.')).toBeInTheDocument();
  });
});

describe('crowd quality: gold', () => {
  it('saves the gold rate and feedback, generates N gold and marks a comparison', async () => {
    const user = userEvent.setup();
    const { api } = renderPage(
      {},
      {
        [`PATCH ${BASE}`]: (request) => ({ status: 200, body: request.body }),
        [`POST ${BASE}/gold/generate`]: () => ({ status: 201, body: { created: 7, comparisonIds: [] } }),
        [`POST ${BASE}/gold`]: (request) => ({ status: 200, body: request.body }),
      },
    );
    const rate = await screen.findByLabelText(/Gold rate/);
    expect(rate).toHaveValue(0.05);
    await user.clear(rate);
    await user.type(rate, '0.9');
    expect(screen.getByRole('button', { name: 'Save gold settings' })).toBeDisabled();
    await user.clear(rate);
    await user.type(rate, '0.1');
    await user.click(screen.getByRole('checkbox', { name: /expected answer/ }));
    await user.click(screen.getByRole('button', { name: 'Save gold settings' }));
    await screen.findByText('Gold settings saved.');
    expect(api.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ goldRate: 0.1, goldFeedback: true });

    const count = screen.getByLabelText(/Generate gold/);
    await user.clear(count);
    await user.type(count, '7');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByText('Generated 7 gold comparisons.');
    expect(posts(api, '/gold/generate')[0].body).toEqual({ count: 7 });

    await user.type(screen.getByLabelText(/comparison id/), reviewItem.comparisonId);
    await user.type(screen.getByLabelText(/better response/), reviewItem.first.id);
    await user.click(screen.getByRole('button', { name: 'Mark as gold' }));
    await screen.findByText('Marked as gold.');
    expect(posts(api, '/gold')[0].body).toEqual({ comparisonId: reviewItem.comparisonId, answer: reviewItem.first.id });
  });
});
