/** The ranking screen (ranking campaigns): keys select and move responses, Enter submits the order; buttons do the same. */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RankingScreen } from '../src/labeling/RankingScreen';
import { hold } from '../src/labeling/sessionTypes';
import { lease } from './labeling-fixtures';

const ids = ['a', 'b', 'c', 'd'].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000001`);
const ranking = ids.map((id, i) => ({ id, text: `Answer ${i + 1}` }));

function setup() {
  const onRank = vi.fn();
  render(<RankingScreen lease={hold(lease(1, { ranking }))} onRank={onRank} />);
  const list = screen.getByRole('list', { name: 'Your ranking, best first' });
  const places = () =>
    within(list)
      .getAllByRole('listitem')
      .map((o) => o.getAttribute('data-response-id'));
  return { onRank, list, places };
}

describe('ranking screen', () => {
  it('ranks with the keyboard: a number selects, ↑/↓ and K/J move, Enter submits', async () => {
    const user = userEvent.setup();
    const { onRank, list, places } = setup();
    expect(screen.getByRole('heading', { name: 'Rank the responses, best first' })).toHaveFocus();
    expect(places()).toEqual(ids);

    await user.keyboard('4'); // select the last place
    expect(within(list).getAllByRole('listitem')[3]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('{ArrowUp}{ArrowUp}k'); // to the top
    expect(places()).toEqual([ids[3], ids[0], ids[1], ids[2]]);
    expect(within(list).getAllByRole('listitem')[0]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('k'); // already first: nothing moves
    await user.keyboard('2j{ArrowDown}'); // place 2 (Answer 1) down to the bottom
    expect(places()).toEqual([ids[3], ids[1], ids[2], ids[0]]);
    expect(screen.getByRole('status')).toHaveTextContent('Response 1 moved to place 4 of 4.');
    expect(onRank).not.toHaveBeenCalled();

    await user.keyboard('{Enter}');
    expect(onRank).toHaveBeenCalledTimes(1);
    expect(onRank).toHaveBeenCalledWith([ids[3], ids[1], ids[2], ids[0]]);
  });

  it('moves with the buttons (touch and screen readers) and submits with the button', async () => {
    const user = userEvent.setup();
    const { onRank, places } = setup();
    expect(screen.getByRole('button', { name: 'Move Response 1 up' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Move Response 3 up' }));
    expect(places()).toEqual([ids[0], ids[2], ids[1], ids[3]]);
    await user.click(screen.getByRole('button', { name: 'Move Response 1 down' }));
    expect(places()).toEqual([ids[2], ids[0], ids[1], ids[3]]);
    await user.click(screen.getByRole('button', { name: /Submit ranking/ }));
    expect(onRank).toHaveBeenCalledWith([ids[2], ids[0], ids[1], ids[3]]);
  });
});
