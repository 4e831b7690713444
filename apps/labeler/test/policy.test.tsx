import type {
  CampaignView,
  PolicyEntryView,
  PolicyPage as PolicyPageBody,
  PolicyPromptDetail,
} from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { PolicyPage } from '../src/console/PolicyPage';
import { PolicyPromptPage } from '../src/console/PolicyPromptPage';
import { renderWithApp, scriptedFetch } from './render';

const CAMPAIGN = '10000000-0000-4000-8000-000000000001';
const PROMPT = '20000000-0000-4000-8000-000000000001';
const R = [
  '30000000-0000-4000-8000-000000000001',
  '30000000-0000-4000-8000-000000000002',
  '30000000-0000-4000-8000-000000000003',
];

const campaign = { id: CAMPAIGN, name: 'Helpfulness v2', retrainEvery: 25, labelCount: 7 } as CampaignView;

function entry(n: number, overrides: Partial<PolicyEntryView> = {}): PolicyEntryView {
  return {
    promptId: `20000000-0000-4000-8000-00000000000${n}`,
    externalId: `p-${n}`,
    snippet: `How do I do thing ${n}?`,
    picks: { greedy: R[0], pessimistic: R[0], soft: R[0], dpo: null },
    mean: 0.6,
    std: 0.05,
    confidence: 0.12,
    gap: 0.3,
    ...overrides,
  };
}

function policyPage(items: PolicyEntryView[], nextCursor: string | null): PolicyPageBody {
  return {
    items,
    nextCursor,
    policy: {
      version: 4,
      modelVersion: 9,
      labelCount: 120,
      createdAt: '2026-02-01T10:00:00.000Z',
      summary: {
        prompts: 3,
        confidentPrompts: 1,
        agreement: { pessimistic: 0.75, soft: 0.5, dpo: null },
        softTemperature: 0.1,
        beta: 2,
        dpo: null,
      },
    },
  };
}

const policyPath = `/console/campaigns/${CAMPAIGN}/policy`;

function renderList(routes: Parameters<typeof scriptedFetch>[0]) {
  const api = scriptedFetch({ [`GET /campaigns/${CAMPAIGN}`]: () => ({ status: 200, body: campaign }), ...routes });
  renderWithApp(<PolicyPage />, { fetch: api.fetch, path: policyPath, route: '/console/campaigns/:campaignId/policy' });
  return api;
}

describe('PolicyPage', () => {
  it('shows the policy version, its summary and one row per prompt, and loads more by cursor', async () => {
    const unsure = entry(2, { confidence: -0.04, picks: { greedy: R[1], pessimistic: R[0], soft: R[1], dpo: null } });
    const api = renderList({
      [`GET /campaigns/${CAMPAIGN}/policy`]: (request) =>
        request.path.includes('cursor=')
          ? { status: 200, body: policyPage([entry(3)], null) }
          : { status: 200, body: policyPage([entry(1), unsure], unsure.promptId) },
    });

    expect(await screen.findByRole('heading', { level: 1, name: 'Policy' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Policy version 4' })).toBeInTheDocument();
    expect(screen.getByText('v9')).toBeInTheDocument();
    expect(screen.getByText('Confident prompts').nextElementSibling).toHaveTextContent('1 / 3 (33%)');
    expect(screen.getByText('Pessimistic agrees with greedy').nextElementSibling).toHaveTextContent('75%');
    expect(screen.getByText('DPO agrees with greedy').nextElementSibling).toHaveTextContent('no DPO policy');

    const table = screen.getByRole('table', { name: 'Prompts of the policy' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('link', { name: 'How do I do thing 1?' })).toHaveAttribute(
      'href',
      `${policyPath}/${entry(1).promptId}`,
    );
    expect(rows[0]).toHaveTextContent('+0.120');
    expect(rows[0]).toHaveTextContent('confident');
    expect(rows[0]).toHaveTextContent('all agree');
    expect(rows[1]).toHaveTextContent('−0.040');
    expect(rows[1]).toHaveTextContent('not yet');
    expect(rows[1]).toHaveTextContent('soft');

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(api.requests.at(-1)?.path).toBe(
      `/campaigns/${CAMPAIGN}/policy?sort=prompt&limit=50&cursor=${unsure.promptId}`,
    );
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getByText(/Showing 3 prompts \(all\)/)).toBeInTheDocument();
  });

  it('refetches with ?sort=confidence when the sort changes, each sort explained', async () => {
    const api = renderList({
      [`GET /campaigns/${CAMPAIGN}/policy`]: (request) =>
        request.path.includes('sort=confidence')
          ? { status: 200, body: policyPage([entry(2, { snippet: 'Least sure prompt' })], null) }
          : { status: 200, body: policyPage([entry(1)], null) },
    });
    await screen.findByRole('link', { name: 'How do I do thing 1?' });
    const confidence = screen.getByRole('radio', { name: 'Confidence' });
    expect(confidence).toHaveAccessibleDescription(/Least confident first/);
    expect(screen.getByRole('radio', { name: 'Gap' })).toHaveAccessibleDescription(/Largest gap first/);

    await userEvent.click(confidence);
    expect(await screen.findByRole('link', { name: 'Least sure prompt' })).toBeInTheDocument();
    expect(api.requests.some((r) => r.path === `/campaigns/${CAMPAIGN}/policy?sort=confidence&limit=50`)).toBe(true);
    expect(screen.getByRole('radio', { name: 'Confidence' })).toBeChecked();
  });

  it('explains NO_MODEL_YET with the labels the first fit needs', async () => {
    renderList({
      [`GET /campaigns/${CAMPAIGN}/policy`]: () => ({
        status: 409,
        body: { code: 'NO_MODEL_YET', message: 'no policy has been fitted for this campaign yet' },
      }),
    });
    expect(
      await screen.findByRole('heading', { name: 'No reward model yet: the first fit runs after 25 labels' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/7 of 25 labels collected so far/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

function label(id: string, overrides: Partial<PolicyPromptDetail['comparisons'][number]['labels'][number]>) {
  return {
    id,
    labelerId: '00000000-0000-4000-8000-000000000009',
    labelerName: 'Lee Labeler',
    choice: 'A' as const,
    leftResponseId: R[0],
    rightResponseId: R[1],
    outcome: 1,
    strength: null,
    rationale: null,
    skipReason: null,
    timeTakenMs: 12_300,
    createdAt: '2026-02-01T09:00:00.000Z',
    ...overrides,
  };
}

const detail: PolicyPromptDetail = {
  policy: { version: 4, modelVersion: 9 },
  prompt: {
    id: PROMPT,
    externalId: 'p-1',
    text: null,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is **2 + 2**?' },
    ],
    metadata: null,
  },
  // Best posterior mean first, as the API sends them.
  responses: [
    {
      responseId: R[1],
      ordinal: 1,
      mean: 0.8,
      std: 0.05,
      lcb: 0.7,
      ucb: 0.9,
      softProbability: 0.7,
      dpoProbability: 0.6,
      text: 'Four.',
      rank: 1,
    },
    {
      responseId: R[0],
      ordinal: 0,
      mean: 0.5,
      std: 0.1,
      lcb: 0.3,
      ucb: 0.7,
      softProbability: 0.2,
      dpoProbability: 0.3,
      text: 'It is 5.',
      rank: 2,
    },
    {
      responseId: R[2],
      ordinal: 2,
      mean: 0.2,
      std: 0.1,
      lcb: 0,
      ucb: 0.4,
      softProbability: 0.1,
      dpoProbability: 0.1,
      text: 'Fish.',
      rank: 3,
    },
  ],
  picks: { greedy: R[1], pessimistic: R[1], soft: R[1], dpo: R[0] },
  confidence: 0,
  gap: 0.2,
  comparisons: [
    {
      id: 'c-old',
      firstResponseId: R[2],
      secondResponseId: R[1],
      strategy: 'uniform',
      score: 0,
      modelVersion: null,
      state: 'complete',
      createdAt: '2026-01-30T09:00:00.000Z',
      labels: [
        label('l-tie', {
          choice: 'tie',
          leftResponseId: R[2],
          rightResponseId: R[1],
          outcome: 0.5,
          labelerName: 'Tia',
        }),
        label('l-skip', { choice: 'skip', outcome: null, skipReason: 'Cannot judge maths', labelerName: 'Sam' }),
      ],
    },
    {
      id: 'c-new',
      firstResponseId: R[0],
      secondResponseId: R[1],
      strategy: 'ae-borda',
      score: 0.42,
      modelVersion: 8,
      state: 'complete',
      createdAt: '2026-02-01T08:00:00.000Z',
      labels: [
        // Left was the first response (R0): A favours R0 (rank 2).
        label('l-left', {
          choice: 'A',
          leftResponseId: R[0],
          rightResponseId: R[1],
          outcome: 1,
          strength: 2,
          labelerName: 'Ann',
          rationale: 'Shorter',
        }),
        // Sides swapped for this labeler: left is R1, so A favours R1 (rank 1) — the second response.
        label('l-swapped-a', {
          choice: 'A',
          leftResponseId: R[1],
          rightResponseId: R[0],
          outcome: 0,
          labelerName: 'Bob',
        }),
        // B on the swapped screen is the right side, R0.
        label('l-swapped-b', {
          choice: 'B',
          leftResponseId: R[1],
          rightResponseId: R[0],
          outcome: 1,
          strength: 3,
          labelerName: 'Cy',
        }),
      ],
    },
  ],
};

function renderDetail() {
  const api = scriptedFetch({
    [`GET /campaigns/${CAMPAIGN}`]: () => ({ status: 200, body: campaign }),
    [`GET /campaigns/${CAMPAIGN}/policy/prompts/${PROMPT}`]: () => ({ status: 200, body: detail }),
  });
  renderWithApp(<PolicyPromptPage />, {
    fetch: api.fetch,
    path: `${policyPath}/${PROMPT}`,
    route: '/console/campaigns/:campaignId/policy/:promptId',
  });
}

const rowOf = (table: HTMLElement, name: string) =>
  within(table)
    .getAllByRole('row')
    .find((row) => within(row).queryAllByRole('cell')[0]?.textContent === name) as HTMLElement;

describe('PolicyPromptPage', () => {
  it('shows the conversation and the responses ranked, with interval data and policy picks', async () => {
    renderDetail();
    expect(await screen.findByRole('heading', { level: 1, name: 'Prompt p-1' })).toBeInTheDocument();
    const thread = screen.getByRole('list', { name: 'Conversation' });
    expect(
      within(thread)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['systemBe brief.', 'userWhat is 2 + 2?']);
    expect(within(thread).getByText('2 + 2').tagName).toBe('STRONG');

    const ranked = within(screen.getByRole('list', { name: 'Responses ranked by posterior mean' })).getAllByRole(
      'listitem',
      {
        name: /^Rank \d/,
      },
    );
    expect(ranked.map((card) => within(card).getByRole('heading').textContent)).toEqual([
      'Rank 1 · ordinal 1',
      'Rank 2 · ordinal 0',
      'Rank 3 · ordinal 2',
    ]);
    const badges = (card: HTMLElement) => within(card).queryByRole('list', { name: 'Picked by' })?.textContent ?? '';
    expect(badges(ranked[0])).toBe('greedypessimisticsoft');
    expect(badges(ranked[1])).toBe('dpo');
    expect(badges(ranked[2])).toBe('');
    expect(ranked[0]).toHaveTextContent('0.800 ± 0.050');
    expect(ranked[0]).toHaveTextContent('0.700 … 0.900');
    expect(ranked[0]).toHaveTextContent('70.0%');
    expect(ranked[1]).toHaveTextContent('It is 5.');

    const intervals = screen.getByRole('figure', { name: 'Confidence intervals' });
    const intervalRows = within(intervals).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(intervalRows.map(cells)).toEqual([
      ['1', '1', '0.800', '0.050', '0.700', '0.900'],
      ['2', '0', '0.500', '0.100', '0.300', '0.700'],
      ['3', '2', '0.200', '0.100', '0', '0.400'],
    ]);
    expect(screen.getByText('Gap (max UCB − max LCB)').nextElementSibling).toHaveTextContent('0.200');
    expect(screen.getByText(/Confidence \(LCB margin/).nextElementSibling).toHaveTextContent('not yet');
  });

  it('maps each label to the response it favoured, whichever side that response was shown on', async () => {
    renderDetail();
    const newest = await screen.findByRole('table', {
      name: /comparison of rank 2 \(ordinal 0\) and rank 1 \(ordinal 1\)/,
    });
    expect(rowOf(newest, 'Ann')).toHaveTextContent('A (left)rank 2 (ordinal 0)first preferred (1)clearly12.3 sShorter');
    expect(rowOf(newest, 'Bob')).toHaveTextContent('A (left)rank 1 (ordinal 1)second preferred (0)');
    expect(rowOf(newest, 'Cy')).toHaveTextContent('B (right)rank 2 (ordinal 0)first preferred (1)much');
    expect(within(newest).queryByText(/stored outcome says the other response/)).not.toBeInTheDocument();
    expect(within(rowOf(newest, 'Bob')).getByRole('link', { name: 'rank 1 (ordinal 1)' })).toHaveAttribute(
      'href',
      `#response-${R[1]}`,
    );

    const older = screen.getByRole('table', { name: /comparison of rank 3 \(ordinal 2\) and rank 1/ });
    expect(rowOf(older, 'Tia')).toHaveTextContent('Tieneither (tie)tie (0.5)');
    expect(rowOf(older, 'Sam')).toHaveTextContent('Skipped—— (not training data)');
    expect(rowOf(older, 'Sam')).toHaveTextContent('Skipped: Cannot judge maths');

    // Newest first, each with who chose it.
    const cards = screen.getAllByRole('table', { name: /^Labels of the comparison/ });
    expect(cards[0]).toBe(newest);
    expect(screen.getByText(/chosen by model v8/)).toHaveTextContent('Strategy ae-borda · score 0.420');
    expect(screen.getByText(/chosen before the first model/)).toHaveTextContent('uniform');
  });
});
