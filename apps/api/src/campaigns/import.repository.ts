/**
 * The import's single write transaction. Rows go in as column arrays through
 * `INSERT … SELECT FROM unnest($1::uuid[], $2::text[], …)`: one bind parameter per column instead
 * of per value, so a chunk of 20k rows is one statement that Postgres parses once.
 *
 * The transaction is open while the body streams in: chunks are written as soon as they are
 * validated (memory stays at one chunk, whatever the file size) and the first bad line turns the
 * rest into validation only, with a rollback at the end. Imports into one campaign are serialised
 * by a transaction-scoped advisory lock rather than a row lock on the campaign, so labelers'
 * submits (which update the campaign row) are not blocked for the length of an upload.
 *
 * This repository talks to Postgres through its own small node-postgres pool rather than Prisma:
 * Prisma's raw-query path kept every chunk's serialised parameters alive for the life of the
 * transaction (a 100k × 8 import peaked at 1.1 GB RSS), which defeats streaming.
 */
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { CampaignScoped } from '../database';
import { pgPoolConfig } from '../database/prisma.service';
import { AppError } from '../errors/app-error';
import type { ImportColumns } from './import-columns';

const EXISTING_IDS = 'SELECT external_id FROM prompts WHERE campaign_id = $1::uuid AND external_id = ANY($2::text[])';

const INSERT_PROMPTS = `
  INSERT INTO prompts (id, campaign_id, external_id, ordinal, text, messages, metadata, embedding, featurized_at, import_id)
  SELECT t.id, $1::uuid, t.external_id, t.ordinal, t.text, t.messages, t.metadata, decode(t.embedding, 'hex'),
         CASE WHEN t.embedding IS NULL THEN NULL ELSE now() END, $2::uuid
  FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[])
    AS t(id, external_id, ordinal, text, messages, metadata, embedding)`;

const INSERT_RESPONSES = `
  INSERT INTO responses (id, campaign_id, prompt_id, ordinal, external_id, text, source_model, reference_logprob,
                         metadata, embedding, featurized_at)
  SELECT t.id, $1::uuid, t.prompt_id, t.ordinal, t.external_id, t.text, t.source_model, t.reference_logprob,
         t.metadata, decode(t.embedding, 'hex'), CASE WHEN t.embedding IS NULL THEN NULL ELSE now() END
  FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::jsonb[],
              $10::text[])
    AS t(id, prompt_id, ordinal, external_id, text, source_model, reference_logprob, metadata, embedding)`;

/**
 * Existing judgments: per judgment a complete comparison (strategy 'imported', one label required and
 * received, gold when asked), a submitted assignment and a label of the Imported judgments
 * pseudo-labeler, in one statement. Comparisons referenced by later CTEs are checked at statement end.
 */
const INSERT_JUDGMENTS = `
  WITH j AS (
    SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::int[], $7::uuid[])
      AS t(comparison_id, prompt_id, first_id, second_id, outcome, gold_id)
  ), c AS (
    INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score, state,
                             labels_required, labels_received, votes_first, votes_second, completed_at,
                             gold_response_id, gold_source)
    SELECT j.comparison_id, $1::uuid, j.prompt_id, j.first_id, j.second_id, 'imported', 0, 'complete', 1, 1,
           j.outcome, 1 - j.outcome, now(), CASE WHEN $9::boolean THEN j.gold_id END,
           CASE WHEN $9::boolean THEN 'imported' END
    FROM j RETURNING id
  ), a AS (
    INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at,
                             finished_at, slot)
    SELECT gen_random_uuid(), $1::uuid, c.id, $8::uuid, 'submitted', true, now(), now(), now(), 0 FROM c
    RETURNING id, comparison_id
  )
  INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
                      right_response_id, outcome, idempotency_key, source)
  SELECT gen_random_uuid(), $1::uuid, j.comparison_id, a.id, $8::uuid,
         (CASE WHEN j.outcome = 1 THEN 'A' ELSE 'B' END)::"Choice", j.first_id, j.second_id, j.outcome,
         'import:' || j.comparison_id::text, $10::text
  FROM j JOIN a ON a.comparison_id = j.comparison_id`;

/**
 * The comparisons' insert trigger gave each its one slot, already filled (labels_received 1): name the
 * pseudo-labeler's assignment as what fills it, as a judgment given in Borda would.
 */
const FILL_SLOTS = `
  UPDATE comparison_slots s SET holder = a.labeler_id, assignment_id = a.id
  FROM assignments a
  WHERE a.comparison_id = ANY($1::uuid[]) AND s.comparison_id = a.comparison_id AND s.slot = a.slot`;

/**
 * The pseudo-labeler imported judgments are attributed to: one disabled account with no password
 * (it can never sign in), so labels keep their NOT NULL labeler and the crowd panel shows the
 * imported judgments as one source among the labelers. Created outside any import transaction and
 * without locking the row (DO NOTHING), so imports into different campaigns never wait on each other.
 */
export const IMPORTED_LABELER_EMAIL = 'imported-judgments@borda.invalid';
const IMPORTED_LABELER = `
  WITH created AS (
    INSERT INTO users (id, email, name, role, disabled_at)
    VALUES (gen_random_uuid(), $1, 'Imported judgments', 'labeler', now())
    ON CONFLICT (email) DO NOTHING
    RETURNING id)
  SELECT id FROM created UNION ALL SELECT id FROM users WHERE email = $1
  LIMIT 1`;

/** What the import does with the judgments rows carry. */
export interface JudgmentOptions {
  /** Also mark each judgment's comparison as gold (the chosen response is the answer). */
  readonly asGold: boolean;
  /** The Imported judgments pseudo-labeler's id (created on first use). */
  readonly labeler: () => Promise<string>;
}

/** Looks up ids already in the campaign (inside or outside the import transaction). */
export interface ImportLookup {
  existing(externalIds: readonly string[]): Promise<string[]>;
}

/** The writing side of the import transaction. */
export class ImportWriter implements ImportLookup {
  private nextOrdinal: number;

  constructor(
    private readonly db: PoolClient,
    private readonly campaignId: string,
    private readonly importId: string,
    firstOrdinal: number,
    private readonly judgments: JudgmentOptions,
  ) {
    this.nextOrdinal = firstOrdinal;
  }

  private labelerId: string | null = null;

  async existing(externalIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ external_id: string }>(EXISTING_IDS, [this.campaignId, externalIds]);
    return rows.map((r) => r.external_id);
  }

  /** Writes one validated chunk; prompt ordinals continue where the previous chunk stopped. */
  async insert(columns: ImportColumns): Promise<void> {
    const p = columns.prompt;
    const r = columns.response;
    const ordinals = p.id.map((_, k) => this.nextOrdinal + k);
    this.nextOrdinal += p.id.length;
    await this.db.query(INSERT_PROMPTS, [
      this.campaignId,
      this.importId,
      p.id,
      p.externalId,
      ordinals,
      p.text,
      p.messages,
      p.metadata,
      p.embedding,
    ]);
    await this.db.query(INSERT_RESPONSES, [
      this.campaignId,
      r.id,
      r.promptId,
      r.ordinal,
      r.externalId,
      r.text,
      r.model,
      r.refLogprob,
      r.metadata,
      r.embedding,
    ]);
    const j = columns.judgment;
    if (j.comparisonId.length === 0) return;
    this.labelerId ??= await this.judgments.labeler();
    await this.db.query(INSERT_JUDGMENTS, [
      this.campaignId,
      j.comparisonId,
      j.promptId,
      j.firstId,
      j.secondId,
      j.outcome,
      j.goldId,
      this.labelerId,
      this.judgments.asGold,
      columns.source,
    ]);
    await this.db.query(FILL_SLOTS, [j.comparisonId]);
  }

  /**
   * Records the batch and bumps the campaign's counters, only if the campaign still takes imports
   * (it may have been completed while the body streamed in): otherwise everything rolls back.
   */
  async finish(uploaderId: string, promptCount: number, responseCount: number, allowed: readonly string[]) {
    const { rows } = await this.db.query<{ total: number }>(
      `UPDATE campaigns SET prompt_count = prompt_count + $2, response_count = response_count + $3, updated_at = now()
       WHERE id = $1::uuid AND status::text = ANY($4::text[]) RETURNING prompt_count AS total`,
      [this.campaignId, promptCount, responseCount, allowed],
    );
    if (rows.length === 0) throw notImportable('completed or archived', allowed);
    await this.db.query(
      `INSERT INTO import_batches (id, campaign_id, uploader_id, prompt_count, response_count)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5)`,
      [this.importId, this.campaignId, uploaderId, promptCount, responseCount],
    );
    return rows[0].total;
  }
}

export function notImportable(status: string, allowed: readonly string[]): AppError {
  return new AppError('CAMPAIGN_NOT_ACTIVE', `cannot import into a ${status} campaign`, { status, allowed });
}

@Injectable()
export class ImportRepository implements OnModuleDestroy {
  /** A few connections are plenty: imports into one campaign queue on its lock anyway. */
  private readonly pool: Pool;
  private readonly logger = new Logger('ImportRepository');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool(pgPoolConfig(config.databaseUrl, Math.max(2, Math.ceil(config.databasePoolSize / 4))));
    // An idle connection dropped by the server (restart, admin kill) must not crash the process.
    this.pool.on('error', (error) => this.logger.warn(`idle import connection lost: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }

  /** The pseudo-labeler's id, created on the pool (autocommit, never inside an import) if need be. */
  private async importedLabeler(): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(IMPORTED_LABELER, [IMPORTED_LABELER_EMAIL]);
    return rows[0].id;
  }

  /** Lookups outside any transaction (dry runs). */
  lookup(where: CampaignScoped<object>): ImportLookup {
    return {
      existing: async (externalIds) => {
        const { rows } = await this.pool.query<{ external_id: string }>(EXISTING_IDS, [where.campaignId, externalIds]);
        return rows.map((r) => r.external_id);
      },
    };
  }

  /**
   * Runs `work` in the import transaction, after taking the campaign's import lock (concurrent
   * imports queue here, so ordinals never collide) and checking the campaign still takes imports.
   * Anything `work` throws rolls the whole import back.
   */
  async inTransaction<T>(
    where: CampaignScoped<{ importId: string; allowed: readonly string[]; asGold: boolean }>,
    work: (writer: ImportWriter) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('borda:import:' || $1::text, 0))", [
          where.campaignId,
        ]);
        const { rows } = await client.query<{ status: string; next: number }>(
          `SELECT c.status::text AS status,
                  (SELECT COALESCE(MAX(ordinal) + 1, 0)::int FROM prompts WHERE campaign_id = c.id) AS next
           FROM campaigns c WHERE c.id = $1::uuid`,
          [where.campaignId],
        );
        const campaign = rows[0];
        if (!campaign) throw AppError.notFound('campaign', where.campaignId);
        if (!where.allowed.includes(campaign.status)) throw notImportable(campaign.status, where.allowed);
        const result = await work(
          new ImportWriter(client, where.campaignId, where.importId, campaign.next, {
            asGold: where.asGold,
            labeler: () => this.importedLabeler(),
          }),
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      }
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: drop it instead of reusing it.
      client.release(broken);
    }
  }
}
