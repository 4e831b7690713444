/**
 * A campaign's candidate set (every selectable (prompt, response) arm) in the layout the learning
 * libraries take, plus the ids that map candidate indices back to database rows.
 *
 * Only featurized prompts with at least two featurized responses are selectable; prompt k of the
 * set is the k-th such prompt by ordinal, its responses in ordinal order. Rows are the joint
 * features [p, r, p ⊙ r] (width 3·dim) in float32.
 */
import type { CandidateSet } from '@borda/dueling-bandit';
import { markImmutable } from '@borda/numeric';
import { jointFeatures } from '@borda/reward-model';
import { decodeEmbedding } from './embeddings';

export interface PromptRow {
  readonly id: string;
  readonly embedding: Uint8Array;
}

export interface ResponseRow {
  readonly id: string;
  readonly promptId: string;
  readonly ordinal: number;
  readonly embedding: Uint8Array;
  readonly referenceLogprob: number | null;
}

export interface CampaignCandidates extends CandidateSet {
  /** What the set was built from (see CandidateCache). */
  readonly revision: string;
  readonly dimension: number;
  /** Database id of candidate prompt k. */
  readonly promptIds: readonly string[];
  /** Database id and ordinal of candidate row r. */
  readonly responseIds: readonly string[];
  readonly responseOrdinals: Int32Array;
  /** log π_ref per row, NaN where the import gave none. */
  readonly referenceLogprobs: Float64Array;
  readonly rowOfResponse: ReadonlyMap<string, number>;
  readonly indexOfPrompt: ReadonlyMap<string, number>;
}

/**
 * Builds the set from prompts (ordinal order) and responses (grouped by prompt in that order, then
 * by ordinal); rows of prompts that are not selectable are skipped.
 */
export function buildCandidates(
  prompts: readonly PromptRow[],
  responses: readonly ResponseRow[],
  dimension: number,
  revision: string,
): CampaignCandidates {
  const byPrompt = new Map<string, ResponseRow[]>();
  for (const r of responses) {
    let list = byPrompt.get(r.promptId);
    if (!list) byPrompt.set(r.promptId, (list = []));
    list.push(r);
  }
  const promptIds: string[] = [];
  const promptVectors: Float32Array[] = [];
  const responseVectors: Float32Array[][] = [];
  const responseIds: string[] = [];
  const ordinals: number[] = [];
  const refs: number[] = [];
  for (const p of prompts) {
    const list = byPrompt.get(p.id);
    if (!list || list.length < 2) continue;
    list.sort((a, b) => a.ordinal - b.ordinal);
    promptIds.push(p.id);
    promptVectors.push(decodeEmbedding(p.embedding, dimension, `prompt ${p.id} embedding`));
    responseVectors.push(list.map((r) => decodeEmbedding(r.embedding, dimension, `response ${r.id} embedding`)));
    for (const r of list) {
      responseIds.push(r.id);
      ordinals.push(r.ordinal);
      refs.push(r.referenceLogprob ?? NaN);
    }
  }
  const joint =
    promptIds.length > 0
      ? jointFeatures(promptVectors, responseVectors, { precision: 'float32' })
      : { features: { rows: 0, cols: 3 * dimension, data: new Float32Array(0) }, offsets: new Int32Array(1) };
  return {
    // Never written after this: feature maps may keep what they derive from it (markImmutable).
    features: markImmutable(joint.features),
    offsets: joint.offsets,
    revision,
    dimension,
    promptIds,
    responseIds,
    responseOrdinals: Int32Array.from(ordinals),
    referenceLogprobs: Float64Array.from(refs),
    rowOfResponse: new Map(responseIds.map((id, i) => [id, i])),
    indexOfPrompt: new Map(promptIds.map((id, i) => [id, i])),
  };
}

/** Copies candidate row `row` (e.g. to build an observation). */
export function candidateRow(candidates: CandidateSet, row: number): Float64Array {
  const { cols, data } = candidates.features;
  return Float64Array.from(data.subarray(row * cols, (row + 1) * cols));
}

/**
 * Candidate sets per campaign, kept in the worker process: a 100k × 8 campaign is read from Postgres
 * once per featurization revision, not on every selection. Least recently used sets are dropped
 * beyond `capacity` campaigns.
 */
export class CandidateCache {
  private readonly entries = new Map<string, CampaignCandidates>();
  private readonly loading = new Map<string, Promise<CampaignCandidates>>();

  constructor(private readonly capacity = 4) {}

  async get(
    campaignId: string,
    revision: string,
    load: () => Promise<CampaignCandidates>,
  ): Promise<CampaignCandidates> {
    const hit = this.entries.get(campaignId);
    if (hit && hit.revision === revision) {
      this.entries.delete(campaignId);
      this.entries.set(campaignId, hit);
      return hit;
    }
    const key = `${campaignId}@${revision}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    const built = await pending;
    this.entries.delete(campaignId);
    this.entries.set(campaignId, built);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return built;
  }
}
