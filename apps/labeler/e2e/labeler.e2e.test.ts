/**
 * A labeler signs in and completes 10 comparisons with the keyboard alone, in real Chromium against
 * the real API, database and workers; each judgment lands exactly once in the database. At phone width
 * one response shows at a time; a judgment made offline waits in the outbox and lands once when the network returns.
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
  screenshot,
  signInWithKeyboard,
  tabTo,
  waitForOpenComparisons,
} from './support/browser';

const LABELS = 10;
/** The keys pressed per comparison: a choice, sometimes a strength, then Enter. */
const SCRIPT: { keys: string[]; choice: 'A' | 'B' | 'tie' | 'both_bad'; strength: number | null }[] = [
  { keys: ['a'], choice: 'A', strength: null },
  { keys: ['b', '2'], choice: 'B', strength: 2 },
  { keys: ['t'], choice: 'tie', strength: null },
  { keys: ['ArrowLeft', '3'], choice: 'A', strength: 3 },
  { keys: ['x'], choice: 'both_bad', strength: null },
  { keys: ['ArrowRight'], choice: 'B', strength: null },
  { keys: ['a', '1'], choice: 'A', strength: 1 },
  { keys: ['b'], choice: 'B', strength: null },
  { keys: ['t'], choice: 'tie', strength: null },
  { keys: ['a'], choice: 'A', strength: null },
];

describe('labeler app in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: TestUser;
  let labeler: TestUser;
  let campaignId: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true, env: { LABELER_DIST } });
    browser = await launchBrowser();
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler', 'keyboard-labeler');
    const campaign = await createActiveCampaign(app, researcher.token, {
      prompts: 12,
      responsesPerPrompt: 4,
      overrides: {
        name: 'Keyboard campaign',
        strategy: 'uniform',
        budget: 40,
        guidelines: '**Prefer** the answer that is *correct* first, then helpful.',
        labelerIds: [labeler.id],
      },
    });
    campaignId = campaign.id;
    // The workers featurize and select before anyone can label.
    await waitForOpenComparisons(app, campaignId, 12);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('completes 10 comparisons with the keyboard alone; each is stored exactly once', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.waitForURL('**/label');
    await expectAccessible(page, 'the labeler home page');
    await screenshot(page, 'labeler-home');

    // Into the campaign by keyboard: Tab to its link, Enter.
    await tabTo(page, /start labeling/i);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/label/${campaignId}`);

    const shown: { assignmentId: string; choice: string; strength: number | null }[] = [];
    for (let i = 0; i < LABELS; i++) {
      const comparison = page.locator('[data-assignment-id]');
      await comparison.waitFor();
      const assignmentId = await comparison.getAttribute('data-assignment-id');
      expect(assignmentId).toBeTruthy();
      expect(shown.map((s) => s.assignmentId)).not.toContain(assignmentId);
      if (i === 0) {
        await expectAccessible(page, 'the comparison screen');
        await screenshot(page, 'comparison-desktop');
      }
      const step = SCRIPT[i];
      for (const key of step.keys) await page.keyboard.press(key);
      await page.keyboard.press('Enter');
      shown.push({ assignmentId: assignmentId!, choice: step.choice, strength: step.strength });
      // The next comparison replaces this one (prefetched) before we go on.
      await page.waitForFunction(
        (previous) => document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id') !== previous,
        assignmentId,
      );
    }

    // Every judgment reached the database once, with what was pressed.
    const rows = await waitFor(
      async () => {
        const result = await app.db.query(
          'SELECT assignment_id, choice, strength, labeler_id, time_taken_ms FROM labels WHERE campaign_id = $1',
          [campaignId],
        );
        return result.rows.length >= LABELS ? result.rows : null;
      },
      30_000,
      '10 labels in the database',
    );
    expect(rows).toHaveLength(LABELS);
    const byAssignment = new Map(rows.map((r) => [r.assignment_id as string, r]));
    expect(byAssignment.size).toBe(LABELS);
    for (const s of shown) {
      const row = byAssignment.get(s.assignmentId);
      expect(row, `label of assignment ${s.assignmentId}`).toBeDefined();
      expect(row.choice).toBe(s.choice);
      expect(row.strength).toBe(s.strength);
      expect(row.labeler_id).toBe(labeler.id);
      expect(row.time_taken_ms).toBeGreaterThanOrEqual(0);
    }
    await expect.poll(() => page.getByText(/Done today:\s*10\b/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, 'comparison-after-10');
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await context.close();
  });

  it('is usable at phone width: one response at a time and the judgment controls stay reachable', async () => {
    const { context, page, watch } = await openPage(browser, app.url, PHONE);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const left = page.getByRole('region', { name: 'Response A', exact: true });
    const right = page.getByRole('region', { name: 'Response B', exact: true });
    await left.waitFor({ timeout: 30_000 });
    const a = await left.boundingBox();
    expect(a!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await right.isVisible()).toBe(false); // B is one tap (or swipe) away
    await page.getByRole('button', { name: 'Response B', exact: true }).click();
    expect(await right.isVisible()).toBe(true);
    expect((await right.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await expect.poll(() => page.getByRole('button', { name: 'A better', exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'comparison-phone');
    await expectAccessible(page, 'the comparison screen at phone width');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
  it('keeps a judgment made offline in the outbox, says so, and stores it once when the network returns', async () => {
    const { context, page } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const comparison = page.locator('[data-assignment-id]');
    await comparison.waitFor({ timeout: 30_000 });
    // Let the prefetch arrive, so the next comparison can show without the network.
    await page.waitForTimeout(1_000);
    const assignmentId = (await comparison.getAttribute('data-assignment-id'))!;

    await context.setOffline(true);
    await page.keyboard.press('b');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (previous) => document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id') !== previous,
      assignmentId,
    );
    // Retried (1 s, 2 s, 4 s), then reported, never dropped.
    const unsaved = page.getByRole('alert').filter({ hasText: /1 judgment not saved yet/ });
    await unsaved.waitFor({ timeout: 20_000 });
    // The prefetched comparison stays on screen: the labeler can go on judging offline.
    expect(await page.getByRole('button', { name: 'A better', exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'outbox-offline');
    const stored = () =>
      app.db.query('SELECT choice FROM labels WHERE assignment_id = $1', [assignmentId]).then((r) => r.rows);
    expect(await stored()).toEqual([]);

    await context.setOffline(false);
    await expect.poll(stored, { timeout: 20_000 }).toEqual([{ choice: 'B' }]);
    await expect.poll(() => unsaved.count(), { timeout: 10_000 }).toBe(0);
    await context.close();
  });
});
