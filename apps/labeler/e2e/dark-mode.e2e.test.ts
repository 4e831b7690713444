/**
 * Dark mode and the reading aids in real Chromium (issue 14, item 6): with the system set to dark the
 * pages are drawn dark and axe still finds no serious or critical violation (contrast included), on
 * the sign-in page, the labeler's home and the comparison page with the word differences shown;
 * synced scrolling moves B with A side by side.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import { seedLabelingCampaign } from '../../api/test/support/labeling-fixtures';
import { expectAccessible, LABELER_DIST, launchBrowser, openPage, signInWithKeyboard } from './support/browser';

const RESPONSE_A = `The cheapest plan is **Basic**.\n\n${'It costs less over two years than Plus. '.repeat(120)}`;
const RESPONSE_B = `The cheapest plan is Plus.\n\n${'It costs less over two years than Basic, says the table. '.repeat(120)}`;

/** The page background as the browser computed it, as [r, g, b]. */
const background = (page: Page) =>
  page.evaluate(() =>
    (getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g) ?? []).slice(0, 3).map(Number),
  );

describe('dark mode in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let labeler: TestUser;
  let owner: TestUser;
  let campaignId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { LABELER_DIST } });
    browser = await launchBrowser();
    owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
    ({ campaignId } = await seedLabelingCampaign(app, {
      ownerId: owner.id,
      labelerIds: [labeler.id],
      comparisons: 4,
      prompts: 2,
      responsesPerPrompt: 4,
    }));
    await app.db.query(
      `UPDATE responses SET text = CASE WHEN ordinal % 2 = 0 THEN $2 ELSE $3 END WHERE campaign_id = $1`,
      [campaignId, RESPONSE_A, RESPONSE_B],
    );
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('follows the system setting and stays accessible with the word differences and synced scrolling on', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    const [lr, lg, lb] = await background(page);
    expect(lr + lg + lb).toBeGreaterThan(600);

    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background(page);
    expect(dark[0] + dark[1] + dark[2], 'a dark page background').toBeLessThan(150);
    await expectAccessible(page, 'the sign-in page in dark mode');

    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page
      .getByText(/Your judgments:/)
      .first()
      .waitFor();
    await expectAccessible(page, 'the labeler home page in dark mode');

    await page.goto(`/label/${campaignId}`);
    await page.locator('[data-assignment-id]').waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'the comparison page in dark mode');

    await page.getByRole('button', { name: 'Show word differences' }).click();
    await page.locator('ins.diff-b').first().waitFor();
    expect(await page.locator('del.diff-a, ins.diff-b').count()).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Scroll A and B together' }).click();
    await expectAccessible(page, 'the comparison page in dark mode with differences and synced scrolling');

    const a = page.getByRole('region', { name: 'Response A', exact: true });
    const b = page.getByRole('region', { name: 'Response B', exact: true });
    await a.evaluate((panel) => {
      panel.scrollTop = (panel.scrollHeight - panel.clientHeight) / 2;
    });
    await expect
      .poll(() => b.evaluate((panel) => panel.scrollTop / (panel.scrollHeight - panel.clientHeight)))
      .toBeGreaterThan(0.4);

    // The choices last: a reload shows the differences and synced panels again.
    await page.reload();
    await page.locator('[data-assignment-id]').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Show word differences' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Scroll A and B together' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('keeps the console pages axe-clean in dark mode', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await page.emulateMedia({ colorScheme: 'dark' });
    await signInWithKeyboard(page, owner.email, owner.password);
    for (const [path, what] of [
      ['/console', 'the console home'],
      [`/console/campaigns/${campaignId}`, 'the campaign dashboard'],
      [`/console/campaigns/${campaignId}/crowd`, 'the crowd page'],
      [`/console/campaigns/${campaignId}/flags`, 'the flagged content page'],
      ['/console/campaigns/new', 'the new-campaign form'],
    ]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await expectAccessible(page, `${what} in dark mode`);
    }
    expect(watch.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    await context.close();
  });
});
