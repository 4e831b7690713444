/**
 * A researcher creates a campaign from a file in real Chromium: the bad line is reported, the fixed
 * file imports, the campaign launches, labels arrive, an export downloads and parses, the policy view
 * ranks the prompts; and a regret simulation runs to its chart.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl, jsonlLine } from '../../api/test/support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser, waitFor } from '../../api/test/support/harness';
import {
  DESKTOP,
  expectAccessible,
  expectFitsWidth,
  LABELER_DIST,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  signInWithKeyboard,
} from './support/browser';

describe('researcher console in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true, env: { LABELER_DIST } });
    browser = await launchBrowser();
    researcher = await app.createUser('researcher', 'rita');
    labeler = await app.createUser('labeler', 'assigned-labeler');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a campaign from a file, sees the bad line, fixes it, launches it and downloads an export', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, researcher.email, researcher.password);
    await page.waitForURL('**/console');
    await page.getByRole('link', { name: /new campaign/i }).click();
    await page.waitForURL('**/console/campaigns/new');
    await expectAccessible(page, 'the new-campaign form');

    await page.getByLabel('Name', { exact: true }).fill('Browser-made campaign');
    await page.getByLabel(/^Strategy/).selectOption('uniform');
    await page.getByLabel(/^Budget/).fill('6');
    await page.getByLabel(/^Redundancy/).fill('1');
    await page.getByLabel(/^Retrain every/).fill('3');
    await page.getByLabel(/^assigned-labeler \(/).check();
    await screenshot(page, 'create-campaign-form');
    await page.getByRole('button', { name: 'Create draft' }).click();

    // A file whose second line has no responses: the dry run reports line 2 and nothing is imported.
    const good = jsonl(5, 3).trim().split('\n');
    const broken = [good[0], JSON.stringify({ ...jsonlLine(1, 3), responses: [] }), ...good.slice(2)].join('\n') + '\n';
    const fileInput = page.getByLabel('Prompts file (JSONL)');
    await fileInput.setInputFiles({
      name: 'prompts.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(broken),
    });
    const problems = page.getByRole('table', { name: 'Problems by line' });
    await problems.waitFor();
    await expect.poll(() => problems.getByRole('row').nth(1).innerText()).toMatch(/^2\b[\s\S]*responses/);
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await screenshot(page, 'import-bad-line');
    const draft = await app.db.query("SELECT id FROM campaigns WHERE name = 'Browser-made campaign'");
    expect(draft.rows).toHaveLength(1);
    const campaignId = draft.rows[0].id as string;
    const promptsBefore = await app.db.query('SELECT count(*) FROM prompts WHERE campaign_id = $1', [campaignId]);
    expect(Number(promptsBefore.rows[0].count)).toBe(0);

    // The fixed file validates and imports.
    await fileInput.setInputFiles({
      name: 'prompts-fixed.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl(5, 3)),
    });
    const importButton = page.getByRole('button', { name: /^Import 5 prompts/ });
    await expect.poll(() => importButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    await importButton.click();
    await expect
      .poll(async () =>
        Number((await app.db.query('SELECT count(*) FROM prompts WHERE campaign_id = $1', [campaignId])).rows[0].count),
      )
      .toBe(5);

    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.waitForURL(`**/console/campaigns/${campaignId}`);
    await expect
      .poll(async () => (await app.db.query('SELECT status FROM campaigns WHERE id = $1', [campaignId])).rows[0].status)
      .toBe('active');

    // Labels arrive through the API (the labeler's part is the other e2e test), then the dashboard shows them.
    const next = await waitFor(
      async () => {
        const res = await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token);
        return res.status === 200 && res.body.assignment ? res.body.assignment : null;
      },
      60_000,
      'a comparison to label',
    );
    let assignment = next;
    for (let i = 0; i < 4; i++) {
      const submitted = await app.post(
        `/assignments/${assignment.id}/submit`,
        { choice: i % 2 ? 'A' : 'B', idempotencyKey: `e2e-${i}` },
        labeler.token,
      );
      expect(submitted.status).toBe(201);
      if (i < 3) {
        assignment = await waitFor(
          async () => {
            const res = await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token);
            return res.status === 200 && res.body.assignment ? res.body.assignment : null;
          },
          60_000,
          'the next comparison',
        );
      }
    }
    await page.reload();
    await expect.poll(() => page.getByText(/4\s*\/\s*6/).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectAccessible(page, 'the campaign dashboard');
    await screenshot(page, 'dashboard');

    // Download the TRL export through the button and check every line.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download trl', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(typeof line.prompt).toBe('string');
      expect(typeof line.chosen).toBe('string');
      expect(typeof line.rejected).toBe('string');
      expect(line.chosen).not.toBe(line.rejected);
    }

    // Raise the budget from the dashboard's settings: only that field is sent, and it is stored.
    await page.getByText('Edit settings', { exact: true }).click();
    const settings = page.getByRole('form', { name: 'Campaign settings' });
    await settings.getByLabel(/^Budget/).fill('8');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText(/Settings saved: Budget/).waitFor();
    const budget = await app.db.query('SELECT budget FROM campaigns WHERE id = $1', [campaignId]);
    expect(budget.rows[0].budget).toBe(8);
    await expect.poll(() => page.getByText(/4\s*\/\s*8/).count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // The dashboard fits a phone: nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.reload();
    await expect.poll(() => page.getByText(/4\s*\/\s*8/).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectFitsWidth(page, 'the campaign dashboard on a phone');
    await screenshot(page, 'dashboard-phone');
    await page.setViewportSize(DESKTOP);

    // Retraining every 3 labels gave a model and a policy: the policy view ranks every prompt.
    await page.getByRole('link', { name: /^Policy view/ }).click();
    await page.waitForURL(`**/console/campaigns/${campaignId}/policy`);
    const policyRows = page.getByRole('table', { name: 'Prompts of the policy' }).getByRole('row');
    await expect
      .poll(
        async () => {
          if ((await policyRows.count()) === 0) await page.reload();
          return policyRows.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(6); // a header row and one row per prompt
    await expectAccessible(page, 'the policy view');
    await screenshot(page, 'policy');
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('launches a regret simulation, watches it run and reads the regret chart', async () => {
    const { context, page, watch } = await openPage(browser, app.url);
    await signInWithKeyboard(page, researcher.email, researcher.password);
    await page.getByRole('link', { name: 'Simulations' }).click();
    await page.waitForURL('**/console/simulations');
    await page.getByLabel('Environment', { exact: true }).selectOption('branin');
    await page.getByRole('checkbox', { name: /^ae-borda/ }).check();
    await page.getByRole('checkbox', { name: /^uniform\b(?!-)/ }).check();
    await page.getByLabel('Budget (labels per run)').fill('30');
    await page.getByLabel('Seeds per strategy').fill('2');
    await expectAccessible(page, 'the simulations page');
    await page.getByRole('button', { name: 'Launch simulation' }).click();
    await page.waitForURL(/\/console\/simulations\/[0-9a-f-]{36}$/);
    const chart = page.getByRole('figure', { name: 'Regret curve' });
    await chart.waitFor({ timeout: 120_000 });
    const results = page.getByRole('table', { name: 'Results per strategy' });
    await expect.poll(() => results.getByRole('row').count()).toBe(3); // header + two strategies
    expect(await results.innerText()).toMatch(/ae-borda[\s\S]*uniform|uniform[\s\S]*ae-borda/);
    await expectAccessible(page, 'the simulation result');
    await screenshot(page, 'simulation');
    expect(watch.errors).toEqual([]);
    await context.close();
  });
});
