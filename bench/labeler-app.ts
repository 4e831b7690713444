/**
 * What a labeler waits for between two judgments, in real headless Chromium against the built
 * service (apps/api/dist serving apps/labeler/dist; `npm run build` first), timed inside the page:
 *
 *   (a) the app: from the Enter keydown to the next comparison in the DOM. The app shows a prefetched
 *       lease and sends the judgment in the background, so this is a render, not a round trip.
 *   (b) baseline, in the same page: a client without prefetch waits for POST …/submit and then
 *       POST …/next before it can show anything (fetch, a second labeler, the same campaign).
 *
 * Both on loopback and with 40 ms of latency added per request by Chromium's network emulation
 * (a labeler far from the server). The bench "reads" each comparison for BENCH_THINK_MS (300 ms) before
 * judging, far less than a person does. The ratio (a)/(b) is what prefetching saves per judgment. Standalone:
 * `node --conditions=borda-source --import tsx -e "require('./bench/labeler-app').run()"`.
 */
import path from 'node:path';
import Table from 'cli-table3';
import { seedLabelingCampaign } from '../apps/api/test/support/labeling-fixtures';
import { launchChromium } from '../test/support/chromium';
import { startService } from './support/service';

const JUDGMENTS = Number(process.env.BENCH_JUDGMENTS ?? 60);
const WARM_UP = 5;
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 300);
const LABELER_DIST = path.resolve(__dirname, '../apps/labeler/dist');

/** Round-trip latencies emulated by Chromium (DevTools network conditions) on top of loopback. */
const NETWORKS = [
  { name: 'loopback', latencyMs: 0 },
  { name: '+40 ms', latencyMs: 40 },
];

interface Stats {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length };
}

export async function run(): Promise<void> {
  const service = await startService({ env: { LABELER_DIST } });
  const browser = await launchChromium();
  try {
    const owner = await service.createUser('researcher');
    const [appLabeler, baselineLabeler] = [await service.createUser('labeler'), await service.createUser('labeler')];
    const { campaignId } = await seedLabelingCampaign(service, {
      ownerId: owner.id,
      labelerIds: [appLabeler.id, baselineLabeler.id],
      prompts: 50,
      responsesPerPrompt: 4,
      comparisons: 2 * NETWORKS.length * (JUDGMENTS + WARM_UP) + 20,
    });
    const me = await (
      await fetch(`${service.url}/auth/me`, { headers: { authorization: `Bearer ${appLabeler.token}` } })
    ).json();
    const context = await browser.newContext({ baseURL: service.url, viewport: { width: 1280, height: 800 } });
    const session = JSON.stringify({ accessToken: appLabeler.token, expiresAt: Date.now() + 3_600_000, user: me });
    await context.addInitScript(`localStorage.setItem('borda.session', ${JSON.stringify(session)})`);
    const page = await context.newPage();
    // Timed inside the page: from the Enter keydown to the DOM showing another assignment.
    await page.addInitScript(`
      window.__waits = [];
      document.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__enterAt = performance.now(); }, true);
      new MutationObserver(() => {
        const id = document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id');
        if (id && id !== window.__shown) {
          if (window.__shown && window.__enterAt) window.__waits.push(performance.now() - window.__enterAt);
          window.__shown = id;
          window.__enterAt = undefined;
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-assignment-id'] });
    `);
    const cdp = await context.newCDPSession(page);
    await page.goto(`/label/${campaignId}`);
    await page.locator('[data-assignment-id]').waitFor();

    const results: { condition: string; app: Stats; baseline: Stats }[] = [];
    let judged = 0;
    for (const condition of NETWORKS) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: condition.latencyMs,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await page.evaluate('window.__waits = []');
      for (let i = 0; i < WARM_UP + JUDGMENTS; i++) {
        const before = await page.locator('[data-assignment-id]').getAttribute('data-assignment-id');
        // A labeler reads before judging; the bench reads for THINK_MS (the app refills its prefetch meanwhile).
        await page.waitForTimeout(THINK_MS);
        await page.keyboard.press('a');
        await page.keyboard.press('Enter');
        judged++;
        await page.waitForFunction(
          `document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id') !== ${JSON.stringify(before)}`,
          undefined,
          { timeout: 30_000 },
        );
      }
      const appWaits = ((await page.evaluate('window.__waits')) as number[]).slice(WARM_UP);
      // The baseline runs in the page too (same browser networking and emulated latency), as the second labeler.
      const baselineWaits = (await page.evaluate(`(async () => {
        const headers = { authorization: 'Bearer ${baselineLabeler.token}', 'content-type': 'application/json', accept: 'application/json' };
        const post = async (url, body) => (await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })).json();
        const waits = [];
        let lease = (await post('/campaigns/${campaignId}/next', {})).assignment;
        for (let i = 0; i < ${WARM_UP + JUDGMENTS}; i++) {
          const started = performance.now();
          await post('/assignments/' + lease.id + '/submit', { choice: 'A', idempotencyKey: '${condition.name}-' + i });
          lease = (await post('/campaigns/${campaignId}/next', {})).assignment;
          if (i >= ${WARM_UP}) waits.push(performance.now() - started);
        }
        return waits;
      })()`)) as number[];
      results.push({ condition: condition.name, app: stats(appWaits), baseline: stats(baselineWaits) });
    }

    const { rows } = await service.db.query<{ labels: number }>(
      'SELECT count(*)::int AS labels FROM labels WHERE campaign_id = $1 AND labeler_id = $2',
      [campaignId, appLabeler.id],
    );
    const table = new Table({
      head: ['network', 'between two judgments', 'n', 'p50 ms', 'p95 ms', 'mean ms', 'p50 ratio'],
    });
    for (const r of results) {
      const row = (name: string, x: Stats, ratio: string) => [
        r.condition,
        name,
        x.n,
        x.p50.toFixed(1),
        x.p95.toFixed(1),
        x.mean.toFixed(1),
        ratio,
      ];
      table.push(row('(a) app: Enter → next comparison shown', r.app, `${(r.app.p50 / r.baseline.p50).toFixed(2)}×`));
      table.push(row('(b) baseline: submit, then next', r.baseline, '1.00×'));
    }
    console.log(table.toString());
    console.log(`judgments the app stored: ${rows[0].labels} of ${judged} (one label per lease)`);
    await context.close();
  } finally {
    await browser.close();
    await service.stop();
  }
}
