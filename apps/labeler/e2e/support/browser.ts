/**
 * Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the real
 * API, database and workers that the API tests' harness boots, serving the built labeler app.
 * Screenshots go to test-results/screenshots/ (one file per named step).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type TestApp, waitFor } from '../../../api/test/support/harness';
import { launchChromium } from '../../../../test/support/chromium';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const LABELER_DIST = path.join(ROOT, 'apps/labeler/dist');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function assertPrerequisites(): void {
  if (!existsSync(path.join(LABELER_DIST, 'index.html'))) {
    throw new Error(
      `${LABELER_DIST}/index.html is missing: run \`npm run build\` (npm test does) before the e2e tests`,
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  assertPrerequisites();
  return launchChromium();
}

export interface PageWatch {
  /** Uncaught page errors and console errors (a clean page has none). */
  readonly errors: string[];
  /** Every request to a host other than the app's. */
  readonly foreignRequests: string[];
}

/** A page on a new context at `baseURL`, recording errors and any request leaving the app's origin. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ baseURL, viewport, acceptDownloads: true });
  const page = await context.newPage();
  const watch: PageWatch = { errors: [], foreignRequests: [] };
  const origin = new URL(baseURL).origin;
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
      watch.foreignRequests.push(url);
  });
  return { context, page, watch };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the form with the keyboard only. */
export async function signInWithKeyboard(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Presses Tab until the focused element's accessible text matches `name` (keyboard-only navigation). */
export async function tabTo(page: Page, name: RegExp, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.getAttribute('aria-label') ?? ''} ${el.innerText ?? ''}`.trim() : '';
    });
    if (name.test(text)) return;
  }
  throw new Error(`Tab never reached an element named ${name}`);
}

/** axe-core's WCAG 2 A/AA rules on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  expect(serious, `accessibility violations on ${what}`).toEqual([]);
}

/**
 * Nothing on the page reaches past the right edge of the screen, apart from content inside a box
 * that scrolls sideways on its own (a clipped root would hide such overflow from scrollWidth alone).
 */
export async function expectFitsWidth(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .filter((el) => !el.parentElement?.closest('.table-scroll, .md-table-scroll, pre, .visually-hidden'))
      .filter((el) => getComputedStyle(el).visibility !== 'hidden')
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${String(el.className)} (${Math.round(el.getBoundingClientRect().right)} px)`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8) };
  });
  expect(overflow.wide, `elements wider than the screen on ${what}`).toEqual([]);
  expect(overflow.scrollWidth, `page width of ${what}`).toBeLessThanOrEqual(overflow.width);
}

/** Waits until the workers have featurized the campaign and selected at least `count` open comparisons. */
export async function waitForOpenComparisons(app: TestApp, campaignId: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await app.db.query(
        "SELECT count(*)::int AS open FROM comparisons WHERE campaign_id = $1 AND state = 'open'",
        [campaignId],
      );
      return rows[0].open >= count;
    },
    60_000,
    `${count} open comparisons`,
  );
}
