/**
 * A multi-aspect campaign from creation to export in real Chromium (issue 14 item 2): the researcher
 * defines two aspects in the console (one trains the reward model), imports a small file and starts;
 * a labeler answers the aspects beside the main choice; the raw export carries the answers.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonl } from '../../api/test/support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser, waitFor } from '../../api/test/support/harness';
import {
  expectAccessible,
  LABELER_DIST,
  launchBrowser,
  openPage,
  signInWithKeyboard,
  waitForOpenComparisons,
} from './support/browser';

describe('a multi-aspect campaign in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let researcher: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true, env: { LABELER_DIST } });
    browser = await launchBrowser();
    researcher = await app.createUser('researcher', 'ada');
    labeler = await app.createUser('labeler', 'aspect-labeler');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a campaign with two aspects, labels one comparison answering them and exports the answers', async () => {
    const researcherTab = await openPage(browser, app.url);
    const page = researcherTab.page;
    await signInWithKeyboard(page, researcher.email, researcher.password);
    await page.waitForURL('**/console');
    await page.getByRole('link', { name: /new campaign/i }).click();
    await page.waitForURL('**/console/campaigns/new');

    await page.getByLabel('Name', { exact: true }).fill('Aspects campaign');
    await page.getByLabel(/^Strategy/).selectOption('uniform');
    await page.getByLabel(/^Budget/).fill('4');
    await page.getByLabel(/^aspect-labeler \(/).check();
    await page.getByRole('button', { name: 'Add aspect' }).click();
    await page.getByLabel('Aspect 1 label').fill('Harmlessness');
    await page.getByLabel('Aspect 1 required').check();
    await page.getByLabel('Aspect 1 trains the reward model').check();
    await page.getByRole('button', { name: 'Add aspect' }).click();
    await page.getByLabel('Aspect 2 label').fill('Clarity');
    await page.getByLabel('Aspect 2 kind').selectOption('rating');
    await expectAccessible(page, 'the new-campaign form with aspects');
    await page.getByRole('button', { name: 'Create draft' }).click();

    await page.getByLabel('Prompts file (JSONL)').setInputFiles({
      name: 'prompts.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(jsonl(3, 2)),
    });
    const importButton = page.getByRole('button', { name: /^Import 3 prompts/ });
    await expect.poll(() => importButton.isEnabled(), { timeout: 15_000 }).toBe(true);
    await importButton.click();
    await page.getByRole('button', { name: 'Start campaign' }).click();
    const { rows } = await app.db.query(
      "SELECT id, aspects, training_aspect FROM campaigns WHERE name = 'Aspects campaign'",
    );
    const campaignId = rows[0].id as string;
    expect(rows[0].aspects).toEqual([
      { key: 'harmlessness', label: 'Harmlessness', kind: 'pairwise', required: true },
      { key: 'clarity', label: 'Clarity', kind: 'rating', required: false },
    ]);
    expect(rows[0].training_aspect).toBe('harmlessness');
    await page.waitForURL(`**/console/campaigns/${campaignId}`);
    await waitForOpenComparisons(app, campaignId, 1);

    // The labeler answers the aspects with the keyboard and mouse alike.
    const labeling = await openPage(browser, app.url);
    const lp = labeling.page;
    await signInWithKeyboard(lp, labeler.email, labeler.password);
    await lp.waitForURL('**/label');
    await lp.goto(`/label/${campaignId}`);
    const comparison = lp.locator('[data-assignment-id]');
    await comparison.waitFor();
    const assignmentId = await comparison.getAttribute('data-assignment-id');
    await lp.getByRole('button', { name: /^A better/ }).click();
    const aspects = lp.getByRole('group', { name: 'Aspects' });
    await aspects.getByRole('radio', { name: 'B better' }).check();
    await aspects.getByLabel('Clarity: Response A').selectOption('5');
    await aspects.getByLabel('Clarity: Response B').selectOption('2');
    await expectAccessible(lp, 'the comparison screen with aspects');
    await lp.getByRole('button', { name: /^Submit/ }).click();
    const label = await waitFor(
      async () =>
        (await app.db.query('SELECT aspects FROM labels WHERE assignment_id = $1', [assignmentId])).rows[0] ?? null,
      30_000,
      'the label with its aspects',
    );
    expect(label.aspects).toEqual({ harmlessness: 'B', clarity: { A: 5, B: 2 } });

    // The dashboard charts every aspect, each chart with its data table.
    await page.reload();
    const pairwise = page.getByRole('figure', { name: 'Pairwise aspects' });
    await expect
      .poll(() => pairwise.getByRole('row', { includeHidden: true }).nth(1).textContent(), { timeout: 20_000 })
      .toMatch(/^Harmlessness\s*1\s*0\s*1\s*0$/);
    const rated = page.getByRole('figure', { name: 'Rated aspects' });
    expect(await rated.getByRole('row', { includeHidden: true }).nth(1).textContent()).toMatch(/^Clarity\s*1\s*5\s*2$/);
    await expectAccessible(page, 'the dashboard with aspects');

    // The raw export, downloaded from the dashboard, carries every answer.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download raw', exact: true }).click(),
    ]);
    const lines = (await readFile((await download.path())!, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ assignmentId, choice: 'A', aspects: { harmlessness: 'B', clarity: { A: 5, B: 2 } } }),
    ]);
    expect(researcherTab.watch.errors).toEqual([]);
    expect(labeling.watch.errors).toEqual([]);
    await labeling.context.close();
    await researcherTab.context.close();
  });
});
