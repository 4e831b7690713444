/** The console's flagged-content queue: open flags with their content and note, resolve or dismiss, closed ones apart. */
import type { ContentFlagView } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FlagsPage } from '../src/console/flags/FlagsPage';
import { renderWithApp, RESEARCHER, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const BASE = `/campaigns/${CAMPAIGN}/flags`;

const flag = (n: number, extra: Partial<ContentFlagView> = {}): ContentFlagView => ({
  id: `ffffffff-0000-4000-8000-00000000000${n}`,
  comparisonId: `cccccccc-0000-4000-8000-00000000000${n}`,
  labeler: { id: 'l1', name: 'Lee Labeler', email: 'lee@example.com' },
  note: n === 1 ? 'Gives dangerous instructions' : null,
  createdAt: '2026-12-07T09:00:00.000Z',
  resolvedAt: null,
  resolution: null,
  prompt: { text: null, messages: [{ role: 'user', content: `Question ${n}?` }] },
  first: { id: `rrrrrrrr-0000-4000-8000-00000000001${n}`, text: `First answer ${n}` },
  second: { id: `rrrrrrrr-0000-4000-8000-00000000002${n}`, text: `Second answer **${n}**` },
  ...extra,
});

function renderPage() {
  let open = [flag(1), flag(2)];
  const closed: ContentFlagView[] = [];
  const api = scriptedFetch({
    [`GET ${BASE}`]: (request) => ({
      status: 200,
      body: request.path.includes('status=closed')
        ? { flags: closed, openCount: open.length }
        : { flags: open, openCount: open.length },
    }),
    [`POST ${BASE}/*`]: (request) => {
      const id = request.path.split('/')[4];
      const { resolution } = request.body as { resolution: 'resolved' | 'dismissed' };
      const found = open.find((f) => f.id === id)!;
      open = open.filter((f) => f.id !== id);
      closed.push({ ...found, resolution, resolvedAt: '2026-12-07T10:00:00.000Z' });
      return { status: 204 };
    },
  });
  renderWithApp(<FlagsPage />, {
    user: RESEARCHER,
    fetch: api.fetch,
    path: `/console/campaigns/${CAMPAIGN}/flags`,
    route: '/console/campaigns/:campaignId/flags',
  });
  return api;
}

describe('flagged content queue', () => {
  it('lists open flags with the prompt, both responses and the note, and closes them', async () => {
    const user = userEvent.setup();
    const api = renderPage();
    const first = await screen.findByRole('article', { name: 'Flag 1' });
    expect(within(first).getByText('Gives dangerous instructions')).toBeInTheDocument();
    expect(first).toHaveTextContent('Question 1?');
    expect(within(first).getByRole('region', { name: 'Flag 1, response 1' })).toHaveTextContent('First answer 1');
    expect(within(first).getByRole('region', { name: 'Flag 1, response 2' }).querySelector('strong')).toHaveTextContent(
      '1',
    );
    expect(screen.getByRole('article', { name: 'Flag 2' })).toHaveTextContent('Note: none');
    expect(screen.getByRole('button', { name: 'Open (2)' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(within(first).getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1));
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe(`${BASE}/${flag(1).id}/resolve`);
    expect(post.body).toEqual({ resolution: 'resolved' });
    await user.click(within(screen.getByRole('article', { name: 'Flag 1' })).getByRole('button', { name: 'Dismiss' }));
    expect(await screen.findByText('No open flags.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Closed' }));
    const closed = await screen.findAllByRole('article');
    expect(closed.map((a) => a.textContent)).toEqual([
      expect.stringContaining('Resolved'),
      expect.stringContaining('Dismissed'),
    ]);
    expect(within(closed[0]).queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();
  });
});
