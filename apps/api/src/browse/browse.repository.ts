/**
 * The data browser's reads. One SQL builder (`conditions`) turns the validated filters into
 * parameterised fragments: user input only ever travels as a bound parameter, never as SQL text.
 *
 * Full-text search uses `to_tsvector('simple', …) @@ websearch_to_tsquery('simple', q)` over the
 * prompt (text and the string values of its messages) and both responses, computed per row: no
 * expression index, because the text spans three rows of two tables and a campaign's comparisons are
 * already narrowed by the campaign index (a GIN index per table would only help a campaign far
 * beyond 100k responses).
 */
import { Injectable } from '@nestjs/common';
import type { BrowseAgreement, BrowseQuery } from '@borda/api-contract';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export interface BrowseRowRecord {
  id: string;
  position: number;
  state: 'open' | 'complete' | 'cancelled';
  strategy: string;
  promptId: string;
  promptExternalId: string;
  promptText: string | null;
  promptMessages: unknown;
  promptExcerpt: string;
  metadata: Record<string, unknown>;
  firstId: string;
  firstText: string;
  firstModel: string | null;
  secondId: string;
  secondText: string;
  secondModel: string | null;
  labelsRequired: number;
  agreement: BrowseAgreement;
  skipped: number;
  gold: boolean;
  yardstick: boolean;
  createdAt: Date;
}

export interface BrowseLabelRecord {
  id: string;
  comparisonId: string;
  labelerId: string;
  name: string;
  email: string;
  choice: 'A' | 'B' | 'tie' | 'both_bad' | 'skip';
  outcome: 'first' | 'second' | 'tie' | 'both_bad' | 'skip';
  strength: number | null;
  rationale: string | null;
  skipReason: string | null;
  timeTakenMs: number | null;
  firstOnLeft: boolean;
  source: string | null;
  createdAt: Date;
}

/** How long a label took: the client's measure, else lease to finish (null when neither is known). */
const TIME_TAKEN = Prisma.sql`COALESCE(l.time_taken_ms,
  (extract(epoch FROM (a.finished_at - a.leased_at)) * 1000)::int)`;

/** A row's agreement over its judgments (not skips), outcomes in the comparison's own order. */
const AGREEMENT = Prisma.sql`CASE WHEN j.judgments = 0 THEN 'none' WHEN j.judgments = 1 THEN 'single'
  WHEN j.outcomes = 1 THEN 'unanimous' ELSE 'split' END`;

const EXCERPT = 240;

const textSearch = (q: string) => Prisma.sql`(
  to_tsvector('simple', coalesce(p.text, '')) || jsonb_to_tsvector('simple', coalesce(p.messages, '[]'::jsonb), '["string"]')
    @@ websearch_to_tsquery('simple', ${q})
  OR to_tsvector('simple', f.text) @@ websearch_to_tsquery('simple', ${q})
  OR to_tsvector('simple', s.text) @@ websearch_to_tsquery('simple', ${q}))`;

/** Every filter as one AND-ed condition over c (comparison), p (prompt), f/s (responses), j (label counts). */
function conditions(campaignId: string, q: BrowseQuery): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`c.campaign_id = ${campaignId}::uuid`];
  if (q.labeler !== undefined || q.minTimeMs !== undefined || q.maxTimeMs !== undefined) {
    const label: Prisma.Sql[] = [Prisma.sql`l.comparison_id = c.id`];
    if (q.labeler !== undefined) label.push(Prisma.sql`l.labeler_id = ${q.labeler}::uuid`);
    if (q.minTimeMs !== undefined) label.push(Prisma.sql`${TIME_TAKEN} >= ${q.minTimeMs}`);
    if (q.maxTimeMs !== undefined) label.push(Prisma.sql`${TIME_TAKEN} <= ${q.maxTimeMs}`);
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM labels l JOIN assignments a ON a.id = l.assignment_id
      WHERE ${Prisma.join(label, ' AND ')})`);
  }
  if (q.model !== undefined) parts.push(Prisma.sql`(f.source_model = ${q.model} OR s.source_model = ${q.model})`);
  if (q.agreement !== undefined) parts.push(Prisma.sql`${AGREEMENT} = ${q.agreement}`);
  if (q.split === true) parts.push(Prisma.sql`${AGREEMENT} = 'split'`);
  if (q.split === false) parts.push(Prisma.sql`${AGREEMENT} <> 'split'`);
  if (q.skipped === true) parts.push(Prisma.sql`j.skips > 0`);
  if (q.skipped === false) parts.push(Prisma.sql`j.skips = 0`);
  if (q.state !== undefined) parts.push(Prisma.sql`c.state::text = ${q.state}`);
  if (q.gold === true) parts.push(Prisma.sql`c.gold_response_id IS NOT NULL`);
  if (q.gold === false) parts.push(Prisma.sql`c.gold_response_id IS NULL`);
  for (const [key, value] of Object.entries(q.meta)) parts.push(Prisma.sql`p.metadata ->> ${key} = ${value}`);
  if (q.q !== undefined) parts.push(textSearch(q.q));
  if (q.cursor !== undefined) parts.push(Prisma.sql`c.position > ${Number(q.cursor)}`);
  return Prisma.join(parts, ' AND ');
}

/** The comparison rows with their prompt, responses and label counts (aliases used by `conditions`). */
const ROW_SOURCE = Prisma.sql`
  FROM comparisons c
  JOIN prompts p ON p.id = c.prompt_id
  JOIN responses f ON f.id = c.first_response_id
  JOIN responses s ON s.id = c.second_response_id
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE l.choice <> 'skip')::int AS judgments,
      count(DISTINCT coalesce(l.outcome::text, l.choice::text)) FILTER (WHERE l.choice <> 'skip')::int AS outcomes,
      count(*) FILTER (WHERE l.choice = 'skip')::int AS skips
    FROM labels l WHERE l.comparison_id = c.id) j`;

/** The columns of a row; `cut` trims the response texts to excerpts (the list), null keeps them whole (the detail). */
const rowColumns = (cut: number | null) => Prisma.sql`
  c.id, c.position, c.state::text AS state, c.strategy, p.id AS "promptId", p.external_id AS "promptExternalId",
  p.text AS "promptText", p.messages AS "promptMessages",
  left(coalesce(p.text, (SELECT m ->> 'content'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.messages) = 'array' THEN p.messages ELSE '[]'::jsonb END)
      WITH ORDINALITY AS e(m, n)
    WHERE m ->> 'role' = 'user' ORDER BY n DESC LIMIT 1), ''), ${EXCERPT}) AS "promptExcerpt",
  p.metadata, f.id AS "firstId", CASE WHEN ${cut}::int IS NULL THEN f.text ELSE left(f.text, ${cut}::int) END AS "firstText", f.source_model AS "firstModel",
  s.id AS "secondId", CASE WHEN ${cut}::int IS NULL THEN s.text ELSE left(s.text, ${cut}::int) END AS "secondText", s.source_model AS "secondModel",
  c.labels_required AS "labelsRequired", ${AGREEMENT} AS agreement, j.skips AS skipped,
  c.gold_response_id IS NOT NULL AS gold, c.yardstick, c.created_at AS "createdAt"`;

@Injectable()
export class BrowseRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One page in leasing order (position is unique and never reused: a stable keyset). */
  rows(where: CampaignScoped<{ query: BrowseQuery; take: number }>): Promise<BrowseRowRecord[]> {
    return this.prisma.$queryRaw<BrowseRowRecord[]>`
      SELECT ${rowColumns(EXCERPT)} ${ROW_SOURCE}
      WHERE ${conditions(where.campaignId, where.query)}
      ORDER BY c.position LIMIT ${where.take}`;
  }

  async row(where: CampaignScoped<{ comparisonId: string }>): Promise<BrowseRowRecord | undefined> {
    const rows = await this.prisma.$queryRaw<BrowseRowRecord[]>`
      SELECT ${rowColumns(null)} ${ROW_SOURCE}
      WHERE c.campaign_id = ${where.campaignId}::uuid AND c.id = ${where.comparisonId}::uuid`;
    return rows[0];
  }

  /** Every label of the comparisons, oldest first. */
  labels(where: CampaignScoped<{ comparisonIds: string[] }>): Promise<BrowseLabelRecord[]> {
    if (where.comparisonIds.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<BrowseLabelRecord[]>`
      SELECT l.id, l.comparison_id AS "comparisonId", l.labeler_id AS "labelerId", u.name, u.email,
        l.choice::text AS choice,
        CASE WHEN l.choice IN ('skip', 'tie', 'both_bad') THEN l.choice::text
             WHEN l.outcome = 1 THEN 'first' ELSE 'second' END AS outcome,
        l.strength, l.rationale, l.skip_reason AS "skipReason", ${TIME_TAKEN} AS "timeTakenMs",
        a.first_on_left AS "firstOnLeft", l.source, l.created_at AS "createdAt"
      FROM labels l JOIN assignments a ON a.id = l.assignment_id JOIN users u ON u.id = l.labeler_id
      WHERE l.campaign_id = ${where.campaignId}::uuid AND l.comparison_id = ANY(${where.comparisonIds}::uuid[])
      ORDER BY l.created_at, l.id`;
  }

  async facets(where: CampaignScoped<object>) {
    const id = where.campaignId;
    const [comparisons, labelers, models, metadata] = await this.prisma.$transaction(
      [
        this.prisma.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM comparisons WHERE campaign_id = ${id}::uuid`,
        this.prisma.$queryRaw<{ id: string; name: string; email: string; labels: number }[]>`
          SELECT u.id, u.name, u.email, count(*)::int AS labels
          FROM labels l JOIN users u ON u.id = l.labeler_id
          WHERE l.campaign_id = ${id}::uuid GROUP BY u.id ORDER BY u.name, u.id`,
        this.prisma.$queryRaw<{ model: string; responses: number }[]>`
          SELECT source_model AS model, count(*)::int AS responses FROM responses
          WHERE campaign_id = ${id}::uuid AND source_model IS NOT NULL GROUP BY source_model ORDER BY source_model`,
        this.prisma.$queryRaw<{ key: string; prompts: number; values: { value: string; prompts: number }[] }[]>`
          WITH kv AS (
            SELECT e.key, e.value, count(*)::int AS prompts
            FROM prompts p CROSS JOIN LATERAL jsonb_each_text(
              CASE WHEN jsonb_typeof(p.metadata) = 'object' THEN p.metadata ELSE '{}'::jsonb END) e
            WHERE p.campaign_id = ${id}::uuid AND e.value IS NOT NULL AND length(e.value) <= 200
            GROUP BY e.key, e.value),
          ranked AS (SELECT *, row_number() OVER (PARTITION BY key ORDER BY prompts DESC, value) AS r FROM kv)
          SELECT key, sum(prompts)::int AS prompts,
            jsonb_agg(jsonb_build_object('value', value, 'prompts', prompts) ORDER BY r) FILTER (WHERE r <= 20) AS values
          FROM ranked GROUP BY key ORDER BY sum(prompts) DESC, key LIMIT 50`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { comparisons: comparisons[0]?.n ?? 0, labelers, models, metadata };
  }
}
