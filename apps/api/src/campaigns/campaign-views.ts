/** Row → response shapes of the campaigns routes (dates as ISO strings, model kind as `model`). */
import {
  parseAspects,
  type CampaignCounts,
  type CampaignStatusName,
  type CampaignView,
  type JobRunView,
  type LabelerCampaignView,
} from '@borda/api-contract';
import type { Campaign, JobRun } from '../database';
import { labelerCounts, type LabelerWorkRow } from '../labeling/labeler-work.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function campaignView(
  c: Campaign,
  extra: { counts?: CampaignCounts; labelerIds?: string[] } = {},
): CampaignView {
  return {
    id: c.id,
    ownerId: c.ownerId,
    name: c.name,
    description: c.description,
    guidelines: c.guidelines,
    status: c.status as CampaignStatusName,
    strategy: c.strategy,
    strategyOptions: c.strategyOptions as Record<string, unknown>,
    model: c.modelKind,
    modelOptions: c.modelOptions as Record<string, unknown>,
    budget: c.budget,
    redundancy: c.redundancy,
    judgmentMode: c.judgmentMode as 'pairwise' | 'ranking',
    rankSize: c.rankSize,
    retrainEvery: c.retrainEvery,
    batchSize: c.batchSize,
    bufferSize: c.bufferSize,
    leaseSeconds: c.leaseSeconds,
    yardstickShare: c.yardstickShare,
    goldRate: c.goldRate,
    goldFeedback: c.goldFeedback,
    undoWindowSeconds: c.undoWindowSeconds,
    splitExtraCap: c.splitExtraCap,
    extraJudgmentCap: c.extraJudgmentCap,
    minLabelerAccuracy: c.minLabelerAccuracy,
    autoPauseFlagged: c.autoPauseFlagged,
    featureSource: c.featureSource as 'text' | 'embedding',
    featureDim: c.featureDim,
    seed: c.seed,
    labelCount: c.labelCount,
    promptCount: c.promptCount,
    responseCount: c.responseCount,
    budgetUsed: c.budget > 0 ? c.labelCount / c.budget : 0,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    startedAt: iso(c.startedAt),
    completedAt: iso(c.completedAt),
    haltedReason: c.haltedReason,
    aspects: parseAspects(c.aspects),
    trainingAspect: c.trainingAspect,
    ...extra,
  };
}

/** `mine`: the labeler's counts (labeler-work.repository.ts), the same the comparison page's progress shows. */
export function labelerCampaignView(c: Campaign, mine: LabelerWorkRow): LabelerCampaignView {
  const aspects = parseAspects(c.aspects);
  return {
    id: c.id,
    name: c.name,
    guidelines: c.guidelines,
    status: c.status as CampaignStatusName,
    ...(aspects.length > 0 ? { aspects } : {}),
    progress: {
      labelCount: mine.labelCount,
      budget: mine.budget,
      remaining: labelerCounts(mine).remaining,
      done: mine.doneTotal,
    },
  };
}

export function jobRunView(r: JobRun): JobRunView {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    progress: r.progress,
    attempts: r.attempts,
    error: r.error,
    result: r.result,
    queuedAt: r.queuedAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}
