/** The console's data browser: filters from and into the URL, keyset "Load more", rows linking to the comparison view. */
import type { BrowseComparison, BrowseFacets, BrowseRow } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ComparisonViewPage } from '../src/console/data/ComparisonViewPage';
import { DataPage } from '../src/console/data/DataPage';
import { renderWithApp, RESEARCHER, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const BASE = `/campaigns/${CAMPAIGN}/browse`;
const LEE = { id: '22222222-2222-4222-8222-222222222222', name: 'Lee Labeler', email: 'lee@example.com' };
const KIM = { id: '33333333-3333-4333-8333-333333333333', name: 'Kim Labeler', email: 'kim@example.com' };

const FACETS: BrowseFacets = {
  comparisons: 3,
  labelers: [
    { ...LEE, labels: 2 },
    { ...KIM, labels: 1 },
  ],
  models: [
    { model: 'alpha', responses: 2 },
    { model: 'beta', responses: 2 },
  ],
  metadata: [{ key: 'topic', prompts: 2, values: [{ value: 'math', prompts: 2 }] }],
};

const row = (n: number): BrowseRow => ({
  id: `cccccccc-0000-4000-8000-00000000000${n}`,
  state: 'complete',
  promptId: `pppppppp-0000-4000-8000-00000000000${n}`,
  promptExternalId: `p${n}`,
  promptExcerpt: `Prompt number ${n}`,
  metadata: { topic: 'math' },
  first: { id: `r${n}a`, excerpt: `First answer ${n}`, sourceModel: 'alpha' },
  second: { id: `r${n}b`, excerpt: `Second answer ${n}`, sourceModel: 'beta' },
  labelsRequired: 2,
  labels: [
    {
      id: `llllllll-0000-4000-8000-00000000000${n}`,
      labeler: LEE,
      choice: 'A',
      outcome: 'first',
      strength: 2,
      rationale: null,
      skipReason: null,
      timeTakenMs: 4200,
      firstOnLeft: true,
      source: null,
      submittedAt: '2026-12-07T09:00:00.000Z',
    },
  ],
  agreement: n === 2 ? 'split' : 'single',
  skipped: 0,
  gold: false,
  yardstick: false,
  createdAt: '2026-12-07T08:00:00.000Z',
});

describe('data browser page', () => {
  it('sends the URL filters, applies new ones into the URL and loads more with the cursor', async () => {
    const user = userEvent.setup();
    const api = scriptedFetch({
      [`GET ${BASE}/facets`]: () => ({ status: 200, body: FACETS }),
      [`GET ${BASE}/comparisons`]: (request) => {
        const cursor = new URL(request.path, 'http://x').searchParams.get('cursor');
        return cursor === null
          ? { status: 200, body: { rows: [row(1), row(2)], nextCursor: '7' } }
          : { status: 200, body: { rows: [row(3)], nextCursor: null } };
      },
    });
    renderWithApp(<DataPage />, {
      user: RESEARCHER,
      fetch: api.fetch,
      path: `/console/campaigns/${CAMPAIGN}/data?agreement=split&meta.topic=math&minTimeMs=2500`,
      route: '/console/campaigns/:campaignId/data',
    });
    const table = await screen.findByRole('table', { name: 'Comparisons and their labels' });
    const first = api.requests.find((r) => r.path.startsWith(`${BASE}/comparisons`))!;
    const sent = new URL(first.path, 'http://x').searchParams;
    expect(Object.fromEntries(sent)).toEqual({
      agreement: 'split',
      'meta.topic': 'math',
      minTimeMs: '2500',
      limit: '50',
    });
    expect(screen.getByLabelText('Agreement')).toHaveValue('split');
    expect(screen.getByLabelText('Time taken at least (seconds)')).toHaveValue(2.5);
    await waitFor(() => expect(screen.getByLabelText('Metadata key')).toHaveValue('topic'));
    expect(screen.getByLabelText('Metadata value')).toHaveValue('math');

    const link = within(table).getByRole('link', { name: 'Prompt number 1' });
    expect(link).toHaveAttribute('href', `/console/campaigns/${CAMPAIGN}/comparisons/${row(1).id}`);
    expect(within(table).getAllByRole('link', { name: 'Lee Labeler: A (left), as they saw it' })[0]).toHaveAttribute(
      'href',
      `/console/campaigns/${CAMPAIGN}/comparisons/${row(1).id}?label=${row(1).labels[0].id}`,
    );
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(api.requests.some((r) => r.path.includes('cursor=7'))).toBe(true);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Labeler'), KIM.id);
    await user.type(screen.getByLabelText('Search prompts and responses'), 'zebra');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(
        api.requests.some((r) => {
          const p = new URL(r.path, 'http://x').searchParams;
          return p.get('labeler') === KIM.id && p.get('q') === 'zebra' && p.get('agreement') === 'split';
        }),
      ).toBe(true),
    );
    expect(await screen.findByLabelText('Labeler')).toHaveValue(KIM.id);
  });

  it('says when nothing matches', async () => {
    const api = scriptedFetch({
      [`GET ${BASE}/facets`]: () => ({ status: 200, body: FACETS }),
      [`GET ${BASE}/comparisons`]: () => ({ status: 200, body: { rows: [], nextCursor: null } }),
    });
    renderWithApp(<DataPage />, {
      fetch: api.fetch,
      path: `/console/campaigns/${CAMPAIGN}/data?q=nothing`,
      route: '/console/campaigns/:campaignId/data',
    });
    expect(await screen.findByText('No comparison matches these filters.')).toBeInTheDocument();
  });
});

describe('comparison view', () => {
  it('shows the sides as the chosen label saw them, rendered as Markdown, with every label', async () => {
    const label = row(1).labels[0];
    const view: BrowseComparison = {
      id: row(1).id,
      state: 'complete',
      strategy: 'ae-borda',
      gold: false,
      yardstick: false,
      prompt: {
        id: 'p',
        externalId: 'p1',
        text: null,
        messages: [{ role: 'user', content: 'Which is **best**?' }],
        metadata: {},
      },
      first: { id: 'r1a', text: 'First *answer*', sourceModel: 'alpha' },
      second: { id: 'r1b', text: 'Second answer <script>alert(1)</script>', sourceModel: 'beta' },
      shownFor: label.id,
      left: { id: 'r1b', text: 'Second answer <script>alert(1)</script>', sourceModel: 'beta' },
      right: { id: 'r1a', text: 'First *answer*', sourceModel: 'alpha' },
      labels: [{ ...label, firstOnLeft: false, choice: 'B' }],
    };
    const api = scriptedFetch({ [`GET ${BASE}/comparisons/*`]: () => ({ status: 200, body: view }) });
    renderWithApp(<ComparisonViewPage />, {
      fetch: api.fetch,
      path: `/console/campaigns/${CAMPAIGN}/comparisons/${row(1).id}?label=${label.id}`,
      route: '/console/campaigns/:campaignId/comparisons/:comparisonId',
    });
    const a = await screen.findByRole('region', { name: 'Response A' });
    expect(a).toHaveTextContent('Second answer');
    expect(a.querySelector('script')).toBeNull();
    expect(screen.getByRole('region', { name: 'Response B' }).querySelector('em')).toHaveTextContent('answer');
    expect(screen.getByRole('region', { name: 'Prompt' }).querySelector('strong')).toHaveTextContent('best');
    expect(screen.getByText(/As Lee Labeler saw it: they answered B/)).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Every label of this comparison' })).toHaveTextContent(
      'first response better',
    );
    expect(api.requests[0].path).toBe(`${BASE}/comparisons/${row(1).id}?label=${label.id}`);
  });
});
