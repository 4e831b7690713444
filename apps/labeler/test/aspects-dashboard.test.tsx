import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AspectsSection } from '../src/console/campaign/AspectsSection';
import { RESEARCHER, renderWithApp, scriptedFetch } from './render';

const ID = '44444444-4444-4444-8444-444444444444';

const SUMMARY = {
  aspects: [
    { key: 'helpful', label: 'Helpfulness', kind: 'pairwise', answered: 8, pairwise: { A: 4, B: 2, tie: 2 } },
    { key: 'harmless', label: 'Harmlessness', kind: 'pairwise', answered: 0, pairwise: { A: 0, B: 0, tie: 0 } },
    { key: 'clarity', label: 'Clarity', kind: 'rating', answered: 3, rating: { meanA: 5.333333, meanB: 2 } },
    { key: 'ideal', label: 'Ideal response', kind: 'text', answered: 1 },
  ],
};

function tableRows(title: string): string[][] {
  const figure = screen.getByRole('figure', { name: title });
  return within(within(figure).getByRole('table', { hidden: true }))
    .getAllByRole('row', { hidden: true })
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''));
}

beforeEach(() => {
  // recharts warns that every chart is 0×0 (jsdom has no layout): the assertions read the data tables.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('aspects on the dashboard', () => {
  it('charts pairwise shares and rating means with their data tables', async () => {
    const api = scriptedFetch({ [`GET /campaigns/${ID}/aspects`]: () => ({ status: 200, body: SUMMARY }) });
    renderWithApp(<AspectsSection campaignId={ID} live={false} />, { fetch: api.fetch, user: RESEARCHER });
    await screen.findByRole('figure', { name: 'Pairwise aspects' });
    expect(tableRows('Pairwise aspects')).toEqual([
      ['Helpfulness', '8', '4', '2', '2'],
      ['Harmlessness', '0', '0', '0', '0'],
    ]);
    expect(tableRows('Rated aspects')).toEqual([['Clarity', '3', '5.330', '2']]);
    expect(screen.getByText(/Ideal response: 1 written answer/)).toBeInTheDocument();
  });
});
