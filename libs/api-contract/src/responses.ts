/**
 * Response bodies of the main routes as zod schemas: the API's OpenAPI document declares them
 * (apps/api/src/openapi-responses.ts) and clients may validate with them. The TS interfaces beside
 * them (campaigns.ts, labeling.ts, models.ts, auth.ts) stay the types the code uses; the checks at the
 * bottom fail to compile when an interface gains or changes a field the schema does not describe.
 * Deep metric objects name their headline fields only; the interfaces document the rest.
 */
import { z } from 'zod';
import type { LoginResponse, UserView } from './auth';
import {
  CAMPAIGN_STATUSES,
  type CampaignView,
  type ImportReport,
  type ImportResult,
  type LabelerCampaignView,
} from './campaigns';
import type { NextResponse, SubmitResponse } from './labeling';
import type { ModelVersionDetail, ModelVersionSummary, PolicyPage } from './models';
import type { Page } from './campaigns';

const record = z.record(z.string(), z.unknown());
const nullableNumber = z.number().nullable();

export const campaignViewSchema = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  name: z.string(),
  description: z.string(),
  guidelines: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  strategy: z.string(),
  strategyOptions: record,
  model: z.string(),
  modelOptions: record,
  budget: z.number().int(),
  redundancy: z.number().int(),
  retrainEvery: z.number().int(),
  batchSize: z.number().int(),
  bufferSize: z.number().int(),
  leaseSeconds: z.number().int(),
  yardstickShare: z.number(),
  goldRate: z.number().optional(),
  goldFeedback: z.boolean().optional(),
  undoWindowSeconds: z.number().int().optional(),
  splitExtraCap: z.number().int().optional(),
  extraJudgmentCap: z.number().int().optional(),
  minLabelerAccuracy: z.number().optional(),
  autoPauseFlagged: z.boolean().optional(),
  featureSource: z.enum(['text', 'embedding']),
  featureDim: z.number().int(),
  seed: z.number().int(),
  labelCount: z.number().int(),
  promptCount: z.number().int(),
  responseCount: z.number().int(),
  budgetUsed: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  haltedReason: z.string().nullable(),
  counts: z
    .object({
      prompts: z.number().int(),
      responses: z.number().int(),
      comparisons: z.object({ open: z.number().int(), complete: z.number().int(), cancelled: z.number().int() }),
      labels: z.number().int(),
      skips: z.number().int(),
    })
    .optional(),
  labelerIds: z.array(z.uuid()).optional(),
});

export const labelerCampaignViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  guidelines: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  progress: z.object({
    labelCount: z.number().int(),
    budget: z.number().int(),
    remaining: z.number().int(),
    done: z.number().int(),
  }),
});

/** GET /campaigns: full views for researchers and admins, the labeler view for labelers. */
export const campaignListSchema = z.array(z.union([campaignViewSchema, labelerCampaignViewSchema]));

const importLineErrorSchema = z.object({
  line: z.number().int(),
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

export const importResultSchema = z.object({
  importId: z.uuid(),
  promptCount: z.number().int(),
  responseCount: z.number().int(),
  totalPrompts: z.number().int(),
  format: z.string().optional(),
  judgmentCount: z.number().int().optional(),
});

/** The dry run's answer (200), and the details of a 422 IMPORT_INVALID. */
export const importReportSchema = z.object({
  valid: z.boolean(),
  promptCount: z.number().int(),
  responseCount: z.number().int(),
  errors: z.array(importLineErrorSchema),
  errorCount: z.number().int(),
  linesRead: z.number().int(),
  format: z.string().optional(),
  judgmentCount: z.number().int().optional(),
  rows: z.array(z.unknown()).optional(),
});

const leasedComparisonSchema = z.object({
  id: z.uuid(),
  comparisonId: z.uuid(),
  expiresAt: z.string(),
  leaseSeconds: z.number().int(),
  prompt: z.object({ id: z.uuid(), text: z.string().nullable(), messages: z.array(z.unknown()).nullable() }),
  left: z.object({ id: z.uuid(), text: z.string() }),
  right: z.object({ id: z.uuid(), text: z.string() }),
});

/** POST /campaigns/:id/next: a lease, or null with the reason. */
export const nextResponseSchema = z.object({
  assignment: leasedComparisonSchema.nullable(),
  reason: z.enum(['budget_reached', 'budget_leased', 'no_comparisons', 'lease_cap']).optional(),
});

export const labelViewSchema = z.object({
  id: z.uuid(),
  assignmentId: z.uuid(),
  comparisonId: z.uuid(),
  choice: z.enum(['A', 'B', 'tie', 'both_bad', 'skip']),
  strength: z.number().int().nullable(),
  rationale: z.string().nullable(),
  skipReason: z.string().nullable(),
  timeTakenMs: z.number().int().nullable(),
  leftResponseId: z.uuid(),
  rightResponseId: z.uuid(),
  createdAt: z.string(),
});

export const submitResponseSchema = z.object({
  label: labelViewSchema,
  duplicate: z.boolean(),
  campaignCompleted: z.boolean(),
  undoUntil: z.string().optional(),
  goldFeedback: z.object({ correct: z.literal(false), expected: z.enum(['A', 'B']) }).optional(),
});

/** The headline fields of ModelMetrics (models.ts documents the rest, which the API also sends). */
const modelMetricsSchema = z.object({
  modelKind: z.string(),
  trainSize: z.number().int(),
  testSize: z.number().int(),
  heldOutAccuracy: nullableNumber,
  logLoss: nullableNumber,
  brier: nullableNumber,
  ece: nullableNumber,
  probabilityScale: z.number(),
  fitMs: z.number(),
});

const certificateSchema = z.object({
  gap: z.number(),
  promptId: z.string().nullable(),
  meanGap: z.number(),
  units: z.enum(['borda', 'reward']),
  beta: z.number(),
  prompts: z.number().int(),
  labelCount: z.number().int(),
});

const modelVersionSummarySchema = z.object({
  version: z.number().int(),
  kind: z.string(),
  labelCount: z.number().int(),
  metrics: modelMetricsSchema,
  gap: nullableNumber,
  createdAt: z.string(),
});

/** GET /campaigns/:id/models: newest first. */
export const modelVersionPageSchema = z.object({
  items: z.array(modelVersionSummarySchema),
  nextCursor: z.string().nullable(),
});

export const modelVersionDetailSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  kind: z.string(),
  labelCount: z.number().int(),
  metrics: modelMetricsSchema,
  certificate: certificateSchema.nullable(),
  jobRunId: z.uuid().nullable(),
  createdAt: z.string(),
  parameters: z.unknown().optional(),
});

/** GET /campaigns/:id/policy: the newest policy version and a page of its entries. */
export const policyPageSchema = z.object({
  policy: z.object({
    version: z.number().int(),
    modelVersion: z.number().int(),
    labelCount: z.number().int(),
    createdAt: z.string(),
    summary: z.object({
      prompts: z.number().int(),
      confidentPrompts: z.number().int(),
      softTemperature: z.number(),
      beta: z.number(),
    }),
  }),
  items: z.array(
    z.object({
      promptId: z.uuid(),
      externalId: z.string(),
      snippet: z.string(),
      picks: z.object({ greedy: z.uuid(), pessimistic: z.uuid(), soft: z.uuid(), dpo: z.uuid().nullable() }),
      mean: z.number(),
      std: z.number(),
      confidence: z.number(),
      gap: z.number(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const userViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'researcher', 'labeler']),
  createdAt: z.string(),
  disabledAt: z.string().nullable().optional(),
});

export const loginResponseSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
  user: userViewSchema,
});

// ---- Compile-time: every value of the interface is a value of the schema (fails when they drift). ----
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends Record<string, unknown>
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** T fits the schema's type, and has no top-level field the schema does not name. */
type Covers<Schema extends z.ZodType, T> = [T] extends [DeepReadonly<z.infer<Schema>>]
  ? [Exclude<keyof T, keyof z.infer<Schema>>] extends [never]
    ? true
    : never
  : never;
const covered: true[] = [
  true satisfies Covers<typeof campaignViewSchema, CampaignView>,
  true satisfies Covers<typeof labelerCampaignViewSchema, LabelerCampaignView>,
  true satisfies Covers<typeof importResultSchema, ImportResult>,
  true satisfies Covers<typeof importReportSchema, ImportReport>,
  true satisfies Covers<typeof nextResponseSchema, NextResponse>,
  true satisfies Covers<typeof submitResponseSchema, SubmitResponse>,
  true satisfies Covers<typeof modelVersionPageSchema, Page<ModelVersionSummary>>,
  true satisfies Covers<typeof modelVersionDetailSchema, ModelVersionDetail>,
  true satisfies Covers<typeof policyPageSchema, PolicyPage>,
  true satisfies Covers<typeof userViewSchema, UserView>,
  true satisfies Covers<typeof loginResponseSchema, LoginResponse>,
];
void covered;
