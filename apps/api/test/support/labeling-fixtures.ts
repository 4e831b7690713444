/**
 * Seeds an active campaign ready for labeling straight into the database (SQL, no routes), so the
 * labeling tests and the labeling benchmark do not depend on the campaign and import routes.
 * Comparisons go round-robin over the prompts (comparison n: prompt n mod P, responses j and j+1
 * of it), in `position` order n.
 */
import type { Pool } from 'pg';

export interface SeedLabelingOptions {
  ownerId: string;
  labelerIds?: string[];
  prompts?: number;
  responsesPerPrompt?: number;
  comparisons?: number;
  /** labels_required of every comparison (campaign.redundancy). */
  redundancy?: number;
  budget?: number;
  leaseSeconds?: number;
  bufferSize?: number;
  retrainEvery?: number;
  status?: 'draft' | 'active' | 'paused' | 'completed';
}

export interface SeededCampaign {
  campaignId: string;
  promptIds: string[];
  /** In leasing (position) order. */
  comparisonIds: string[];
}

export async function seedLabelingCampaign(
  target: { db: Pool },
  options: SeedLabelingOptions,
): Promise<SeededCampaign> {
  const db = target.db;
  const prompts = options.prompts ?? 4;
  const perPrompt = options.responsesPerPrompt ?? 2;
  const comparisons = options.comparisons ?? prompts;
  const redundancy = options.redundancy ?? 1;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO campaigns (id, owner_id, name, status, strategy, model_kind, budget, redundancy, buffer_size,
                            lease_seconds, retrain_every, updated_at, started_at)
     VALUES (gen_random_uuid(), $1, 'labeling fixture', $2, 'seed', 'auto', $3, $4, $5, $6, $7, now(), now())
     RETURNING id`,
    [
      options.ownerId,
      options.status ?? 'active',
      options.budget ?? 1_000_000,
      redundancy,
      options.bufferSize ?? 32,
      options.leaseSeconds ?? 300,
      options.retrainEvery ?? 1_000_000,
    ],
  );
  const campaignId = rows[0].id;
  if (options.labelerIds?.length) {
    await db.query('INSERT INTO campaign_labelers (campaign_id, user_id) SELECT $1, unnest($2::uuid[])', [
      campaignId,
      options.labelerIds,
    ]);
  }
  const promptRows = await db.query<{ id: string }>(
    `INSERT INTO prompts (id, campaign_id, external_id, ordinal, text)
     SELECT gen_random_uuid(), $1, 'p' || g, g, 'Prompt ' || g || ': which answer is better?'
     FROM generate_series(0, $2 - 1) g ORDER BY g RETURNING id`,
    [campaignId, prompts],
  );
  await db.query(
    `INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, source_model)
     SELECT gen_random_uuid(), $1, p.id, r, 'Response ' || r || ' to prompt ' || p.ordinal, 'secret-model-' || r
     FROM prompts p CROSS JOIN generate_series(0, $2 - 1) r WHERE p.campaign_id = $1`,
    [campaignId, perPrompt],
  );
  await db.query(
    `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score,
                              labels_required)
     SELECT gen_random_uuid(), $1, p.id, r1.id, r2.id, 'seed', 0, $5
     FROM generate_series(0, $2 - 1) n
     JOIN prompts p ON p.campaign_id = $1 AND p.ordinal = n % $3
     JOIN responses r1 ON r1.prompt_id = p.id AND r1.ordinal = (n / $3) % $4
     JOIN responses r2 ON r2.prompt_id = p.id AND r2.ordinal = (n / $3 + 1) % $4
     ORDER BY n`,
    [campaignId, comparisons, prompts, perPrompt, redundancy],
  );
  await db.query('UPDATE campaigns SET prompt_count = $2, response_count = $3 WHERE id = $1', [
    campaignId,
    prompts,
    prompts * perPrompt,
  ]);
  const comparisonRows = await db.query<{ id: string }>(
    'SELECT id FROM comparisons WHERE campaign_id = $1 ORDER BY position',
    [campaignId],
  );
  return {
    campaignId,
    promptIds: promptRows.rows.map((r) => r.id),
    comparisonIds: comparisonRows.rows.map((r) => r.id),
  };
}
