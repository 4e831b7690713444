/**
 * The data browser in Chromium (issue 14 item 1): a researcher opens a seeded campaign's Data page,
 * filters by labeler, agreement and a full-text search (each view shareable by its URL), opens a
 * row's comparison as its labeler saw it, and both pages are axe-clean.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import { type SeededCampaign, seedCampaign, seedJudgments } from '../../api/test/support/readside-fixtures';
import { expectAccessible, LABELER_DIST, launchBrowser, openPage, signInWithKeyboard } from './support/browser';

describe('data browser in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let owner: TestUser;
  let lee: TestUser;
  let kim: TestUser;
  let campaign: SeededCampaign;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({ env: { LABELER_DIST } });
    browser = await launchBrowser();
    owner = await app.createUser('researcher');
    lee = await app.createUser('labeler', 'lee');
    kim = await app.createUser('labeler', 'kim');
    campaign = await seedCampaign(app, owner, { prompts: 3, responses: 2, labelers: [lee, kim] });
    await app.db.query(`UPDATE prompts SET text = 'Tell me about giraffes' WHERE id = $1`, [campaign.prompts[2].id]);
    await app.db.query(`UPDATE responses SET text = 'Giraffes are **tall**.' WHERE id = $1`, [
      campaign.prompts[2].responseIds[1],
    ]);
    const seeded = await seedJudgments(app, campaign, [
      { key: 'split', prompt: 0, first: 0, second: 1, labeler: lee, choice: 'A' },
      { key: 'split', prompt: 0, first: 0, second: 1, labeler: kim, choice: 'B' },
      { key: 'unanimous', prompt: 1, first: 0, second: 1, labeler: lee, choice: 'A' },
      { key: 'unanimous', prompt: 1, first: 0, second: 1, labeler: kim, choice: 'A' },
      { key: 'giraffes', prompt: 2, first: 0, second: 1, labeler: kim, choice: 'B', firstOnLeft: false },
    ]);
    ['split', 'unanimous', 'giraffes'].forEach((name, i) => (c[name] = seeded.comparisonIds[i]));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('filters by labeler, agreement and search, and opens a comparison as its labeler saw it', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, owner.email, owner.password);
    await page.goto(`/console/campaigns/${campaign.id}`);
    await page.getByRole('link', { name: 'Data: comparisons and labels' }).click();
    await page.waitForURL(`**/console/campaigns/${campaign.id}/data`);
    const table = page.getByRole('table', { name: 'Comparisons and their labels' });
    await table.waitFor();
    const shown = () =>
      table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-comparison-id')).sort());
    const named = (...names: string[]) => names.map((n) => c[n]).sort();
    const apply = async () => {
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /comparison/ })
        .waitFor();
    };
    expect(await shown()).toEqual(named('split', 'unanimous', 'giraffes'));
    await expectAccessible(page, 'the data page');

    // Lee judged two comparisons.
    await page.getByLabel('Labeler').selectOption({ label: 'lee (2)' });
    await apply();
    await expect.poll(shown).toEqual(named('split', 'unanimous'));
    expect(new URL(page.url()).searchParams.get('labeler')).toBe(lee.id);

    // ...and of those, one is a split decision.
    await page.getByLabel('Agreement').selectOption('split');
    await apply();
    await expect.poll(shown).toEqual(named('split'));

    // The view is in the URL: opening it afresh shows the same rows.
    await page.goto(page.url());
    await table.waitFor();
    expect(await shown()).toEqual(named('split'));
    await expect.poll(() => page.getByLabel('Agreement').inputValue()).toBe('split');

    // Search hits the prompt and the response text; the other filters cleared.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(shown).toEqual(named('split', 'unanimous', 'giraffes'));
    await page.getByLabel('Search prompts and responses').fill('giraffes');
    await apply();
    await expect.poll(shown).toEqual(named('giraffes'));
    await page.getByLabel('Search prompts and responses').fill('nothing-like-this');
    await apply();
    await page.getByText('No comparison matches these filters.').waitFor();

    // Kim saw the giraffes comparison with its second response on the left.
    await page.getByLabel('Search prompts and responses').fill('tall');
    await apply();
    await expect.poll(shown).toEqual(named('giraffes'));
    await table.getByRole('link', { name: /^kim.*as they saw it$/ }).click();
    await page.waitForURL(`**/comparisons/${c.giraffes}?label=*`);
    const left = page.getByRole('region', { name: 'Response A' });
    await left.waitFor();
    await expect.poll(() => left.textContent()).toContain('Giraffes are tall.');
    expect(await left.locator('strong').textContent()).toBe('tall');
    await page.getByText(/As kim saw it: they answered B/).waitFor();
    await expectAccessible(page, 'the comparison view');

    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await context.close();
  });
});
