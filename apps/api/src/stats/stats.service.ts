/**
 * The researcher dashboard: labels over time, per-labeler throughput, position bias and
 * agreement. Postgres aggregates (stats.repository.ts); this turns counts into rates. Outcomes are
 * compared in the comparison's own order (first, second, tie, both bad), never in screen order:
 * sides are randomised per labeler, so two labelers who agree may well have pressed different keys.
 */
import { Injectable } from '@nestjs/common';
import type { AgreementStats, CampaignStats, LabelerStats, StatsBucket, StatsQuery } from '@borda/api-contract';
import { AppError } from '../errors/app-error';
import {
  type AgreementRow,
  type LabelerAgreementRow,
  type LabelerRow,
  type LabelSpanRow,
  StatsRepository,
} from './stats.repository';

/** Hourly buckets while the labels span less than this; daily ones after (a chart of ≤ 72 hourly points). */
export const HOURLY_SPAN_MS = 3 * 24 * 3600 * 1000;

export function defaultBucket(span: LabelSpanRow): StatsBucket {
  if (!span.first || !span.last) return 'hour';
  return span.last.getTime() - span.first.getTime() < HOURLY_SPAN_MS ? 'hour' : 'day';
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** (left − n/2) / √(n/4): the left count's distance from a fair coin's, in standard deviations. */
export function leftBiasZ(left: number, decisive: number): number | null {
  return decisive > 0 ? (left - decisive / 2) / Math.sqrt(decisive / 4) : null;
}

/**
 * Observed agreement over pairs, and kappa = (rate − Pe) / (1 − Pe) with Pe = Σ p_c² over the
 * pooled outcome shares of the judgments in paired comparisons (Fleiss' chance agreement). Kappa is
 * undefined without pairs, or when every such judgment has the same outcome (Pe = 1).
 */
export function agreementStats(row: AgreementRow): AgreementStats {
  const rate = ratio(row.agreeingPairs, row.pairs);
  const counts = [row.first, row.second, row.tie, row.bothBad];
  const total = counts.reduce((a, b) => a + b, 0);
  const chance = total > 0 ? counts.reduce((sum, n) => sum + (n / total) ** 2, 0) : 1;
  const kappa = rate === null || chance >= 1 - 1e-12 ? null : (rate - chance) / (1 - chance);
  return { comparisons: row.comparisons, pairs: row.pairs, agreeingPairs: row.agreeingPairs, rate, kappa };
}

function labelerStats(row: LabelerRow, agreement: LabelerAgreementRow | undefined): LabelerStats {
  return {
    labelerId: row.labelerId,
    name: row.name,
    email: row.email,
    labels: row.labels,
    labelsToday: row.labelsToday,
    skips: row.skips,
    ties: row.ties,
    bothBad: row.bothBad,
    decisive: row.decisive,
    leftRate: ratio(row.leftPicks, row.decisive),
    leftBiasZ: leftBiasZ(row.leftPicks, row.decisive),
    medianTimeMs: row.medianTimeMs,
    p90TimeMs: row.p90TimeMs,
    agreement: agreement ? ratio(agreement.agreeingPairs, agreement.pairs) : null,
    lastLabelAt: row.lastLabelAt?.toISOString() ?? null,
  };
}

@Injectable()
export class StatsService {
  constructor(private readonly repository: StatsRepository) {}

  async campaignStats(campaignId: string, query: StatsQuery): Promise<CampaignStats> {
    const bucket = query.bucket ?? defaultBucket(await this.repository.labelSpan({ campaignId }));
    const snapshot = await this.repository.snapshot({ campaignId, bucket });
    if (!snapshot.counters) throw AppError.notFound('campaign', campaignId);
    const agreementOf = new Map(snapshot.labelerAgreement.map((a) => [a.labelerId, a]));
    return {
      campaignId,
      generatedAt: new Date().toISOString(),
      bucket,
      budget: { used: snapshot.counters.labelCount, total: snapshot.counters.budget },
      labelsOverTime: snapshot.buckets.map((b) => ({
        start: b.start.toISOString(),
        labels: b.labels,
        skips: b.skips,
        cumulative: b.cumulative,
      })),
      labelers: snapshot.labelers.map((row) => labelerStats(row, agreementOf.get(row.labelerId))),
      agreement: agreementStats(snapshot.agreement),
      liveLeases: snapshot.counters.liveLeases,
    };
  }
}
