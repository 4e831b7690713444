/** The comparison screen's reading aids: synced scrolling of A and B, and the word differences. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lease, nextWith, renderLabelPage } from './labeling-fixtures';

const comparison = () => screen.getByRole('heading', { name: 'Comparison' }).closest('[data-assignment-id]');

async function ready(id: string) {
  await waitFor(() => expect(comparison()).toHaveAttribute('data-assignment-id', id));
}

/** jsdom lays nothing out: give a panel a scrollable height by hand. */
function scrollable(panel: HTMLElement, scrollHeight: number, clientHeight: number) {
  Object.defineProperty(panel, 'scrollHeight', { configurable: true, value: scrollHeight });
  Object.defineProperty(panel, 'clientHeight', { configurable: true, value: clientHeight });
}

describe('reading aids', () => {
  it('marks the words only in A and only in B, named for screen readers, and remembers the choice', async () => {
    const user = userEvent.setup();
    const first = lease(1, {
      left: { id: 'l', text: 'Boil the egg for ten minutes.' },
      right: { id: 'r', text: 'Boil the egg in a kettle for eight minutes.' },
    });
    renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    const toggle = screen.getByRole('button', { name: 'Show word differences' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(document.querySelector('del.diff-a, ins.diff-b')).toBeNull();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const a = screen.getByRole('region', { name: 'Response A' });
    const b = screen.getByRole('region', { name: 'Response B' });
    expect(Array.from(a.querySelectorAll('del')).map((d) => d.textContent)).toEqual(['[only in A: ten ]']);
    expect(Array.from(b.querySelectorAll('ins')).map((d) => d.textContent)).toEqual([
      '[only in B: in a kettle ]',
      '[only in B: eight ]',
    ]);
    expect(a.querySelector('.diff-text')).toHaveTextContent('Boil the egg for [only in A: ten ]minutes.');
    expect(screen.getByText(/Words only in A are/)).toBeInTheDocument();
    expect(localStorage.getItem('borda:reading:wordDiff')).toBe('on');

    await user.click(toggle);
    expect(a.querySelector('del')).toBeNull();
    expect(localStorage.getItem('borda:reading:wordDiff')).toBe('off');
  });

  it('keeps the diff on for the next comparison once chosen', async () => {
    localStorage.setItem('borda:reading:wordDiff', 'on');
    const first = lease(1, { left: { id: 'l', text: 'red apple' }, right: { id: 'r', text: 'green apple' } });
    renderLabelPage({ next: nextWith(first) });
    await ready(first.id);
    expect(screen.getByRole('button', { name: 'Show word differences' })).toHaveAttribute('aria-pressed', 'true');
    const b = screen.getByRole('region', { name: 'Response B' });
    expect(within(b).getByText('green', { exact: false }).closest('ins')).toHaveClass('diff-b');
  });

  it('scrolls B to the same fraction as A (and back) when synced, and not when off', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    const a = screen.getByRole('region', { name: 'Response A' });
    const b = screen.getByRole('region', { name: 'Response B' });
    scrollable(a, 1100, 100); // 1,000 px to scroll
    scrollable(b, 2100, 100); // 2,000 px to scroll
    const toggle = screen.getByRole('button', { name: 'Scroll A and B together' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(a).not.toHaveAttribute('tabindex');

    a.scrollTop = 250;
    a.dispatchEvent(new Event('scroll'));
    expect(b.scrollTop).toBe(0);

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('borda:reading:syncScroll')).toBe('on');
    // A scroll box must be reachable by keyboard (axe: scrollable-region-focusable).
    expect(a).toHaveAttribute('tabindex', '0');
    expect(a.parentElement).toHaveClass('responses-synced');

    a.scrollTop = 250;
    a.dispatchEvent(new Event('scroll'));
    expect(b.scrollTop).toBe(500);
    // The scroll the sync caused on B does not move A back.
    b.dispatchEvent(new Event('scroll'));
    expect(a.scrollTop).toBe(250);
    // The labeler scrolling B moves A.
    b.scrollTop = 1500;
    b.dispatchEvent(new Event('scroll'));
    expect(a.scrollTop).toBe(750);
  });
});
