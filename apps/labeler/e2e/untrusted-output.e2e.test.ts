/**
 * Responses are untrusted model output: in real Chromium, a response holding <script> and
 * <img onerror=…> renders as inert text, no script runs, and nothing is fetched from elsewhere.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJsonl } from '../../api/test/support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../api/test/support/harness';
import {
  LABELER_DIST,
  launchBrowser,
  openPage,
  screenshot,
  signInWithKeyboard,
  waitForOpenComparisons,
} from './support/browser';

const SCRIPT_TAG = '<script>window.__pwned = "script"</script>';
const IMG_TAG = '<img src="http://attacker.example/x.png" onerror="window.__pwned = \'img\'">';
const MARKDOWN_IMAGE = '![tracking pixel](http://attacker.example/pixel.gif)';
const JS_LINK = '[click me](javascript:window.__pwned="link")';

describe('untrusted responses in Chromium', () => {
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
    const created = await app.post(
      '/campaigns',
      { name: 'Hostile output', strategy: 'uniform', budget: 5, labelerIds: [labeler.id] },
      researcher.token,
    );
    campaignId = created.body.id;
    const line = {
      id: 'hostile',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: `Render this: ${SCRIPT_TAG}` },
      ],
      responses: [
        { text: `Sure! ${SCRIPT_TAG} and ${IMG_TAG}\n\n${MARKDOWN_IMAGE}\n\n${JS_LINK}`, model: 'evil-model' },
        { text: 'I will not render HTML.\n\n```html\n<script>alert(1)</script>\n```', model: 'good-model' },
      ],
    };
    await importJsonl(app, researcher.token, campaignId, JSON.stringify(line) + '\n');
    expect((await app.post(`/campaigns/${campaignId}/start`, {}, researcher.token)).status).toBe(200);
    await waitForOpenComparisons(app, campaignId, 1);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders <script> and <img onerror> as inert text and loads nothing remote', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, labeler.email, labeler.password);
    await page.goto(`/label/${campaignId}`);
    const comparison = page.locator('[data-assignment-id]');
    await comparison.waitFor({ timeout: 30_000 });

    // The tags are visible as text, in the prompt and in the response.
    await expect.poll(() => comparison.getByText(SCRIPT_TAG, { exact: false }).count()).toBeGreaterThanOrEqual(2);
    expect(await comparison.getByText(IMG_TAG, { exact: false }).count()).toBeGreaterThanOrEqual(1);
    expect(await comparison.getByText('[image: tracking pixel]', { exact: false }).count()).toBe(1);

    // …and nothing became an element or ran.
    expect(await comparison.locator('script, img, iframe, object, embed').count()).toBe(0);
    expect(await comparison.locator('[onerror], [onload], [onclick]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const link = comparison.getByText('click me');
    expect(await link.getAttribute('href')).toBeNull();
    await link.click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

    // The source model is never shown.
    expect(await page.getByText(/evil-model|good-model/).count()).toBe(0);
    await screenshot(page, 'untrusted-output');
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
