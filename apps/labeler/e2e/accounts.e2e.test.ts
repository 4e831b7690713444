/**
 * Account administration on the People page in Chromium (issue 14 item 5): an admin invites two
 * people from a CSV (dry run, then creation with passwords shown once), resets a password and
 * deactivates an account; the page stays axe-clean with the results on it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import { expectAccessible, LABELER_DIST, launchBrowser, openPage, signInWithKeyboard } from './support/browser';

describe('account administration in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let admin: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { LABELER_DIST } });
    browser = await launchBrowser();
    admin = await app.createUser('admin');
    labeler = await app.createUser('labeler', 'lena');
    await app.db.query("UPDATE users SET name = 'Lena Labeler' WHERE id = $1", [labeler.id]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('invites from a CSV, resets a password and deactivates an account', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    page.on('dialog', (dialog) => void dialog.accept());
    await signInWithKeyboard(page, admin.email, admin.password);
    await page.goto('/console/people');
    await page.getByRole('table', { name: 'Accounts' }).waitFor();

    const csv = 'email,role,name\nomar@invite.test,labeler,Omar\npia@invite.test,researcher\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Create 2 accounts' }).click();
    const created = page.getByRole('alert').filter({ hasText: 'Created 2 accounts' });
    await created.waitFor();
    const omarPassword = (
      await created
        .getByRole('row', { name: /omar@invite.test/ })
        .locator('code')
        .innerText()
    ).trim();
    expect((await app.post('/auth/login', { email: 'omar@invite.test', password: omarPassword })).status).toBe(200);
    await expectAccessible(page, 'the people page with invited accounts');

    await page.getByRole('button', { name: 'Reset password of Lena Labeler' }).click();
    const reset = page.getByRole('alert').filter({ hasText: 'New password for Lena Labeler' });
    await reset.waitFor();
    const newPassword = (await reset.locator('code').innerText()).trim();
    expect((await app.post('/auth/login', { email: labeler.email, password: labeler.password })).status).toBe(401);
    expect((await app.post('/auth/login', { email: labeler.email, password: newPassword })).status).toBe(200);

    await page.getByRole('button', { name: 'Deactivate Lena Labeler' }).click();
    await page.getByRole('button', { name: 'Reactivate Lena Labeler' }).waitFor();
    expect((await app.post('/auth/login', { email: labeler.email, password: newPassword })).status).toBe(401);
    await expectAccessible(page, 'the people page with a deactivated account');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
