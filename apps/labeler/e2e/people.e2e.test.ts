/**
 * An admin onboards a labeler on the People page in real Chromium; the new account signs in and
 * lands on its (empty) campaign list. Researchers have no People page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import {
  expectAccessible,
  LABELER_DIST,
  launchBrowser,
  openPage,
  screenshot,
  signInWithKeyboard,
} from './support/browser';

describe('people page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let admin: TestUser;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { LABELER_DIST } });
    browser = await launchBrowser();
    admin = await app.createUser('admin');
    researcher = await app.createUser('researcher');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('an admin adds a labeler with a generated password, who can then sign in', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, admin.email, admin.password);
    await page.getByRole('link', { name: 'People' }).click();
    await page.waitForURL('**/console/people');
    await page.getByLabel('Name', { exact: true }).fill('Nia Newcomer');
    await page.getByLabel('Email', { exact: true }).fill('nia@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('labeler');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('button', { name: 'Add person' }).click();
    const success = page.getByRole('alert').filter({ hasText: 'Added Nia Newcomer' });
    await success.waitFor();
    const password = /Password: (\S+) —/.exec(await success.innerText())?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(16);
    await expect.poll(() => page.getByRole('table', { name: 'Accounts' }).getByText('nia@example.com').count()).toBe(1);
    const stored = await app.db.query("SELECT role FROM users WHERE email = 'nia@example.com'");
    expect(stored.rows).toEqual([{ role: 'labeler' }]);
    await expectAccessible(page, 'the people page');
    await screenshot(page, 'people');
    expect(watch.errors).toEqual([]);
    await context.close();

    const newcomer = await openPage(browser, app.url);
    await signInWithKeyboard(newcomer.page, 'nia@example.com', password!);
    await newcomer.page.waitForURL('**/label');
    expect(await newcomer.page.getByRole('link', { name: 'People' }).count()).toBe(0);
    await newcomer.context.close();
  });

  it('is not offered to researchers, and its address sends them home', async () => {
    const { context, page } = await openPage(browser, app.url);
    await signInWithKeyboard(page, researcher.email, researcher.password);
    expect(await page.getByRole('link', { name: 'People' }).count()).toBe(0);
    await page.goto('/console/people');
    await page.waitForURL('**/console');
    await context.close();
  });
});
