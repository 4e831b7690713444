/**
 * A ranking campaign end to end in Chromium (issue 14 item 3): created through the API (judgmentMode
 * ranking, rankSize 3) and selected by the real workers; a labeler ranks one task with the keyboard
 * alone; the ranking and its implied pairwise judgments are stored once, and the rankings export
 * has it, best first.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActiveCampaign } from '../../api/test/support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser, waitFor } from '../../api/test/support/harness';
import {
  expectAccessible,
  LABELER_DIST,
  launchBrowser,
  openPage,
  PHONE,
  signInWithKeyboard,
  waitForOpenComparisons,
} from './support/browser';

describe('ranking campaign in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: TestUser;
  let labeler: TestUser;
  let campaignId: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true, env: { LABELER_DIST } });
    browser = await launchBrowser();
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
    const campaign = await createActiveCampaign(app, researcher.token, {
      prompts: 4,
      responsesPerPrompt: 4,
      overrides: {
        name: 'Ranking campaign',
        strategy: 'uniform',
        budget: 10,
        judgmentMode: 'ranking',
        rankSize: 3,
        labelerIds: [labeler.id],
      },
    });
    campaignId = campaign.id;
    await waitForOpenComparisons(app, campaignId, 2);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('ranks one task with the keyboard; stored once with its implied pairs and exported', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const task = page.locator('section.ranking[data-assignment-id]');
    await task.waitFor({ timeout: 30_000 });
    const assignmentId = (await task.getAttribute('data-assignment-id')) as string;
    const list = page.getByRole('list', { name: 'Your ranking, best first' });
    const shown = async () =>
      list
        .locator('[data-response-id]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-response-id') as string));
    const before = await shown();
    expect(before).toHaveLength(3);
    await expectAccessible(page, 'the ranking screen');

    // Place 3 to the top with ↑ and K, then place 2 down with J: [c, a, b] → [c, b, a].
    await page.keyboard.press('3');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('k');
    await page.keyboard.press('2');
    await page.keyboard.press('j');
    const order = [before[2], before[1], before[0]];
    expect(await shown()).toEqual(order);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-assignment-id]').first().getAttribute('data-assignment-id'), { timeout: 30_000 })
      .not.toBe(assignmentId);

    const ranking = await waitFor(
      async () => {
        const { rows } = await app.db.query('SELECT id, "order" FROM rankings WHERE assignment_id = $1', [
          assignmentId,
        ]);
        return rows[0] ?? null;
      },
      15_000,
      'the ranking',
    );
    expect(ranking.order).toEqual(order);
    const counts = await app.db.query(
      `SELECT (SELECT count(*)::int FROM rankings WHERE campaign_id = $1) AS rankings,
              (SELECT count(*)::int FROM ranking_pairs WHERE ranking_id = $2) AS pairs,
              (SELECT count(*)::int FROM labels WHERE assignment_id = $3 AND ranking_id = $2) AS labels,
              (SELECT label_count FROM campaigns WHERE id = $1) AS label_count`,
      [campaignId, ranking.id, assignmentId],
    );
    expect(counts.rows[0]).toEqual({ rankings: 1, pairs: 3, labels: 1, label_count: 1 });
    expect(watch.errors).toEqual([]);
    await context.close();

    const exported = await app.get(`/campaigns/${campaignId}/exports/rankings`, researcher.token);
    expect(exported.status).toBe(200);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0].ranking_id).toBe(ranking.id);
    expect(lines[0].responses.map((r: { id: string }) => r.id)).toEqual(order);
  });

  it('ranks by tapping at phone width: one column, nothing wider than the screen', async () => {
    const { context, page, watch } = await openPage(browser, app.url, PHONE);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const task = page.locator('section.ranking[data-assignment-id]');
    await task.waitFor({ timeout: 30_000 });
    const assignmentId = (await task.getAttribute('data-assignment-id')) as string;
    const rows = page.getByRole('list', { name: 'Your ranking, best first' }).locator('[data-response-id]');
    for (const box of await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))) {
      expect(box).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const before = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-response-id') as string));
    await page.getByRole('button', { name: 'Move Response 2 up' }).click();
    await page.getByRole('button', { name: /Submit ranking/ }).click();
    const stored = await waitFor(
      async () => {
        const { rows: r } = await app.db.query('SELECT "order" FROM rankings WHERE assignment_id = $1', [assignmentId]);
        return r[0] ?? null;
      },
      15_000,
      'the tapped ranking',
    );
    expect(stored.order).toEqual([before[1], before[0], before[2]]);
    await expectAccessible(page, 'the ranking screen at phone width');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
