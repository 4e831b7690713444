import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { resolveShortcut } from '../src/labeling/shortcuts';
import { lease, never, nextWith, renderLabelPage } from './labeling-fixtures';

const comparison = () => screen.getByRole('heading', { name: 'Comparison' }).closest('[data-assignment-id]');
const pressed = (name: string) => screen.getByRole('button', { name }).getAttribute('aria-pressed');

async function ready(id: string) {
  await waitFor(() => expect(comparison()).toHaveAttribute('data-assignment-id', id));
}

describe('comparison screen', () => {
  it('shows the prompt as a thread and both responses as A (left) and B (right) in the order the API gave', async () => {
    const first = lease(1);
    renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);

    const thread = within(screen.getByRole('region', { name: 'Prompt' })).getByRole('list');
    const turns = within(thread).getAllByRole('listitem');
    expect(turns.map((t) => t.querySelector('.turn-role')?.textContent)).toEqual([
      'System',
      'User',
      'Assistant',
      'User',
    ]);
    expect(turns[0]).toHaveClass('turn-system');
    expect(turns[2]).toHaveClass('turn-assistant');
    expect(turns[3].querySelector('strong')).toHaveTextContent('please'); // each turn is Markdown
    expect(thread).toHaveTextContent('How do I boil egg number 1?');

    const a = screen.getByRole('region', { name: 'Response A' });
    const b = screen.getByRole('region', { name: 'Response B' });
    expect(a).toHaveTextContent('Left answer 1: boil for ten minutes.');
    expect(a.querySelector('em')).toHaveTextContent('ten');
    expect(b).toHaveTextContent('Right answer 1: use a kettle.');
    expect(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Nothing about the response ids or where they came from reaches the page.
    expect(document.body.textContent).not.toContain(first.left.id);
  });

  it('collapses a long prompt to its last turn, and opens and folds it again with the toggle', async () => {
    const user = userEvent.setup();
    const long = lease(1, {
      prompt: {
        id: 'p-long',
        text: null,
        messages: [
          { role: 'system', content: `Be precise. ${'Cite every source you use. '.repeat(40)}` },
          { role: 'user', content: 'Which plan is cheapest?' },
        ],
      },
    });
    renderLabelPage({ next: nextWith(long, lease(2)) });
    await ready(long.id);

    const prompt = screen.getByRole('region', { name: 'Prompt' });
    const toggle = within(prompt).getByRole('button', { name: 'Show the whole prompt' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(prompt).toHaveTextContent('Which plan is cheapest?');
    expect(prompt).not.toHaveTextContent('Cite every source');
    expect(prompt).toHaveTextContent('1 earlier turn hidden');

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveTextContent('Collapse the prompt');
    expect(prompt).toHaveTextContent('Cite every source');
    expect(within(prompt).getAllByRole('listitem')).toHaveLength(2);
    await user.click(toggle);
    expect(prompt).not.toHaveTextContent('Cite every source');
  });

  it('leaves a short prompt whole, with no toggle', async () => {
    const first = lease(1);
    renderLabelPage({ next: nextWith(first) });
    await ready(first.id);
    expect(within(screen.getByRole('region', { name: 'Prompt' })).queryByRole('button')).not.toBeInTheDocument();
  });

  it('falls back to the prompt text when there are no messages', async () => {
    const plain = lease(1, { prompt: { id: 'p', text: 'Name a *prime*.', messages: null } });
    renderLabelPage({ next: nextWith(plain) });
    await ready(plain.id);
    expect(screen.getByRole('region', { name: 'Prompt' })).toHaveTextContent('Name a prime.');
    expect(screen.getByRole('region', { name: 'Prompt' }).querySelector('em')).toHaveTextContent('prime');
  });

  it('judges with the keyboard alone and sends exactly the choice, strength and rationale', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    expect(screen.getByRole('heading', { name: 'Comparison' })).toHaveFocus();

    await user.keyboard('b');
    expect(pressed('B better')).toBe('true');
    expect(pressed('A better')).toBe('false');
    await user.keyboard('3');
    expect(pressed('Much better')).toBe('true');
    await user.keyboard('r');
    expect(screen.getByRole('textbox', { name: /rationale/i })).toHaveFocus();
    await user.keyboard('Shorter and correct');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('textbox', { name: /rationale/i })).not.toHaveFocus();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    const [submit] = requestsTo('POST', '/submit');
    expect(submit.path).toBe(`/assignments/${first.id}/submit`);
    const body = submit.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['choice', 'idempotencyKey', 'rationale', 'strength', 'timeTakenMs']);
    expect(body).toMatchObject({ choice: 'B', strength: 3, rationale: 'Shorter and correct' });
    expect(body.idempotencyKey).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(body.timeTakenMs).toEqual(expect.any(Number));
  });

  it('submits from inside the rationale with Ctrl+Enter, and ← picks A', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    await user.keyboard('{ArrowLeft}r');
    await user.keyboard('fine');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'A', rationale: 'fine' });
    expect(requestsTo('POST', '/submit')[0].body).not.toHaveProperty('strength');
  });

  it('refuses a strength for a tie: the strength buttons are disabled and none is sent', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);

    await user.keyboard('a2');
    expect(pressed('Clearly better')).toBe('true');
    await user.keyboard('t'); // switching to a tie drops the strength
    expect(pressed('Tie')).toBe('true');
    for (const name of ['Slightly better', 'Clearly better', 'Much better']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
      expect(pressed(name)).toBe('false');
    }
    await user.keyboard('2{Enter}');
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    const body = requestsTo('POST', '/submit')[0].body as Record<string, unknown>;
    expect(body.choice).toBe('tie');
    expect(body).not.toHaveProperty('strength');
    expect(body).not.toHaveProperty('rationale');
  });

  it('asks for a choice before submitting', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent(/choose which response is better first/i);
    expect(requestsTo('POST', '/submit')).toHaveLength(0);
    expect(comparison()).toHaveAttribute('data-assignment-id', first.id);
  });

  it('skips through the dialog by keyboard: Esc cancels, Enter confirms with the reason', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const second = lease(2);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, second) });
    await ready(first.id);

    await user.keyboard('s');
    const dialog = screen.getByRole('dialog', { name: 'Skip this comparison?' });
    expect(within(dialog).getByRole('radio', { name: "I can't judge this topic" })).toHaveFocus();
    await user.keyboard('a'); // not a shortcut while the dialog is open
    expect(pressed('A better')).toBe('false');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Comparison' })).toHaveFocus();

    await user.keyboard('s');
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('radio', { name: 'The prompt is unclear or broken' })).toBeChecked();
    await user.keyboard('{Tab}');
    expect(screen.getByRole('textbox', { name: /details/i })).toHaveFocus();
    await user.keyboard('cut off mid-sentence{Enter}');

    await ready(second.id);
    expect(requestsTo('POST', '/skip')).toHaveLength(1);
    const skip = requestsTo('POST', '/skip')[0];
    expect(skip.path).toBe(`/assignments/${first.id}/skip`);
    expect(skip.body).toEqual({
      reason: 'The prompt is unclear or broken: cut off mid-sentence',
      idempotencyKey: expect.any(String),
      timeTakenMs: expect.any(Number),
    });
  });

  it('submits with Enter after choosing with the mouse: the focused button is not pressed again', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const second = lease(2);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, second) });
    await ready(first.id);

    await user.click(screen.getByRole('button', { name: 'B better' }));
    await user.click(screen.getByRole('button', { name: 'Much better' }));
    expect(screen.getByRole('button', { name: 'Much better' })).toHaveFocus();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'B', strength: 3 });
    await ready(second.id);
  });

  it('submits with Enter while the Shortcuts button has focus, instead of toggling the list', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);

    await user.click(screen.getByRole('button', { name: 'A better' }));
    await user.click(screen.getByRole('button', { name: 'Shortcuts' }));
    expect(screen.getByRole('region', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'A' });
    expect(screen.getByRole('region', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
  });

  it('still presses a focused button with Enter while no choice is made (keyboard users pick a side so)', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);

    screen.getByRole('button', { name: 'Tie' }).focus();
    await user.keyboard('{Enter}');
    expect(pressed('Tie')).toBe('true');
    expect(requestsTo('POST', '/submit')).toHaveLength(0);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.keyboard('{Enter}'); // now a choice is made: Enter submits from the same button
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'tie' });
  });

  it('does not fire shortcuts while typing in the rationale', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)) });
    await ready(first.id);

    await user.click(screen.getByRole('textbox', { name: /rationale/i }));
    await user.keyboard('A beats B? tie 123, x, skip, go{Enter}rest');
    expect(screen.getByRole('textbox', { name: /rationale/i })).toHaveValue('A beats B? tie 123, x, skip, go\nrest');
    for (const name of ['A better', 'B better', 'Tie', 'Both bad']) expect(pressed(name)).toBe('false');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Guidelines' })).toHaveAttribute('aria-expanded', 'false');
    expect(requestsTo('POST', '/submit')).toHaveLength(0);
  });

  it('shows the prefetched comparison right after submit, without waiting for another /next, and focuses it', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const second = lease(2);
    // The third /next (the refill) never answers: the second comparison must not depend on it.
    const { requestsTo } = renderLabelPage({ next: [...nextWith(first, second), () => never()] });
    await ready(first.id);
    await waitFor(() => expect(requestsTo('POST', '/next')).toHaveLength(2));

    await user.keyboard('x{Enter}');
    await ready(second.id);
    expect(screen.getByRole('region', { name: 'Response A' })).toHaveTextContent('Left answer 2');
    expect(screen.getByRole('heading', { name: 'Comparison' })).toHaveFocus();
    expect(pressed('Both bad')).toBe('false'); // a fresh draft
    expect(screen.getByText('Comparison 2 is ready.')).toBeInTheDocument();
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({ choice: 'both_bad' });
    await waitFor(() => expect(requestsTo('POST', '/next')).toHaveLength(3));
  });

  it('opens the guidelines on a first visit to the campaign', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    renderLabelPage({ next: nextWith(first, lease(2)), firstVisit: true });
    await ready(first.id);
    const toggle = screen.getByRole('button', { name: 'Guidelines' });
    await waitFor(() => expect(toggle).toHaveAttribute('aria-expanded', 'true'));
    expect(screen.getByRole('region', { name: 'Guidelines' })).toHaveTextContent('Prefer correct answers.');
    await user.keyboard('g');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  it('toggles guidelines with G and the shortcut list with ?', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    renderLabelPage({ next: nextWith(first, lease(2)), guidelines: '## Judge\nPrefer **correct** answers.' });
    await ready(first.id);
    const toggle = screen.getByRole('button', { name: 'Guidelines' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.keyboard('g');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Guidelines' })).toHaveTextContent('Prefer correct answers.'),
    );
    await user.keyboard('g');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    await user.keyboard('?');
    const help = screen.getByRole('region', { name: 'Keyboard shortcuts' });
    expect(within(help).getByText(/Submit the judgment/)).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
  });
});

describe('shortcut map', () => {
  const press = (key: string, target: EventTarget | null = document.body, mods = {}) =>
    resolveShortcut({ key, target, ctrlKey: false, metaKey: false, altKey: false, ...mods });

  it('maps the documented keys, in either case', () => {
    expect([press('a'), press('A'), press('ArrowLeft')]).toEqual(['chooseA', 'chooseA', 'chooseA']);
    expect([press('b'), press('ArrowRight'), press('t'), press('x')]).toEqual(['chooseB', 'chooseB', 'tie', 'bothBad']);
    expect([press('1'), press('2'), press('3')]).toEqual(['strength1', 'strength2', 'strength3']);
    expect([press('r'), press('s'), press('g'), press('?'), press('h')]).toEqual([
      'focusRationale',
      'skip',
      'toggleGuidelines',
      'toggleHelp',
      'stillHere',
    ]);
    expect(press('Enter')).toBe('submit');
    expect(press('q')).toBeNull();
  });

  it('leaves keys alone in text fields, on links and dialog openers (Enter), in modal dialogs and with modifiers', () => {
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const button = document.createElement('button');
    const link = document.createElement('a');
    link.href = '/label';
    const opener = document.createElement('button');
    opener.setAttribute('aria-haspopup', 'dialog');
    const modal = document.createElement('div');
    modal.setAttribute('aria-modal', 'true');
    const inModal = modal.appendChild(document.createElement('span'));
    document.body.append(input, textarea, button, link, opener, modal);
    expect(press('a', input)).toBeNull();
    expect(press('Enter', textarea)).toBeNull();
    expect(press('Escape', textarea)).toBeNull();
    // On a plain button Enter is a submit: the comparison screen presses the button while no choice is made.
    expect(press('Enter', button)).toBe('submit');
    expect(press('Enter', link)).toBeNull();
    expect(press('Enter', opener)).toBeNull();
    expect(press('a', button)).toBe('chooseA');
    expect(press('a', inModal)).toBeNull();
    expect(press('r', document.body, { ctrlKey: true })).toBeNull();
    expect(press('a', document.body, { metaKey: true })).toBeNull();
    document.body.replaceChildren();
  });
});
