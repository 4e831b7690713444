import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCountdown, heartbeatDue, shouldWarn, warningThresholdMs } from '../src/labeling/leaseClock';
import { CAMPAIGN_ID, lease, nextWith, renderLabelPage, saved } from './labeling-fixtures';
import { LABELER } from './render';

const comparison = () => screen.getByRole('heading', { name: 'Comparison' }).closest('[data-assignment-id]');
const ready = (id: string) => waitFor(() => expect(comparison()).toHaveAttribute('data-assignment-id', id));
const outboxItems = () => Object.keys(localStorage).filter((k) => k.startsWith(`borda.outbox.${LABELER.id}.`));
const fail = (status: number, code: string, message = code) => ({ status, body: { code, message } });
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('labeling session: sending judgments', () => {
  it('retries a submit that fails with 500 twice with the same idempotency key, and it lands once', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    let calls = 0;
    const first = lease(1);
    const { requestsTo } = renderLabelPage({
      next: nextWith(first, lease(2), lease(3)),
      submit: (request) => (++calls <= 2 ? fail(500, 'INTERNAL', 'database hiccup') : saved(request)),
    });
    await ready(first.id);
    await waitFor(() => expect(screen.getByText(/Done today:/)).toHaveTextContent('Done today: 0'));

    await user.keyboard('a1{Enter}');
    await ready(lease(2).id); // shown at once, whatever the submit's fate
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(outboxItems()).toHaveLength(1); // persisted before any answer
    await advance(1_000);
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(2));
    await advance(2_000);
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(3));

    const submits = requestsTo('POST', '/submit');
    expect(new Set(submits.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(submits.every((r) => r.path === `/assignments/${first.id}/submit`)).toBe(true);
    expect((submits[0].body as { idempotencyKey: string }).idempotencyKey).toBeTruthy();
    await waitFor(() => expect(outboxItems()).toHaveLength(0));
    await waitFor(() => expect(screen.getByText(/Done today:/)).toHaveTextContent('Done today: 1'));
    await advance(10_000);
    expect(requestsTo('POST', '/submit')).toHaveLength(3);
    expect(screen.queryByText(/not saved yet/)).not.toBeInTheDocument();
  });

  it('keeps a submit that keeps failing in the outbox, says so, and sends it again on "Retry now"', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    let down = true;
    const first = lease(1);
    const { requestsTo } = renderLabelPage({
      next: nextWith(first, lease(2), lease(3)),
      submit: (request) => (down ? fail(503, 'SERVICE_UNAVAILABLE', 'try later') : saved(request)),
    });
    await ready(first.id);
    await user.keyboard('b{Enter}');
    await advance(1_000 + 2_000 + 4_000 + 500);
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(4));
    const alert = await screen.findByText(/1 judgment not saved yet/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent('SERVICE_UNAVAILABLE');
    expect(outboxItems()).toHaveLength(1);
    const stored = JSON.parse(localStorage.getItem(outboxItems()[0])!);
    expect(stored).toMatchObject({ assignmentId: first.id, kind: 'submit', body: { choice: 'B' }, state: 'parked' });
    await advance(30_000);
    expect(requestsTo('POST', '/submit')).toHaveLength(4); // parked: no more automatic tries

    down = false;
    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(5));
    await waitFor(() => expect(screen.queryByText(/not saved yet/)).not.toBeInTheDocument());
    expect(outboxItems()).toHaveLength(0);
    const keys = new Set(
      requestsTo('POST', '/submit').map((r) => (r.body as { idempotencyKey: string }).idempotencyKey),
    );
    expect(keys.size).toBe(1);
  });

  it('sends parked judgments again when the browser comes back online', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    let online = false;
    const { requestsTo } = renderLabelPage({
      next: nextWith(lease(1), lease(2), lease(3)),
      submit: (request) => (online ? saved(request) : fail(502, 'INTERNAL', 'bad gateway')),
    });
    await ready(lease(1).id);
    await user.keyboard('x{Enter}');
    await advance(8_000);
    expect(await screen.findByText(/1 judgment not saved yet/)).toBeInTheDocument();
    expect(requestsTo('POST', '/submit')).toHaveLength(4);

    online = true;
    act(() => void window.dispatchEvent(new Event('online')));
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(5));
    await waitFor(() => expect(screen.queryByText(/not saved yet/)).not.toBeInTheDocument());
    expect(outboxItems()).toHaveLength(0);
  });

  it('sends what an earlier page left in the outbox when the page loads', async () => {
    const body = { choice: 'tie', timeTakenMs: 1234, idempotencyKey: 'key-from-yesterday' };
    localStorage.setItem(
      `borda.outbox.${LABELER.id}.key-from-yesterday`,
      JSON.stringify({
        key: 'key-from-yesterday',
        kind: 'submit',
        campaignId: CAMPAIGN_ID,
        assignmentId: 'old-assignment',
        body,
        queuedAt: 1,
        attempts: 4,
        state: 'sending',
        lastError: null,
      }),
    );
    const { requestsTo } = renderLabelPage({
      next: nextWith(lease(1), lease(2)),
      submit: (request) => saved(request, { duplicate: true }),
    });
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0]).toMatchObject({ path: '/assignments/old-assignment/submit', body });
    await waitFor(() => expect(outboxItems()).toHaveLength(0)); // a duplicate counts as saved
  });
});

describe('labeling session: leases', () => {
  it('warns before the lease lapses when the labeler is away, and "I\'m still here" renews it', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    expect(screen.queryByText(/about to run out/)).not.toBeInTheDocument();

    // No key, pointer or scroll for 4 minutes: no heartbeat is sent, and 60 s before expiry the warning shows.
    await advance(241_000);
    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent('Your hold on this comparison is about to run out.');
    expect(screen.getByRole('timer')).toHaveTextContent(/^0:5\d$/);
    expect(requestsTo('POST', '/heartbeat')).toHaveLength(0);

    await user.keyboard('h');
    await waitFor(() => expect(requestsTo('POST', `/${first.id}/heartbeat`)).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText(/about to run out/)).not.toBeInTheDocument());
    expect(comparison()).toHaveAttribute('data-assignment-id', first.id);
  });

  it('renews leases in the background while the labeler is active', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const first = lease(1);
    const second = lease(2);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, second) });
    await ready(first.id);
    for (let i = 0; i < 20; i++) {
      await advance(10_000);
      await user.pointer({ target: document.body, coords: { x: i, y: i } });
    }
    // 200 s in, a third of the 300 s lease is left: both held leases are renewed before any warning.
    await waitFor(() => expect(requestsTo('POST', `/${first.id}/heartbeat`)).toHaveLength(1));
    expect(requestsTo('POST', `/${second.id}/heartbeat`)).toHaveLength(1);
    expect(screen.queryByText(/about to run out/)).not.toBeInTheDocument();
  });

  it('moves on to the next comparison with a message when a heartbeat finds the lease expired', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const first = lease(1);
    const second = lease(2);
    renderLabelPage({
      next: nextWith(first, second),
      heartbeat: () => fail(409, 'LEASE_EXPIRED', 'the lease expired'),
    });
    await ready(first.id);
    await user.keyboard('h');
    await ready(second.id);
    expect(screen.getByRole('alert')).toHaveTextContent(/no longer yours.*LEASE_EXPIRED.*Moved on to the next one/);
    expect(screen.getByRole('heading', { name: 'Comparison' })).toHaveFocus();
  });

  it('reports a judgment refused with LEASE_EXPIRED by name, drops it from the outbox and goes on', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const second = lease(2);
    const { requestsTo } = renderLabelPage({
      next: nextWith(lease(1), second),
      submit: () => fail(409, 'LEASE_EXPIRED', 'the lease of assignment x expired'),
    });
    await ready(lease(1).id);
    await user.keyboard('a{Enter}');
    await ready(second.id);
    const alert = await screen.findByText(/A judgment could not be saved/);
    expect(alert).toHaveTextContent(
      'your time on that comparison ran out and it was given to someone else (LEASE_EXPIRED)',
    );
    await advance(10_000);
    expect(requestsTo('POST', '/submit')).toHaveLength(1); // not retried
    expect(outboxItems()).toHaveLength(0);
  });
});

describe('labeling session: reloading the page', () => {
  it('brings back the comparison on screen and the selection made on it, once a heartbeat confirms the lease', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const first = lease(1);
    const page = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    await user.keyboard('b2r');
    await user.keyboard('kept');
    page.unmount(); // the reload

    const { requestsTo } = renderLabelPage({ next: nextWith(lease(3), lease(4)) });
    await ready(first.id);
    expect(requestsTo('POST', `/assignments/${first.id}/heartbeat`)).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'B better' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Clearly better' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('textbox', { name: /rationale/i })).toHaveValue('kept');
    await user.keyboard('{Escape}{Enter}');
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].path).toBe(`/assignments/${first.id}/submit`);
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'B', strength: 2, rationale: 'kept' });
    await ready(lease(3).id);
    expect(screen.getByRole('button', { name: 'B better' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('starts with a fresh comparison when the one on screen before the reload is no longer ours', async () => {
    const first = lease(1);
    const page = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    page.unmount();

    renderLabelPage({
      next: nextWith(lease(3), lease(4)),
      heartbeat: () => fail(409, 'LEASE_EXPIRED', 'the lease expired'),
    });
    await ready(lease(3).id);
    expect(screen.queryByText(/no longer yours/)).not.toBeInTheDocument();
  });
});

describe('labeling session: when there is nothing to judge', () => {
  it('shows the done state when the budget is reached', async () => {
    renderLabelPage({ next: [{ assignment: null, reason: 'budget_reached' }] });
    expect(await screen.findByRole('heading', { name: 'All done' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your campaigns' })).toHaveAttribute('href', '/label');
    expect(screen.queryByRole('heading', { name: 'Comparison' })).not.toBeInTheDocument();
  });

  it('shows the done state when a saved judgment completes the campaign', async () => {
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderLabelPage({
      next: nextWith(lease(1), lease(2)),
      submit: (request) => saved(request, { campaignCompleted: true }),
    });
    await ready(lease(1).id);
    await user.keyboard('t{Enter}');
    expect(await screen.findByRole('heading', { name: 'All done' })).toHaveFocus();
  });

  it('waits for new comparisons, checking every 10 seconds', async () => {
    const third = lease(3);
    const { requestsTo } = renderLabelPage({
      next: [
        { assignment: null, reason: 'no_comparisons' },
        { assignment: null, reason: 'no_comparisons' },
        { assignment: third },
      ],
    });
    expect(await screen.findByRole('heading', { name: 'No comparisons for you right now' })).toBeInTheDocument();
    expect(requestsTo('POST', '/next')).toHaveLength(1);
    await advance(10_000);
    await waitFor(() => expect(requestsTo('POST', '/next')).toHaveLength(2));
    await advance(10_000);
    await ready(third.id);
  });

  it('says why there is nothing to judge, from the progress counts, and never blames a retrain for waiting on others', async () => {
    renderLabelPage({
      next: [{ assignment: null, reason: 'no_comparisons' }],
      progress: { remaining: 0, leased: 0, waitReason: 'others_judging', doneTotal: 16, skippedTotal: 1 },
    });
    const heading = await screen.findByRole('heading', { name: 'You have judged every open comparison' });
    const state = heading.closest('section')!;
    expect(state).toHaveTextContent(/waiting for other labelers' judgments/);
    expect(document.body).not.toHaveTextContent(/retrain/i);
    const progress = screen.getByRole('region', { name: 'Your progress' });
    expect(progress).toHaveTextContent('Your judgments: 16 (and 1 skipped)');
    expect(progress).toHaveTextContent('Remaining for you: 0');
  });

  it('says when the comparisons left are leased to other labelers, and when the next ones are being selected', async () => {
    renderLabelPage({
      next: [{ assignment: null, reason: 'no_comparisons' }],
      progress: { remaining: 0, leased: 0, waitReason: 'others_leased' },
    });
    expect(
      await screen.findByRole('heading', { name: 'The comparisons left for you are with other labelers' }),
    ).toBeInTheDocument();
  });

  it('keeps checking while the rest of the budget is leased to others (budget_leased is not final)', async () => {
    const first = lease(1);
    const { requestsTo } = renderLabelPage({
      next: [{ assignment: null, reason: 'budget_leased' }, { assignment: first }],
    });
    expect(
      await screen.findByRole('heading', { name: 'The last comparisons are with other labelers' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'All done' })).not.toBeInTheDocument();
    await advance(10_000);
    await ready(first.id);
    expect(requestsTo('POST', '/next').length).toBeGreaterThanOrEqual(2);
  });

  it('says when the campaign is paused and keeps checking', async () => {
    const first = lease(1);
    renderLabelPage({
      next: [
        () => ({
          status: 409,
          body: { code: 'CAMPAIGN_NOT_ACTIVE', message: 'paused', details: { status: 'paused' } },
        }),
        { assignment: first },
      ],
    });
    expect(await screen.findByRole('heading', { name: 'This campaign is paused' })).toBeInTheDocument();
    await advance(10_000);
    await ready(first.id);
  });
});

describe('lease clock', () => {
  const lease = (secondsLeft: number, leaseSeconds = 300) => ({ expiresAtMs: secondsLeft * 1000, leaseSeconds });

  it('warns 60 s before expiry, or at 20% of a short lease', () => {
    expect(warningThresholdMs(300)).toBe(60_000);
    expect(warningThresholdMs(30)).toBe(6_000);
    expect(shouldWarn(lease(61), 0)).toBe(false);
    expect(shouldWarn(lease(60), 0)).toBe(true);
    expect(shouldWarn(lease(7, 30), 0)).toBe(false);
    expect(shouldWarn(lease(-5), 0)).toBe(true); // lapsed: still warned until settled
  });

  it('renews when a third of the lease is left, at most every 30 s (or a sixth of a short lease)', () => {
    expect(heartbeatDue(lease(101), 0, null)).toBe(false);
    expect(heartbeatDue(lease(100), 0, null)).toBe(true);
    expect(heartbeatDue(lease(50), 0, -29_000)).toBe(false);
    expect(heartbeatDue(lease(50), 0, -30_000)).toBe(true);
    expect(heartbeatDue(lease(10, 30), 0, -5_000)).toBe(true);
  });

  it('formats the countdown', () => {
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(8_200)).toBe('0:09');
    expect(formatCountdown(-3_000)).toBe('0:00');
  });
});
