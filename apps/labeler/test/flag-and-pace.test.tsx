/** The comparison screen's "Flag harmful content" action and the session pace in the progress panel. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lease, nextWith, renderLabelPage } from './labeling-fixtures';

const comparison = () => screen.getByRole('heading', { name: 'Comparison' }).closest('[data-assignment-id]');

async function ready(id: string) {
  await waitFor(() => expect(comparison()).toHaveAttribute('data-assignment-id', id));
}

describe('flag harmful content', () => {
  it('opens with F, sends the note to /flag (not /skip) and moves on; Esc cancels', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const second = lease(2);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, second, lease(3)) });
    await ready(first.id);

    await user.keyboard('f');
    const dialog = screen.getByRole('dialog', { name: 'Flag harmful content?' });
    expect(within(dialog).getByRole('textbox', { name: /what is harmful/i })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.keyboard('f');
    await user.keyboard('Explains how to make a weapon{Enter}');
    await ready(second.id);
    await waitFor(() => expect(requestsTo('POST', '/flag')).toHaveLength(1));
    const flag = requestsTo('POST', '/flag')[0];
    expect(flag.path).toBe(`/assignments/${first.id}/flag`);
    expect(flag.body).toEqual({
      note: 'Explains how to make a weapon',
      idempotencyKey: expect.any(String),
      timeTakenMs: expect.any(Number),
    });
    expect(requestsTo('POST', '/skip')).toHaveLength(0);

    // With the button and no note.
    await user.click(screen.getByRole('button', { name: /^Flag harmful/ }));
    await user.click(screen.getByRole('button', { name: 'Flag and skip' }));
    await waitFor(() => expect(requestsTo('POST', '/flag')).toHaveLength(2));
    expect(requestsTo('POST', '/flag')[1].body).not.toHaveProperty('note');
  });

  it('lists the flag key among the shortcuts', async () => {
    const user = userEvent.setup();
    renderLabelPage({ next: nextWith(lease(1)) });
    await ready(lease(1).id);
    await user.keyboard('?');
    expect(screen.getByText(/Flag harmful content \(a note is optional/)).toBeInTheDocument();
  });
});

describe('session pace', () => {
  it('counts judgments this session with their median time and streak; a skip ends the streak', async () => {
    const user = userEvent.setup();
    const leases = [1, 2, 3, 4, 5].map((n) => lease(n));
    renderLabelPage({ next: nextWith(...leases) });
    await ready(leases[0].id);
    const pace = () => screen.getByRole('list', { name: 'This session' });
    expect(pace()).toHaveTextContent('This session: 0 judgments');
    expect(pace()).toHaveTextContent('Median time: –');

    await user.keyboard('a{Enter}');
    await ready(leases[1].id);
    await user.keyboard('b{Enter}');
    await ready(leases[2].id);
    expect(pace()).toHaveTextContent('This session: 2 judgments');
    expect(pace()).toHaveTextContent(/Median time: \d+(\.\d)? s/);
    expect(pace()).toHaveTextContent('Streak: 2');

    await user.keyboard('s{Enter}');
    await ready(leases[3].id);
    expect(pace()).toHaveTextContent('This session: 2 judgments');
    expect(pace()).toHaveTextContent('Streak: 0');
    await user.keyboard('t{Enter}');
    await ready(leases[4].id);
    expect(pace()).toHaveTextContent('Streak: 1');
    // Kept for this tab: sessionStorage holds the events.
    expect(JSON.parse(sessionStorage.getItem('borda:pace:11111111-1111-4111-8111-111111111111')!).events).toHaveLength(
      4,
    );
  });

  it('reminds to take a break after the chosen time of continuous labeling, and the reminder can be dismissed', async () => {
    const user = userEvent.setup();
    // A stretch that began 55 minutes ago, with the last judgment a moment ago.
    const now = Date.now();
    const events = Array.from({ length: 110 }, (_, i) => ({
      at: now - (109 - i) * 30_000,
      ms: 30_000,
      kind: 'judgment',
    }));
    sessionStorage.setItem(
      'borda:pace:11111111-1111-4111-8111-111111111111',
      JSON.stringify({ events, stretchStart: now - 55 * 60_000, reminderDismissed: false }),
    );
    renderLabelPage({ next: nextWith(lease(1)) });
    await ready(lease(1).id);
    expect(await screen.findByText(/labeling for 55 minutes without a break/)).toBeInTheDocument();

    const choice = screen.getByRole('combobox', { name: 'Break reminder' });
    expect(choice).toHaveValue('50');
    await user.selectOptions(choice, '90');
    expect(screen.queryByText(/without a break/)).not.toBeInTheDocument();
    expect(localStorage.getItem('borda:break-minutes')).toBe('90');
    await user.selectOptions(choice, '50');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/without a break/)).not.toBeInTheDocument();
  });
});
