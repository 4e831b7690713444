/**
 * Changed guidelines in Chromium (issue 14 item 5): after the guidelines of a running campaign
 * change, the labeler sees them instead of a comparison, axe-clean in light and dark mode, and
 * gets work once they confirm; the acknowledgement is stored.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import { seedLabelingCampaign } from '../../api/test/support/labeling-fixtures';
import { expectAccessible, LABELER_DIST, launchBrowser, openPage, signInWithKeyboard } from './support/browser';

describe('guidelines acknowledgement in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let labeler: TestUser;
  let campaignId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { LABELER_DIST } });
    browser = await launchBrowser();
    const owner = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
    ({ campaignId } = await seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: [labeler.id], comparisons: 4 }));
    // A change while the campaign runs raises the version to 2.
    await app.db.query(`UPDATE campaigns SET guidelines = $2 WHERE id = $1`, [
      campaignId,
      '## Updated\nPrefer answers that **cite** a source.',
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the changed guidelines until the labeler confirms them', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    await page.getByRole('heading', { name: 'The guidelines have changed' }).waitFor({ timeout: 30_000 });
    // The heading shows at once; the guidelines themselves arrive with their own request.
    await page.getByText('Version 2').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Version 2').count()).toBe(1);
    expect(await page.locator('[data-assignment-id]').count()).toBe(0);
    await expectAccessible(page, 'the changed guidelines');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'the changed guidelines in dark mode');

    await page.getByRole('button', { name: 'I have read these' }).click();
    await page.locator('[data-assignment-id]').waitFor({ timeout: 30_000 });
    const { rows } = await app.db.query(
      'SELECT guidelines_ack_version AS v FROM campaign_labelers WHERE campaign_id = $1 AND user_id = $2',
      [campaignId, labeler.id],
    );
    expect(rows[0].v).toBe(2);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
