/**
 * Response bodies of the remaining JSON routes (accounts, crowd, gold, review, stats, catalog,
 * simulations, flags, source models, browse, guidelines, health, prompts, audit): declared in the
 * OpenAPI document by apps/api/src/openapi-responses.ts, like responses.ts for the main routes.
 * Where a TS interface already describes the body, the checks at the bottom fail to compile when it
 * gains or changes a field the schema does not describe; deep parts the console reads as a whole
 * (simulation results, audit details, prompt metadata) are left unknown here.
 */
import { z } from 'zod';
import { inviteDryRunSchema, inviteResultSchema } from './accounts';
import { ROLES, type SessionView } from './auth';
import type { BrowseComparison, BrowseFacets, BrowsePage } from './browse';
import type { CampaignLabelerView, Page, PromptView } from './campaigns';
import type { ContentFlagList } from './content-flags';
import type { CrowdLabelerView, GoldSummary, ReviewItem } from './crowd';
import { labelViewSchema, type LabelerProgress, type ReviseResponse, submitResponseSchema } from './labeling';
import type { PolicyPromptDetail } from './models';
import { createSimulationSchema, type SimulationView } from './simulations';
import type { SourceModelLeaderboard } from './source-models';
import type { CampaignStats, CatalogResponse } from './stats';

const int = z.number().int();
const nullableNumber = z.number().nullable();
const when = z.string();
const role = z.enum(ROLES);

// ---- auth and accounts ----
export const sessionListSchema = z.array(
  z.object({ id: z.string(), createdAt: when, expiresAt: when, client: z.string().nullable(), current: z.boolean() }),
);
export const revokedSessionsSchema = z.object({ revoked: int });
export const meResponseSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string(), role });
export const tokenCreatedSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  token: z.string(),
  expiresAt: when.nullable(),
});
export const tokenListSchema = z.array(
  z.object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    createdAt: when,
    lastUsedAt: when.nullable(),
    expiresAt: when.nullable(),
    revokedAt: when.nullable(),
  }),
);
/** POST /users/invitations: the dry run (200) or the accounts made (201). */
export const inviteResponseSchema = z.union([inviteDryRunSchema, inviteResultSchema]);

// ---- campaigns: labelers, prompts, retrain, audit ----
export const campaignLabelerListSchema = z.array(
  z.object({ id: z.uuid(), email: z.string(), name: z.string(), assignedAt: when }),
);
const responseViewSchema = z.object({
  id: z.uuid(),
  ordinal: int,
  externalId: z.string().nullable(),
  text: z.string(),
  sourceModel: z.string().nullable(),
  referenceLogprob: nullableNumber,
  metadata: z.unknown(),
});
const promptViewSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  ordinal: int,
  text: z.string().nullable(),
  messages: z.unknown(),
  metadata: z.unknown(),
  featurized: z.boolean(),
  responses: z.array(responseViewSchema),
});
export const promptPageSchema = z.object({ items: z.array(promptViewSchema), nextCursor: z.string().nullable() });
export const retrainResponseSchema = z.object({ queued: z.literal(true), labelCount: int });
export const auditListSchema = z.array(
  z.object({
    id: int,
    campaignId: z.uuid().nullable(),
    actorId: z.uuid().nullable(),
    action: z.string(),
    details: z.unknown(),
    createdAt: when,
  }),
);

// ---- labeling ----
export const labelerProgressSchema = z.object({
  campaignId: z.uuid(),
  remaining: int,
  leased: int,
  waitReason: z.string().nullable(),
  doneToday: int,
  doneTotal: int,
  skippedTotal: int,
  budget: z.object({ used: int, total: int }),
});
/** POST /assignments/:id/flag: the skip it stored (as from skip) and the flag's id. */
export const flagResponseSchema = z.object({ ...submitResponseSchema.unwrap().shape, flagId: z.uuid() });
export const reviseResponseSchema = z.object({
  label: labelViewSchema,
  revision: z.object({ id: z.uuid(), oldChoice: z.string(), newChoice: z.string(), createdAt: when }),
  duplicate: z.boolean(),
});

// ---- crowd, gold, review ----
const rateIntervalSchema = z.object({
  successes: z.number(),
  trials: z.number(),
  rate: nullableNumber,
  low: z.number(),
  high: z.number(),
});
export const crowdLabelerListSchema = z.array(
  z.object({
    labelerId: z.uuid(),
    name: z.string(),
    email: z.string(),
    judgments: int,
    goldAccuracy: rateIntervalSchema,
    labelsExcluded: z.boolean(),
    paused: z.boolean(),
    reason: z.string().nullable(),
    /** LabelerReliabilityView (crowd.ts) at the newest model version. */
    reliability: z.object({ modelVersion: int, flagged: z.boolean() }).nullable().optional(),
  }),
);
export const labelerActionResponseSchema = z.object({
  labelerId: z.uuid(),
  labelsExcluded: z.boolean(),
  paused: z.boolean(),
});
const goldSideSchema = z.object({ id: z.uuid(), text: z.string(), synthetic: z.boolean() });
export const goldSummarySchema = z.object({
  goldRate: z.number(),
  goldFeedback: z.boolean(),
  comparisons: z.array(
    z.object({
      comparisonId: z.uuid(),
      promptId: z.uuid(),
      promptText: z.string().nullable(),
      first: goldSideSchema,
      second: goldSideSchema,
      answer: z.uuid(),
      source: z.string(),
      graded: int,
      correct: int,
    }),
  ),
});
export const goldAnswerSchema = z.object({
  comparisonId: z.uuid(),
  answer: z.uuid(),
  source: z.enum(['marked', 'review']),
});
const sideSchema = z.object({ id: z.uuid(), text: z.string() });
export const reviewListSchema = z.array(
  z.object({
    comparisonId: z.uuid(),
    promptText: z.string().nullable(),
    promptMessages: z.array(z.unknown()).nullable(),
    first: sideSchema,
    second: sideSchema,
    votesFirst: int,
    votesSecond: int,
    judgments: int,
    splitExtras: int,
  }),
);

// ---- content flags ----
export const contentFlagListSchema = z.object({
  flags: z.array(
    z.object({
      id: z.uuid(),
      comparisonId: z.uuid(),
      labeler: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
      note: z.string().nullable(),
      createdAt: when,
      resolvedAt: when.nullable(),
      resolution: z.string().nullable(),
      prompt: z.object({ text: z.string().nullable(), messages: z.array(z.unknown()).nullable() }),
      first: sideSchema,
      second: sideSchema,
    }),
  ),
  openCount: int,
});

// ---- stats, catalog, source models ----
export const campaignStatsSchema = z.object({
  campaignId: z.uuid(),
  generatedAt: when,
  bucket: z.string(),
  budget: z.object({ used: int, total: int }),
  labelsOverTime: z.array(z.object({ start: when, labels: int, skips: int, cumulative: int })),
  /** LabelerStats (stats.ts): counts, left bias, times and agreement per labeler. */
  labelers: z.array(z.object({ labelerId: z.uuid(), name: z.string(), labels: int })),
  agreement: z.object({
    comparisons: int,
    pairs: int,
    agreeingPairs: int,
    rate: nullableNumber,
    kappa: nullableNumber,
  }),
  liveLeases: int,
});
export const catalogResponseSchema = z.object({
  strategies: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      defaultModel: z.string(),
      compatibleModels: z.array(z.string()),
    }),
  ),
  environments: z.array(z.object({ name: z.string(), description: z.string() })),
  models: z.array(z.string()),
  exportFormats: z.array(z.string()),
});
const ratingSchema = z.object({ value: z.number(), low: z.number(), high: z.number(), standardError: z.number() });
export const sourceModelLeaderboardSchema = z.object({
  campaignId: z.uuid(),
  weights: z.enum(['none', 'reliability']),
  meta: z.record(z.string(), z.string()),
  judgments: z.number(),
  bothBad: z.number(),
  responsesWithoutModel: int,
  ridge: z.number(),
  models: z.array(
    z.object({
      model: z.string(),
      responses: int,
      comparisons: z.number(),
      wins: z.number(),
      losses: z.number(),
      ties: z.number(),
      bothBad: z.number(),
      winRate: rateIntervalSchema,
      rating: ratingSchema,
      elo: ratingSchema,
      rank: int,
    }),
  ),
  headToHead: z.object({
    models: z.array(z.string()),
    wins: z.array(z.array(z.number())),
    counts: z.array(z.array(z.number())),
  }),
});

// ---- policy prompt detail ----
export const policyPromptDetailSchema = z.object({
  policy: z.object({ version: int, modelVersion: int }),
  prompt: z.object({
    id: z.uuid(),
    externalId: z.string(),
    text: z.string().nullable(),
    messages: z.unknown(),
    metadata: z.unknown(),
  }),
  /** PolicyResponseScore (models.ts) with the text and rank, best posterior mean first. */
  responses: z.array(z.object({ text: z.string(), rank: int })),
  picks: z.object({ greedy: z.uuid(), pessimistic: z.uuid(), soft: z.uuid(), dpo: z.uuid().nullable() }),
  confidence: z.number(),
  gap: z.number(),
  /** PolicyPromptComparison (models.ts) with every label, newest first. */
  comparisons: z.array(z.object({ id: z.uuid(), labels: z.array(z.unknown()) })),
});

// ---- simulations ----
export const simulationViewSchema = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  state: z.string(),
  progress: z.number(),
  config: createSimulationSchema,
  error: z.string().nullable(),
  createdAt: when,
  finishedAt: when.nullable(),
  /** SimulationResultView (simulations.ts), only in GET /simulations/:id once completed. */
  result: z.object({ wallTimeMs: z.number() }).nullable().optional(),
});
export const simulationPageSchema = z.object({
  items: z.array(simulationViewSchema),
  nextCursor: z.string().nullable(),
});

// ---- browse, guidelines, health ----
/** BrowseRow, BrowseLabel (browse.ts): each row's comparison, prompt excerpt and labels. */
export const browsePageSchema = z.object({
  rows: z.array(z.object({ id: z.uuid() })),
  nextCursor: z.string().nullable(),
});
export const browseFacetsSchema = z.object({
  comparisons: int,
  labelers: z.array(z.object({ labels: int })),
  models: z.array(z.object({ model: z.string(), responses: int })),
  metadata: z.array(
    z.object({ key: z.string(), prompts: int, values: z.array(z.object({ value: z.string(), prompts: int })) }),
  ),
});
const browseResponseSchema = z.object({ id: z.uuid(), text: z.string(), sourceModel: z.string().nullable() });
export const browseComparisonSchema = z.object({
  id: z.uuid(),
  state: z.string(),
  strategy: z.string(),
  gold: z.boolean(),
  yardstick: z.boolean(),
  prompt: z.object({
    id: z.uuid(),
    externalId: z.string(),
    text: z.string().nullable(),
    messages: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
  }),
  first: browseResponseSchema,
  second: browseResponseSchema,
  shownFor: z.string().nullable(),
  left: browseResponseSchema,
  right: browseResponseSchema,
  labels: z.array(z.object({ id: z.uuid() })),
});
export const guidelinesAckResponseSchema = z.object({ version: int });
export const healthResponseSchema = z.object({ status: z.enum(['ok', 'degraded']) });
const healthCheckSchema = z.object({
  status: z.enum(['ok', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export const healthDetailsSchema = z.object({
  status: z.string(),
  checks: z.object({ database: healthCheckSchema, redis: healthCheckSchema }),
});

// ---- Compile-time: every value of the interface is a value of the schema (fails when they drift). ----
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends Record<string, unknown>
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type Covers<Schema extends z.ZodType, T> = [T] extends [DeepReadonly<z.infer<Schema>>]
  ? [Exclude<keyof T, keyof z.infer<Schema>>] extends [never]
    ? true
    : never
  : never;
type Item<S extends z.ZodType> = z.infer<S> extends readonly (infer U)[] ? z.ZodType<U> : never;
const covered: true[] = [
  true satisfies Covers<Item<typeof sessionListSchema>, SessionView>,
  true satisfies Covers<Item<typeof campaignLabelerListSchema>, CampaignLabelerView>,
  true satisfies Covers<typeof promptPageSchema, Page<PromptView>>,
  true satisfies Covers<typeof labelerProgressSchema, LabelerProgress>,
  true satisfies Covers<typeof reviseResponseSchema, ReviseResponse>,
  true satisfies Covers<Item<typeof crowdLabelerListSchema>, CrowdLabelerView>,
  true satisfies Covers<typeof goldSummarySchema, GoldSummary>,
  true satisfies Covers<Item<typeof reviewListSchema>, ReviewItem>,
  true satisfies Covers<typeof contentFlagListSchema, ContentFlagList>,
  true satisfies Covers<typeof campaignStatsSchema, CampaignStats>,
  true satisfies Covers<typeof catalogResponseSchema, CatalogResponse>,
  true satisfies Covers<typeof sourceModelLeaderboardSchema, SourceModelLeaderboard>,
  true satisfies Covers<typeof policyPromptDetailSchema, PolicyPromptDetail>,
  true satisfies Covers<typeof simulationViewSchema, SimulationView>,
  true satisfies Covers<typeof browsePageSchema, BrowsePage>,
  true satisfies Covers<typeof browseFacetsSchema, BrowseFacets>,
  true satisfies Covers<typeof browseComparisonSchema, BrowseComparison>,
];
void covered;
