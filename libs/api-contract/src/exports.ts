/**
 * GET /campaigns/:id/exports/<format>: JSONL (or Parquet with `?file=parquet`), streamed. `raw` has
 * every stored label (skips, ties and both-bad included); the pairwise training formats carry
 * decisive A/B judgments only; `kto` also turns both-bad into two undesirable completions.
 * GET /campaigns/:id/exports/card?format=<format>&…: the dataset card (Markdown) of that export.
 */
import { z } from 'zod';

// Ranking campaigns and their export (kept in their own module; re-exported here with the exports).
export * from './rankings';

export const EXPORT_FORMATS = ['raw', 'trl', 'trl-conversational', 'openai', 'kto', 'best-of-n'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const POLICY_KINDS = ['greedy', 'pessimistic', 'soft', 'dpo'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** The container of an export: JSON lines (default) or Parquet (one row group per batch read). */
export const EXPORT_FILES = ['jsonl', 'parquet'] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

/** Options every format takes. */
export const exportFileQuerySchema = z.object({
  file: z.enum(EXPORT_FILES).default('jsonl'),
});

/** Options of the preference formats (trl, trl-conversational, openai). */
export const preferenceExportQuerySchema = exportFileQuerySchema.extend({
  /** 'none': one line per judgment; 'majority': one line per comparison, its majority winner (splits dropped). */
  aggregate: z.enum(['none', 'majority']).default('none'),
  /** trl and trl-conversational: add "margin" from the judgment's strength (1 → 1/3, 2 → 2/3, 3 → 1; no strength → 0). */
  margin: z.stringbool().default(false),
  /** trl and trl-conversational: add "chosen_model" and "rejected_model" (the source model of each response, or null). */
  models: z.stringbool().default(false),
});

/** Options of the KTO format: one line per response judged (chosen → true, rejected → false, both-bad → both false). */
export const ktoExportQuerySchema = exportFileQuerySchema.extend({
  /** Add "model": the source model of the completion (or null). */
  models: z.stringbool().default(false),
});
export type KtoExportQuery = z.infer<typeof ktoExportQuerySchema>;
export type PreferenceExportQuery = z.infer<typeof preferenceExportQuerySchema>;

export const bestOfNExportQuerySchema = exportFileQuerySchema.extend({
  /** Which policy's pick becomes the assistant turn (default: pessimistic, the one the certificate covers). */
  policy: z.enum(POLICY_KINDS).default('pessimistic'),
  /** Add "model": the source model of the picked response (or null). */
  models: z.stringbool().default(false),
});
export type BestOfNExportQuery = z.infer<typeof bestOfNExportQuerySchema>;

/**
 * GET /campaigns/:id/exports/card: the dataset card (README.md) of the export these options
 * describe: the campaign, its strategy and reward model, counts, and what ties, both-bad and
 * skips become in that format.
 */
export const exportCardQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('raw'),
  file: z.enum(EXPORT_FILES).default('jsonl'),
  aggregate: z.enum(['none', 'majority', 'reliability']).default('none'),
  margin: z.stringbool().default(false),
  models: z.stringbool().default(false),
  policy: z.enum(POLICY_KINDS).default('pessimistic'),
});
export type ExportCardQuery = z.infer<typeof exportCardQuerySchema>;

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

/** One line of the raw export. */
export interface RawExportLine {
  readonly labelId: string;
  readonly comparisonId: string;
  readonly assignmentId: string;
  readonly labelerId: string;
  readonly choice: 'A' | 'B' | 'tie' | 'both_bad' | 'skip';
  readonly prompt: {
    readonly id: string;
    readonly externalId: string;
    readonly text: string | null;
    readonly messages: unknown;
    /** The prompt's metadata from the import. */
    readonly metadata: unknown;
  };
  /** As shown to the labeler: A = left. `model`: the source model the import gave the response (or null). */
  readonly left: ExportedResponse;
  readonly right: ExportedResponse;
  readonly firstResponseId: string;
  readonly secondResponseId: string;
  /** 1 first preferred, 0 second, 0.5 tie; null for both_bad and skip. */
  readonly outcome: number | null;
  readonly strength: number | null;
  readonly rationale: string | null;
  readonly skipReason: string | null;
  readonly timeTakenMs: number | null;
  /** The reward-model version whose strategy chose the comparison (null before the first fit). */
  readonly modelVersion: number | null;
  readonly strategy: string;
  readonly score: number;
  readonly leasedAt: string | null;
  readonly comparisonCreatedAt: string;
  /** When the judgment was submitted (timeTakenMs: how long the labeler looked before submitting). */
  readonly createdAt: string;
}

export interface ExportedResponse {
  readonly id: string;
  readonly externalId: string | null;
  readonly text: string;
  readonly model: string | null;
}

/** With ?models=true: the source model of each side. */
export interface SourceModelFields {
  readonly chosen_model?: string | null;
  readonly rejected_model?: string | null;
}

export interface TrlLine extends SourceModelFields {
  readonly prompt: string;
  readonly chosen: string;
  readonly rejected: string;
  readonly margin?: number;
}

export interface TrlConversationalLine extends SourceModelFields {
  readonly prompt: readonly ChatMessage[];
  readonly chosen: readonly ChatMessage[];
  readonly rejected: readonly ChatMessage[];
  readonly margin?: number;
}

/** One line of the KTO export (TRL's unpaired preference format). */
export interface KtoLine {
  readonly prompt: string;
  readonly completion: string;
  /** true: desirable (the chosen response); false: undesirable (the rejected one, or either of a both-bad pair). */
  readonly label: boolean;
  readonly model?: string | null;
}

export interface OpenAiPreferenceLine {
  readonly input: { readonly messages: readonly ChatMessage[] };
  readonly preferred_output: readonly ChatMessage[];
  readonly non_preferred_output: readonly ChatMessage[];
}

export interface BestOfNLine {
  readonly messages: readonly ChatMessage[];
  readonly model?: string | null;
}
