/**
 * Response bodies of the main routes as zod schemas: the API's OpenAPI document declares them
 * (apps/api/src/openapi-responses.ts) and clients may validate with them. Campaign, labeling and login
 * views are defined in their modules (campaigns.ts, labeling.ts, auth.ts) with their types as z.infer
 * of the schema: one source. Imports, models and policies still have TS interfaces (with deep metric
 * objects this file names only the headline fields of); the checks at the bottom fail to compile when
 * such an interface gains or changes a field its schema does not describe.
 */
import { z } from 'zod';
import {
  campaignViewSchema,
  type ImportReport,
  type ImportResult,
  labelerCampaignViewSchema,
  type JobRunView,
  type Page,
} from './campaigns';
import type { HeartbeatResponse } from './labeling';
import type {
  CertificateResponse,
  ModelVersionDetail,
  ModelVersionSummary,
  PolicyPage,
  PolicyVersionInfo,
} from './models';

const nullableNumber = z.number().nullable();

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

const policyVersionInfoSchema = z.object({
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
});

/** GET /campaigns/:id/policy/versions: newest first. */
export const policyVersionListSchema = z.array(policyVersionInfoSchema);

/** GET /campaigns/:id/policy: the newest policy version and a page of its entries. */
export const policyPageSchema = z.object({
  policy: policyVersionInfoSchema,
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

export const heartbeatResponseSchema = z.object({ expiresAt: z.string() });

/** GET /campaigns/:id/certificate: the newest version's certificate and every version's gap (oldest first). */
export const certificateResponseSchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  current: certificateSchema.nullable(),
  history: z.array(z.object({ version: z.number().int(), labelCount: z.number().int(), gap: z.number() })),
});

const jobRunViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  state: z.enum(['queued', 'active', 'completed', 'failed']),
  progress: z.number(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  result: z.unknown(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** GET /campaigns/:id/jobs: newest first. */
export const jobRunListSchema = z.array(jobRunViewSchema);

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
  true satisfies Covers<typeof importResultSchema, ImportResult>,
  true satisfies Covers<typeof importReportSchema, ImportReport>,
  true satisfies Covers<typeof modelVersionPageSchema, Page<ModelVersionSummary>>,
  true satisfies Covers<typeof modelVersionDetailSchema, ModelVersionDetail>,
  true satisfies Covers<typeof policyPageSchema, PolicyPage>,
  true satisfies Covers<typeof policyVersionInfoSchema, PolicyVersionInfo>,
  true satisfies Covers<typeof heartbeatResponseSchema, HeartbeatResponse>,
  true satisfies Covers<typeof certificateResponseSchema, CertificateResponse>,
  true satisfies Covers<typeof jobRunViewSchema, JobRunView>,
];
void covered;
