/**
 * Gold comparisons (issue 10 item 1). A gold comparison is an ordinary comparisons row with
 * gold_response_id set and state 'complete' (labels_required 0), so the ordinary pool never leases
 * it; LeaseRepository.leaseGold serves it as a check. Generated gold pits a response against a
 * degraded copy stored as a synthetic response: featurized_at set and no embedding, so Featurize
 * never embeds it and it never enters the candidate set, a policy or an export. Imported judgments
 * (labels with a source) on imported gold are the answer itself, so they are never graded.
 */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { GOLD_GRADE } from './crowd.repository';

export interface GoldRow {
  comparisonId: string;
  promptId: string;
  promptText: string | null;
  firstId: string;
  firstText: string;
  firstSynthetic: boolean;
  secondId: string;
  secondText: string;
  secondSynthetic: boolean;
  answer: string;
  source: string;
  graded: number;
  correct: number;
}

export interface GoldPairInput {
  promptId: string;
  firstResponseId: string;
  secondResponseId: string;
  answer: string;
}

export interface SourceResponse {
  id: string;
  promptId: string;
  text: string;
}

const GOLD_COMPARISON_COLUMNS = Prisma.sql`(id, campaign_id, prompt_id, first_response_id, second_response_id, strategy,
  score, state, labels_required, completed_at, gold_response_id, gold_source)`;

@Injectable()
export class GoldRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(where: CampaignScoped<{ limit: number }>): Promise<GoldRow[]> {
    return this.prisma.$queryRaw<GoldRow[]>`
      SELECT c.id AS "comparisonId", p.id AS "promptId", p.text AS "promptText",
             fr.id AS "firstId", fr.text AS "firstText", fr.synthetic AS "firstSynthetic",
             sr.id AS "secondId", sr.text AS "secondText", sr.synthetic AS "secondSynthetic",
             c.gold_response_id AS answer, c.gold_source AS source,
             (SELECT count(*)::int FROM labels l WHERE l.comparison_id = c.id AND l.choice <> 'skip'
                AND l.source IS NULL) AS graded,
             (SELECT COALESCE(sum(${GOLD_GRADE}), 0)::int FROM labels l
                LEFT JOIN LATERAL (SELECT r.label_id, r.old_outcome FROM label_revisions r WHERE r.label_id = l.id
                                   ORDER BY r.created_at, r.id LIMIT 1) fr ON true
              WHERE l.comparison_id = c.id AND l.choice <> 'skip' AND l.source IS NULL) AS correct
      FROM comparisons c
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses fr ON fr.id = c.first_response_id
      JOIN responses sr ON sr.id = c.second_response_id
      WHERE c.campaign_id = ${where.campaignId}::uuid AND c.gold_response_id IS NOT NULL
      ORDER BY c.created_at DESC, c.id
      LIMIT ${where.limit}`;
  }

  /** Prompt and response ids by the import's external ids (responses of that prompt only). */
  async resolveExternal(
    where: CampaignScoped<{ promptIds: string[] }>,
  ): Promise<Map<string, { id: string; responses: Map<string, string> }>> {
    const rows = await this.prisma.$queryRaw<{ pExt: string; pId: string; rExt: string | null; rId: string | null }[]>`
      SELECT p.external_id AS "pExt", p.id AS "pId", r.external_id AS "rExt", r.id AS "rId"
      FROM prompts p LEFT JOIN responses r ON r.prompt_id = p.id AND NOT r.synthetic
      WHERE p.campaign_id = ${where.campaignId}::uuid AND p.external_id = ANY(${where.promptIds}::text[])`;
    const out = new Map<string, { id: string; responses: Map<string, string> }>();
    for (const row of rows) {
      const prompt = out.get(row.pExt) ?? { id: row.pId, responses: new Map<string, string>() };
      if (row.rExt !== null && row.rId !== null) prompt.responses.set(row.rExt, row.rId);
      out.set(row.pExt, prompt);
    }
    return out;
  }

  /** Inserts imported gold pairs in one statement (all or nothing). */
  async insertImported(where: CampaignScoped<{ pairs: readonly GoldPairInput[] }>): Promise<number> {
    if (where.pairs.length === 0) return 0;
    const col = (key: keyof GoldPairInput) => where.pairs.map((p) => p[key]);
    return this.prisma.$executeRaw`
      INSERT INTO comparisons ${GOLD_COMPARISON_COLUMNS}
      SELECT gen_random_uuid(), ${where.campaignId}::uuid, v.p, v.f, v.s, 'gold', 0, 'complete', 0, now(), v.a, 'imported'
      FROM unnest(${col('promptId')}::uuid[], ${col('firstResponseId')}::uuid[], ${col('secondResponseId')}::uuid[],
                  ${col('answer')}::uuid[]) AS v(p, f, s, a)`;
  }

  /**
   * Up to `limit` real responses with no generated gold yet, in an order hashed from the campaign
   * seed (deterministic, spread over prompts rather than the first ones imported).
   */
  sourceResponses(where: CampaignScoped<{ seed: number; limit: number }>): Promise<SourceResponse[]> {
    return this.prisma.$queryRaw<SourceResponse[]>`
      SELECT r.id, r.prompt_id AS "promptId", r.text FROM responses r
      WHERE r.campaign_id = ${where.campaignId}::uuid AND NOT r.synthetic
        AND NOT EXISTS (SELECT 1 FROM comparisons c WHERE c.campaign_id = r.campaign_id
                        AND c.first_response_id = r.id AND c.gold_source = 'generated')
      ORDER BY md5(${String(where.seed)} || ':' || r.id::text)
      LIMIT ${where.limit}`;
  }

  /**
   * Stores one degraded copy as a synthetic response (a negative ordinal, so it never collides with
   * imported ones) and the gold comparison original-vs-copy, in one statement. Returns the comparison id.
   */
  async insertGenerated(
    where: CampaignScoped<{ source: SourceResponse; copy: string; degradation: string }>,
  ): Promise<string> {
    const metadata = JSON.stringify({ degradation: where.degradation, sourceResponseId: where.source.id });
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH r AS (
        INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, metadata, featurized_at, synthetic)
        SELECT gen_random_uuid(), ${where.campaignId}::uuid, ${where.source.promptId}::uuid,
               LEAST(0, (SELECT min(ordinal) FROM responses WHERE prompt_id = ${where.source.promptId}::uuid)) - 1,
               ${where.copy}, ${metadata}::jsonb, now(), true
        RETURNING id)
      INSERT INTO comparisons ${GOLD_COMPARISON_COLUMNS}
      SELECT gen_random_uuid(), ${where.campaignId}::uuid, ${where.source.promptId}::uuid, ${where.source.id}::uuid,
             r.id, 'gold', 0, 'complete', 0, now(), ${where.source.id}::uuid, 'generated'
      FROM r
      RETURNING id`;
    return rows[0].id;
  }
}
