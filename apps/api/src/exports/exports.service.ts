/**
 * The export line sources: async generators that read one keyset batch at a time and yield its
 * lines (objects), so memory stays at one batch whatever the campaign's size; the controller writes
 * each batch as JSONL or as one Parquet row group. The mapping rules (what ties, both-bad and skips
 * become) are documented in formats.ts.
 */
import { Injectable } from '@nestjs/common';
import type { PolicyKind } from '@borda/api-contract';
import { AppError } from '../errors/app-error';
import { ExportsRepository, type LabelCursor } from './exports.repository';
import {
  type PreferenceFormat,
  type PreferencePair,
  bestOfNLine,
  ktoLines,
  pairFromLabel,
  pairFromConsensus,
  pairFromVotes,
  type ExportAggregate,
  type PreferenceLineOptions,
  preferenceLine,
  rawLine,
} from './formats';

/** Rows per database read. */
export const EXPORT_BATCH = 1000;

/** One batch of export lines (one database read). */
export type ExportChunk = readonly object[];

const chunk = (values: readonly object[]): ExportChunk => values;

@Injectable()
export class ExportsService {
  constructor(private readonly repository: ExportsRepository) {}

  /** Every stored label (judgments, ties, both-bad and skips), oldest first. */
  async *raw(campaignId: string): AsyncGenerator<ExportChunk> {
    let after: LabelCursor | undefined;
    for (;;) {
      const rows = await this.repository.labels({ campaignId, after, limit: EXPORT_BATCH, decisiveOnly: false });
      if (rows.length > 0) yield chunk(rows.map(rawLine));
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursorAt, id: last.id };
    }
  }

  /** Preference pairs: one per decisive judgment, or one per comparison's majority (splits dropped). */
  async *preferences(
    campaignId: string,
    format: PreferenceFormat,
    options: PreferenceLineOptions & { aggregate: ExportAggregate },
  ): AsyncGenerator<ExportChunk> {
    const emit = (pairs: (PreferencePair | null)[]) =>
      chunk(pairs.filter((p): p is PreferencePair => p !== null).map((p) => preferenceLine(format, p, options)));
    if (options.aggregate !== 'none') {
      const pairOf = options.aggregate === 'majority' ? pairFromVotes : pairFromConsensus;
      let after: string | undefined;
      for (;;) {
        const rows = await this.repository.votes({ campaignId, after, limit: EXPORT_BATCH });
        if (rows.length > 0) yield emit(rows.map(pairOf));
        if (rows.length < EXPORT_BATCH) return;
        after = rows[rows.length - 1].comparisonId;
      }
    }
    let after: LabelCursor | undefined;
    for (;;) {
      const rows = await this.repository.labels({ campaignId, after, limit: EXPORT_BATCH, decisiveOnly: true });
      if (rows.length > 0) yield emit(rows.map(pairFromLabel));
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursorAt, id: last.id };
    }
  }

  /** KTO lines: two per A/B or both_bad judgment (see formats.ts), in storage order. */
  async *kto(campaignId: string, options: { models: boolean }): AsyncGenerator<ExportChunk> {
    let after: LabelCursor | undefined;
    for (;;) {
      const rows = await this.repository.labels({
        campaignId,
        after,
        limit: EXPORT_BATCH,
        decisiveOnly: true,
        withBothBad: true,
      });
      const lines = rows.flatMap((r) => ktoLines(r, options.models));
      if (lines.length > 0) yield chunk(lines);
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursorAt, id: last.id };
    }
  }

  /**
   * Checks that a policy exists before any byte is sent (so the client gets a 409, not an empty
   * file), then returns the SFT line source: the newest policy version's pick per prompt.
   */
  async bestOfN(campaignId: string, policy: PolicyKind, models = false): Promise<AsyncGenerator<ExportChunk>> {
    const version = await this.repository.latestPolicy({ campaignId });
    if (!version) throw new AppError('NO_MODEL_YET', 'no policy has been fitted for this campaign yet');
    if (policy === 'dpo' && !(await this.repository.hasDpoPicks({ campaignId, policyVersionId: version.id }))) {
      throw new AppError(
        'CONFLICT',
        `policy version ${version.version} has no DPO policy (the import carried no reference log-probabilities)`,
      );
    }
    const repository = this.repository;
    return (async function* () {
      let after: number | undefined;
      for (;;) {
        const rows = await repository.policyPicks({
          campaignId,
          policyVersionId: version.id,
          policy,
          after,
          limit: EXPORT_BATCH,
        });
        if (rows.length > 0) {
          yield chunk(
            rows.map((r) =>
              bestOfNLine(r.promptText, r.promptMessages, r.responseText, models ? r.responseModel : undefined),
            ),
          );
        }
        if (rows.length < EXPORT_BATCH) return;
        after = rows[rows.length - 1].ordinal;
      }
    })();
  }
}
