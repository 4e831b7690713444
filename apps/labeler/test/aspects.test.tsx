import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lease, nextWith, renderLabelPage } from './labeling-fixtures';

const ASPECTS = [
  { key: 'helpful', label: 'More helpful', kind: 'pairwise', required: true },
  { key: 'clarity', label: 'Clarity', kind: 'rating', required: false },
  { key: 'ideal', label: 'Ideal response', kind: 'text', required: false },
];

describe('aspects on the comparison screen', () => {
  it('asks the campaign aspects under the choice, requires the required ones and sends the answers', async () => {
    const user = userEvent.setup();
    const first = lease(1);
    const { requestsTo } = renderLabelPage({ next: nextWith(first, lease(2)), aspects: ASPECTS });
    const group = await screen.findByRole('group', { name: 'Aspects' });
    await user.click(screen.getByRole('button', { name: 'A better' }));
    await user.click(screen.getByRole('button', { name: /^Submit/ }));
    expect(screen.getByRole('alert')).toHaveTextContent('Answer “More helpful” first.');
    expect(requestsTo('POST', '/submit')).toHaveLength(0);

    const helpful = within(group).getByRole('group', { name: /More helpful/ });
    await user.click(within(helpful).getByRole('radio', { name: 'B better' }));
    await user.selectOptions(within(group).getByRole('combobox', { name: 'Clarity: Response A' }), '6');
    await user.selectOptions(within(group).getByRole('combobox', { name: 'Clarity: Response B' }), '3');
    await user.type(within(group).getByRole('textbox', { name: /Ideal response/ }), 'Boil it for nine minutes.');
    await user.click(screen.getByRole('button', { name: /^Submit/ }));

    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).toMatchObject({
      choice: 'A',
      aspects: { helpful: 'B', clarity: { A: 6, B: 3 }, ideal: 'Boil it for nine minutes.' },
    });
  });

  it('shows no questions and sends no aspects in a campaign without them', async () => {
    const user = userEvent.setup();
    const { requestsTo } = renderLabelPage({ next: nextWith(lease(1), lease(2)), aspects: [] });
    await user.click(await screen.findByRole('button', { name: 'A better' }));
    expect(screen.queryByRole('group', { name: 'Aspects' })).toBeNull();
    await user.click(screen.getByRole('button', { name: /^Submit/ }));
    await waitFor(() => expect(requestsTo('POST', '/submit')).toHaveLength(1));
    expect(requestsTo('POST', '/submit')[0].body).not.toHaveProperty('aspects');
  });
});
