/**
 * Harmful content flags end to end in Chromium (issue 14 item 4): the labeler flags with F and a
 * note, the comparison moves on; the researcher's queue shows it with its content, axe-clean, and
 * resolving it closes it in the database.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser, waitFor } from '../../api/test/support/harness';
import { seedLabelingCampaign } from '../../api/test/support/labeling-fixtures';
import { expectAccessible, LABELER_DIST, launchBrowser, openPage, signInWithKeyboard } from './support/browser';

describe('content flags in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let owner: TestUser;
  let labeler: TestUser;
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
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('flags from the comparison screen and resolves from the researcher queue', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const shown = page.locator('[data-assignment-id]');
    await shown.waitFor({ timeout: 30_000 });
    const assignmentId = await shown.getAttribute('data-assignment-id');
    await page.keyboard.press('f');
    await page.getByRole('dialog', { name: 'Flag harmful content?' }).waitFor();
    await expectAccessible(page, 'the flag dialog');
    await page.keyboard.type('Insults the user');
    await page.keyboard.press('Enter');
    await expect.poll(() => shown.getAttribute('data-assignment-id'), { timeout: 30_000 }).not.toBe(assignmentId);
    const stored = await waitFor(
      async () => {
        const { rows } = await app.db.query('SELECT id, note FROM content_flags WHERE assignment_id = $1', [
          assignmentId,
        ]);
        return rows[0] ?? null;
      },
      15_000,
      'the flag',
    );
    expect(stored.note).toBe('Insults the user');
    expect(await page.getByRole('list', { name: 'This session' }).textContent()).toContain('0 judgments');
    await context.close();

    const researcher = await openPage(browser, app.url);
    await signInWithKeyboard(researcher.page, owner.email, owner.password);
    await researcher.page.goto(`/console/campaigns/${campaignId}/flags`);
    const item = researcher.page.getByRole('article', { name: 'Flag 1' });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.textContent()).toContain('Insults the user');
    await expectAccessible(researcher.page, 'the flagged content queue');
    await item.getByRole('button', { name: 'Resolve' }).click();
    await researcher.page.getByText('No open flags.').waitFor();
    const row = await app.db.query('SELECT resolution, resolved_by FROM content_flags WHERE id = $1', [stored.id]);
    expect(row.rows[0]).toEqual({ resolution: 'resolved', resolved_by: owner.id });
    expect([...watch.errors, ...researcher.watch.errors]).toEqual([]);
    await researcher.context.close();
  });
});
