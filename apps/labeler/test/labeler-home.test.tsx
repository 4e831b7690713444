import type { CampaignView, LabelerCampaignView, LabelerProgress } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LabelerHomePage } from '../src/pages/LabelerHomePage';
import { LABELER, RESEARCHER, renderWithApp, scriptedFetch } from './render';

const mine = (
  id: string,
  name: string,
  status: LabelerCampaignView['status'],
  remaining: number,
): LabelerCampaignView => ({
  id,
  name,
  guidelines: '',
  status,
  progress: { labelCount: 30, budget: 100, remaining, done: 7 },
});

function renderHome(campaigns: unknown[], user = LABELER) {
  const api = scriptedFetch({ 'GET /campaigns': () => ({ status: 200, body: campaigns }) });
  renderWithApp(<LabelerHomePage />, { fetch: api.fetch, user, path: '/label' });
  return api;
}

const card = (name: string) => screen.getByRole('heading', { name }).closest('li')!;

describe('labeler home', () => {
  it("lists a labeler's campaigns with their remaining work; only active ones link to the comparison screen", async () => {
    renderHome([
      mine('c-paused', 'Paused poems', 'paused', 12),
      mine('c-active', 'Egg answers', 'active', 40),
      mine('c-done', 'Finished facts', 'completed', 0),
      mine('c-draft', 'Draft drafts', 'draft', 5),
    ]);
    expect(await screen.findByRole('heading', { name: 'Egg answers' })).toBeInTheDocument();
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['Egg answers', 'Paused poems', 'Finished facts']); // active first; drafts hidden

    const active = card('Egg answers');
    expect(active).toHaveTextContent('Remaining for you: 40');
    expect(active).toHaveTextContent('Your judgments: 7');
    expect(active).toHaveTextContent('active');
    expect(within(active).getByRole('link', { name: /^Start labeling/ })).toHaveAttribute('href', '/label/c-active');

    const paused = card('Paused poems');
    expect(paused).toHaveTextContent('paused');
    expect(paused).toHaveTextContent('Remaining for you: 12');
    expect(within(paused).queryByRole('link')).not.toBeInTheDocument();
    expect(within(card('Finished facts')).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: /^Start labeling/ })).toHaveLength(1);
  });

  it('lets a researcher start labeling their own active campaigns', async () => {
    const view = (id: string, name: string, status: CampaignView['status']) =>
      ({
        id,
        name,
        status,
        labelCount: 5,
        budget: 50,
        guidelines: '',
        ownerId: RESEARCHER.id,
      }) as unknown as CampaignView;
    renderHome([view('r1', 'Mine, active', 'active'), view('r2', 'Mine, draft', 'draft')], RESEARCHER);
    const active = card(await screen.findByRole('heading', { name: 'Mine, active' }).then((h) => h.textContent!));
    expect(active).toHaveTextContent('Judgments: 5 of 50');
    expect(within(active).getByRole('link', { name: 'Start labeling Mine, active' })).toHaveAttribute(
      'href',
      '/label/r1',
    );
    expect(screen.queryByRole('heading', { name: 'Mine, draft' })).not.toBeInTheDocument();
  });

  it("shows the counts of the progress endpoint (the comparison page's), held comparisons included, and why nothing is left", async () => {
    const progress = (id: string, extra: Partial<LabelerProgress>): LabelerProgress => ({
      campaignId: id,
      doneToday: 2,
      doneTotal: 16,
      skippedTotal: 1,
      remaining: 0,
      leased: 0,
      waitReason: null,
      budget: { used: 30, total: 100 },
      ...extra,
    });
    const answers: Record<string, LabelerProgress> = {
      '/campaigns/c-held/progress': progress('c-held', { leased: 1, waitReason: 'others_leased' }),
      '/campaigns/c-others/progress': progress('c-others', { waitReason: 'others_judging' }),
    };
    const api = scriptedFetch({
      'GET /campaigns': () => ({
        status: 200,
        // The list's own copies (a stale first paint) differ: the progress counts win.
        body: [mine('c-held', 'Held one', 'active', 0), mine('c-others', 'Others judging', 'active', 0)],
      }),
      'GET /campaigns/*': (request) => ({ status: 200, body: answers[request.path] }),
    });
    renderWithApp(<LabelerHomePage />, { fetch: api.fetch, user: LABELER, path: '/label' });

    const held = card(await screen.findByRole('heading', { name: 'Held one' }).then((h) => h.textContent!));
    await waitFor(() => expect(held).toHaveTextContent('Your judgments: 16 (and 1 skipped)'));
    expect(held).toHaveTextContent('Remaining for you: 0 (and 1 held for you)');
    expect(held).toHaveTextContent('1 comparison held for you: Start labeling continues with them.');
    expect(held).not.toHaveTextContent(/nothing/i);

    const others = card('Others judging');
    await waitFor(() => expect(others).toHaveTextContent(/You have judged every open comparison/));
    expect(others).toHaveTextContent(/waiting for other labelers/);
    expect(document.body).not.toHaveTextContent(/retrain/i);
  });

  it('says so when there is nothing to label', async () => {
    renderHome([]);
    expect(await screen.findByText(/You have no campaigns to label yet/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Start labeling/ })).not.toBeInTheDocument();
  });
});
