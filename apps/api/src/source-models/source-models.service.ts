/**
 * The source-model leaderboard: counts per model from the pair aggregates, win rates with Wilson
 * intervals, a Bradley–Terry rating with Laplace intervals (@borda/reward-model's
 * fitBradleyTerryRatings) and the head-to-head matrix. Everything is computed in the comparison's
 * own order (first/second), never in screen order.
 */
import { Injectable } from '@nestjs/common';
import type { RatingEstimate, SourceModelLeaderboard, SourceModelsQuery } from '@borda/api-contract';
import { fitBradleyTerryRatings, type PairOutcomeCount } from '@borda/reward-model';
import { wilson } from '../crowd/wilson';
import { type ModelPairRow, SourceModelsRepository } from './source-models.repository';

/** Prior precision of the ratings: sd ≈ 3.2 on the log-odds scale, enough to keep an unbeaten model finite. */
export const RATING_RIDGE = 0.1;

const ELO_SCALE = 400 / Math.LN10;

interface Tally {
  comparisons: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
}

/** The pure part: pair rows + response counts → the leaderboard (exported for tests of the arithmetic). */
export function buildLeaderboard(
  campaignId: string,
  query: SourceModelsQuery,
  pairs: readonly ModelPairRow[],
  responses: ReadonlyMap<string | null, number>,
): SourceModelLeaderboard {
  const names = new Set<string>();
  for (const [model] of responses) if (model !== null) names.add(model);
  for (const p of pairs) names.add(p.firstModel).add(p.secondModel);
  const models = [...names].sort();
  const index = new Map(models.map((m, i) => [m, i]));
  const k = models.length;
  const wins = models.map(() => new Array<number>(k).fill(0));
  const counts = models.map(() => new Array<number>(k).fill(0));
  const tally: Tally[] = models.map(() => ({ comparisons: 0, wins: 0, losses: 0, ties: 0, bothBad: 0 }));
  let judgments = 0;
  let bothBad = 0;
  for (const p of pairs) {
    const i = index.get(p.firstModel)!;
    const j = index.get(p.secondModel)!;
    const n = p.firstWins + p.secondWins + p.ties;
    judgments += n;
    bothBad += p.bothBad;
    wins[i][j] += p.firstWins + p.ties / 2;
    wins[j][i] += p.secondWins + p.ties / 2;
    counts[i][j] += n;
    counts[j][i] += n;
    for (const [side, won, lost] of [
      [i, p.firstWins, p.secondWins],
      [j, p.secondWins, p.firstWins],
    ] as const) {
      tally[side].comparisons += n;
      tally[side].wins += won;
      tally[side].losses += lost;
      tally[side].ties += p.ties;
      tally[side].bothBad += p.bothBad;
    }
  }
  const outcomes: PairOutcomeCount[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (counts[i][j] > 0) outcomes.push({ first: i, second: j, weight: counts[i][j], firstScore: wins[i][j] });
    }
  }
  const fit = fitBradleyTerryRatings(k, outcomes, { ridge: RATING_RIDGE });
  const estimate = (i: number, scale: number, offset: number): RatingEstimate => ({
    value: offset + scale * fit.ratings[i],
    low: offset + scale * fit.lower[i],
    high: offset + scale * fit.upper[i],
    standardError: scale * fit.standardErrors[i],
  });
  const order = models.map((_, i) => i).sort((a, b) => fit.ratings[b] - fit.ratings[a] || (a < b ? -1 : 1));
  return {
    campaignId,
    weights: query.weights,
    meta: query.meta,
    judgments,
    bothBad,
    responsesWithoutModel: responses.get(null) ?? 0,
    ridge: RATING_RIDGE,
    models: order.map((i, rank) => {
      const t = tally[i];
      // Wilson needs whole trials only for its interpretation; weighted counts give an approximate interval.
      return {
        model: models[i],
        responses: responses.get(models[i]) ?? 0,
        ...t,
        winRate: wilson(t.wins + t.ties / 2, t.comparisons),
        rating: estimate(i, 1, 0),
        elo: estimate(i, ELO_SCALE, 1000),
        rank: rank + 1,
      };
    }),
    headToHead: {
      models: order.map((i) => models[i]),
      wins: order.map((i) => order.map((j) => wins[i][j])),
      counts: order.map((i) => order.map((j) => counts[i][j])),
    },
  };
}

@Injectable()
export class SourceModelsService {
  constructor(private readonly repository: SourceModelsRepository) {}

  async leaderboard(campaignId: string, query: SourceModelsQuery): Promise<SourceModelLeaderboard> {
    const filter = { campaignId, meta: query.meta, reliability: query.weights === 'reliability' };
    const [pairs, responses] = await Promise.all([this.repository.pairs(filter), this.repository.responses(filter)]);
    return buildLeaderboard(campaignId, query, pairs, new Map(responses.map((r) => [r.model, r.responses])));
  }
}
