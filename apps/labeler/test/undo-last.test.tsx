/**
 * The comparison screen's crowd-quality pieces: "Undo last" (button and U) changes the previous
 * judgment through /revise within the undo window; a missed check question shows the expected side
 * briefly; a refused change is explained by its reason.
 */
import type { LeasedComparison } from '@borda/api-contract';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabelPage } from '../src/labeling/LabelPage';
import { GOLD_NOTE_MS } from '../src/labeling/useLastJudgment';
import { CAMPAIGN_ID, lease, progress } from './labeling-fixtures';
import { LABELER, type RecordedRequest, type Responder, renderWithApp, scriptedFetch } from './render';

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const comparison = () => screen.getByRole('heading', { name: 'Comparison' }).closest('[data-assignment-id]');
const ready = (id: string) => waitFor(() => expect(comparison()).toHaveAttribute('data-assignment-id', id));

function render(options: { leases: LeasedComparison[]; submit: Responder; revise?: Responder }) {
  let calls = 0;
  const api = scriptedFetch({
    [`GET /campaigns/${CAMPAIGN_ID}/progress`]: () => ({ status: 200, body: progress(0) }),
    [`GET /campaigns/${CAMPAIGN_ID}`]: () => ({
      status: 200,
      body: { id: CAMPAIGN_ID, name: 'Eggs', guidelines: '', status: 'active', progress: {} },
    }),
    [`POST /campaigns/${CAMPAIGN_ID}/next`]: () => {
      const assignment = options.leases[calls++];
      return { status: 200, body: assignment ? { assignment } : { assignment: null, reason: 'no_comparisons' } };
    },
    'POST /assignments/*': (request) => {
      const action = request.path.split('/')[3];
      if (action === 'submit') return options.submit(request);
      if (action === 'revise' && options.revise) return options.revise(request);
      return { status: 200, body: { expiresAt: new Date(Date.now() + 300_000).toISOString() } };
    },
  });
  renderWithApp(<LabelPage />, {
    fetch: api.fetch,
    user: LABELER,
    path: `/label/${CAMPAIGN_ID}`,
    route: '/label/:campaignId',
  });
  return api;
}

const savedWith = (extra: object) => (request: RecordedRequest) => {
  const body = request.body as { choice: string };
  return {
    status: 201,
    body: {
      label: { id: 'label-1', assignmentId: request.path.split('/')[2], choice: body.choice },
      duplicate: false,
      campaignCompleted: false,
      ...extra,
    },
  };
};

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Undo last', () => {
  it('changes the previous judgment with U, then with the button, each change its own key', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const undoUntil = new Date(Date.now() + 120_000).toISOString();
    const api = render({
      leases: [lease(1), lease(2), lease(3)],
      submit: savedWith({ undoUntil }),
      revise: (request) => {
        const body = request.body as { choice: string };
        return {
          status: 200,
          body: {
            label: { id: 'label-1', assignmentId: lease(1).id, choice: body.choice },
            revision: { id: 'r1', oldChoice: 'A', newChoice: body.choice, createdAt: new Date().toISOString() },
            duplicate: false,
          },
        };
      },
    });
    await ready(lease(1).id);
    expect(screen.queryByRole('button', { name: /Undo last/ })).not.toBeInTheDocument();
    await user.keyboard('a{Enter}');
    await ready(lease(2).id);
    await screen.findByRole('button', { name: /Undo last/ });

    await user.keyboard('u');
    const dialog = await screen.findByRole('dialog', { name: 'Change your last judgment' });
    expect(within(dialog).getByText(/Left answer 1/)).toBeInTheDocument(); // the previous comparison, as shown
    expect(within(dialog).getByRole('button', { name: 'A better' })).toHaveAttribute('aria-pressed', 'true');
    await user.keyboard('b'); // keys in the dialog change the old judgment, not the one behind it
    await within(dialog).findByText('Changed to B better.');
    const revises = api.requests.filter((r) => r.path.endsWith('/revise'));
    expect(revises).toHaveLength(1);
    expect(revises[0].path).toBe(`/assignments/${lease(1).id}/revise`);
    expect(revises[0].body).toMatchObject({ choice: 'B' });
    expect(comparison()).toHaveAttribute('data-assignment-id', lease(2).id);
    expect(api.requests.filter((r) => r.path.endsWith('/submit'))).toHaveLength(1);

    await user.click(within(dialog).getByRole('button', { name: 'Tie' }));
    await within(dialog).findByText('Changed to Tie.');
    const second = api.requests.filter((r) => r.path.endsWith('/revise'))[1];
    expect(second.body).toMatchObject({ choice: 'tie' });
    expect((second.body as { idempotencyKey: string }).idempotencyKey).not.toBe(
      (revises[0].body as { idempotencyKey: string }).idempotencyKey,
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('disappears when the undo window closes, and explains a refused change', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render({
      leases: [lease(1), lease(2), lease(3)],
      submit: savedWith({ undoUntil: new Date(Date.now() + 5_000).toISOString() }),
      revise: () => ({
        status: 409,
        body: { code: 'CONFLICT', message: 'too old', details: { reason: 'UNDO_WINDOW_CLOSED' } },
      }),
    });
    await ready(lease(1).id);
    await user.keyboard('a{Enter}');
    await user.click(await screen.findByRole('button', { name: /Undo last/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Both bad' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Not changed: that judgment is too old to change (UNDO_WINDOW_CLOSED).',
    );
    await user.keyboard('{Escape}');
    await advance(6_000);
    await waitFor(() => expect(screen.queryByRole('button', { name: /Undo last/ })).not.toBeInTheDocument());
    await user.keyboard('u');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('offers no undo when the campaign allows none (no undoUntil)', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render({ leases: [lease(1), lease(2)], submit: savedWith({}) });
    await ready(lease(1).id);
    await user.keyboard('a{Enter}');
    await ready(lease(2).id);
    await advance(500);
    expect(screen.queryByRole('button', { name: /Undo last/ })).not.toBeInTheDocument();
  });
});

describe('check-question feedback', () => {
  it('shows the expected side after a miss, briefly', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render({
      leases: [lease(1), lease(2), lease(3)],
      submit: savedWith({ goldFeedback: { correct: false, expected: 'A' } }),
    });
    await ready(lease(1).id);
    await user.keyboard('b{Enter}');
    expect(
      await screen.findByText('That was a check question: the expected answer was Response A.'),
    ).toBeInTheDocument();
    await advance(GOLD_NOTE_MS + 100);
    await waitFor(() => expect(screen.queryByText(/check question/)).not.toBeInTheDocument());
  });
});
