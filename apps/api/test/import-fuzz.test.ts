/**
 * Fuzzes the JSONL import over HTTP against the real API and database with a seeded corpus of
 * hostile files (support/import-corpus.ts): huge and tiny numbers, deep nesting, control
 * characters, invalid UTF-8, prototype keys, duplicate ids, mixed formats and wrong types. For every
 * file: never a 5xx; every refused line is named with its line number and a code, exactly the lines
 * the corpus marks bad; the dry run and the import agree; a refused import leaves nothing behind;
 * an accepted one is stored exactly as sent.
 */
import { IMPORT_LINE_CODES } from '@borda/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { type CorpusFile, EMBEDDING_DIM, generateCorpus, lateBadFile, MAX_LINE_BYTES } from './support/import-corpus';

const SEED = Number(process.env.IMPORT_FUZZ_SEED ?? 20261207);
const FILES = Number(process.env.IMPORT_FUZZ_FILES ?? 54);

interface LineError {
  line: number;
  path: string;
  code: string;
  message: string;
}

describe('import fuzz', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { IMPORT_MAX_LINE_BYTES: String(MAX_LINE_BYTES) } });
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const post = (campaignId: string, body: Buffer, dryRun: boolean) =>
    app.request('POST', `/campaigns/${campaignId}/imports${dryRun ? '?dryRun=true' : ''}`, {
      token: researcher.token,
      body,
    });

  async function stored(campaignId: string) {
    const { rows } = await app.db.query(
      `SELECT (SELECT count(*)::int FROM prompts WHERE campaign_id = $1) AS prompts,
              (SELECT count(*)::int FROM responses WHERE campaign_id = $1) AS responses,
              (SELECT count(*)::int FROM import_batches WHERE campaign_id = $1) AS batches,
              prompt_count, response_count
       FROM campaigns WHERE id = $1`,
      [campaignId],
    );
    return rows[0] as Record<string, number>;
  }

  /** Posts `body` as a dry run, then for real; checks what every file must satisfy; returns both. */
  async function both(campaignId: string, body: Buffer, name: string) {
    const dry = await post(campaignId, body, true);
    const real = await post(campaignId, body, false);
    expect(dry.status, `${name}: dry run ${dry.text.slice(0, 300)}`).toBe(200);
    expect([201, 422], `${name}: import ${real.text.slice(0, 300)}`).toContain(real.status);
    const accepted = dry.body.valid === true && dry.body.promptCount > 0;
    expect(real.status === 201, `${name}: the dry run said ${accepted ? 'valid' : 'invalid'}`).toBe(accepted);
    if (!accepted) {
      expect(real.body.code).toBe('IMPORT_INVALID');
      // One validation path: the same errors, in the same order, with the same words.
      expect(real.body.details.errors, name).toEqual(dry.body.errors);
      expect(real.body.details.errorCount).toBe(dry.body.errorCount);
      for (const e of dry.body.errors as LineError[]) {
        expect(Number.isInteger(e.line) && e.line >= 1, `${name}: ${JSON.stringify(e)}`).toBe(true);
        expect(IMPORT_LINE_CODES, `${name}: ${JSON.stringify(e)}`).toContain(e.code);
        expect(typeof e.path === 'string' && e.message.length > 0).toBe(true);
      }
    }
    return { dry, real, accepted };
  }

  async function check(file: CorpusFile): Promise<'accepted' | 'refused'> {
    const campaign = await createCampaign(app, researcher.token, {
      featureSource: file.kind,
      ...(file.kind === 'embedding' ? { featureDim: EMBEDDING_DIM } : {}),
    });
    const before = await stored(campaign.id);
    const { dry, real, accepted } = await both(campaign.id, file.body, file.name);
    const expected = new Map<number, string>();
    file.lines.forEach((l, i) => l.expect && expected.set(i + 1, l.expect));
    const describeLine = (n: number) => `${file.name} line ${n} (${file.lines[n - 1]?.label})`;

    if (!accepted) {
      const errors = dry.body.errors as LineError[];
      const byLine = new Map<number, string[]>();
      for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e.code]);
      for (const [n, codes] of byLine) expect(expected.has(n), `${describeLine(n)} refused: ${codes}`).toBe(true);
      for (const [n, code] of expected) {
        expect(byLine.get(n) ?? [], `${describeLine(n)} should be refused with ${code}`).toContain(code);
      }
      // Nothing of a refused import is in the database.
      expect(await stored(campaign.id), file.name).toEqual(before);
      return 'refused';
    }
    expect(expected.size, `${file.name} was accepted with bad lines`).toBe(0);
    const lines = file.lines.filter((l) => !l.blank);
    expect(real.body).toMatchObject({ promptCount: lines.length, totalPrompts: lines.length });
    await expectStoredExactly(
      campaign.id,
      lines.map((l) => l.bytes.toString('utf8')),
      file.name,
    );

    // Importing one of its lines again is refused as ID_EXISTS by both, and changes nothing.
    const again = await both(campaign.id, lines[0].bytes, `${file.name} again`);
    expect(again.accepted).toBe(false);
    expect(again.dry.body.errors).toEqual([expect.objectContaining({ line: 1, code: 'ID_EXISTS' })]);
    expect((await stored(campaign.id)).prompts).toBe(lines.length);
    return 'accepted';
  }

  /** Every prompt and response in the database equals the line it came from, value for value. */
  async function expectStoredExactly(campaignId: string, texts: readonly string[], name: string) {
    const prompts = await app.db.query(
      `SELECT id, external_id, ordinal, text, messages::text AS messages, metadata::text AS metadata, embedding
       FROM prompts WHERE campaign_id = $1 ORDER BY ordinal`,
      [campaignId],
    );
    const responses = await app.db.query(
      `SELECT prompt_id, ordinal, external_id, text, source_model, reference_logprob, metadata::text AS metadata,
              embedding
       FROM responses WHERE campaign_id = $1 ORDER BY prompt_id, ordinal`,
      [campaignId],
    );
    expect(prompts.rows).toHaveLength(texts.length);
    texts.forEach((text, k) => {
      const line = JSON.parse(text);
      const row = prompts.rows[k];
      const at = `${name}, prompt ${k + 1} (${String(line.id).slice(0, 40)})`;
      expect(row.external_id, at).toBe(line.id);
      expect(row.text, at).toBe(line.prompt ?? null);
      expect(canonical(JSON.parse(row.messages)), at).toBe(canonical(line.messages ?? null));
      expect(canonical(JSON.parse(row.metadata)), at).toBe(canonical(line.metadata ?? {}));
      expectEmbedding(row.embedding, line.embedding, at);
      const own = responses.rows.filter((r) => r.prompt_id === row.id);
      expect(
        own.map((r) => r.ordinal),
        at,
      ).toEqual(line.responses.map((_: unknown, i: number) => i));
      line.responses.forEach((sent: string | Record<string, any>, i: number) => {
        const r = typeof sent === 'string' ? { text: sent } : sent;
        const got = own[i];
        const where = `${at}, response ${i}`;
        expect(got.text, where).toBe(r.text);
        expect(got.external_id, where).toBe(r.id ?? null);
        expect(got.source_model, where).toBe(r.model ?? null);
        // Object.is: -0 must come back as -0 (float8 keeps it).
        expect(Object.is(got.reference_logprob, r.ref_logprob ?? null), `${where}: ${got.reference_logprob}`).toBe(
          true,
        );
        expect(canonical(JSON.parse(got.metadata)), where).toBe(canonical(r.metadata ?? {}));
        expectEmbedding(got.embedding, r.embedding, where);
      });
    });
  }

  function expectEmbedding(bytes: Buffer | null, sent: number[] | undefined, where: string) {
    if (sent === undefined) {
      expect(bytes, where).toBeNull();
      return;
    }
    const got = Array.from(new Float32Array(new Uint8Array(bytes!).buffer));
    // Stored as float32: each value is the nearest float32, signed zeros and subnormals included.
    expect(
      got.map((v, i) => Object.is(v, Math.fround(sent[i]))),
      `${where}: ${got} vs ${sent}`,
    ).toEqual(sent.map(() => true));
  }

  it(`holds for ${FILES} generated files (seed ${SEED})`, async () => {
    const files = generateCorpus(SEED, FILES);
    const verdicts = { accepted: 0, refused: 0 };
    const codes = new Set<string>();
    for (const file of files) {
      verdicts[await check(file)] += 1;
      for (const l of file.lines) if (l.expect) codes.add(l.expect);
    }
    // The corpus is varied enough to mean something: both verdicts and every kind of defect.
    expect(verdicts.accepted).toBeGreaterThanOrEqual(10);
    expect(verdicts.refused).toBeGreaterThanOrEqual(20);
    expect([...codes].sort()).toEqual(IMPORT_LINE_CODES.filter((c) => c !== 'ID_EXISTS').sort());
    const lines = files.reduce((n, f) => n + f.lines.length, 0);
    expect(lines).toBeGreaterThanOrEqual(300);
  });

  it('rolls back two written chunks when the last line is refused', async () => {
    expect(await check(lateBadFile(SEED, 2_100))).toBe('refused');
  });
});

/** JSON text with keys sorted at every level (jsonb keeps its own key order); own __proto__ keys included. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
