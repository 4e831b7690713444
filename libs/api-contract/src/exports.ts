/**
 * GET /campaigns/:id/exports/<format>: JSONL, streamed. `raw` has every stored label (skips, ties
 * and both-bad included); the training formats carry decisive A/B judgments only.
 */
import { z } from 'zod';

export const EXPORT_FORMATS = ['raw', 'trl', 'trl-conversational', 'openai', 'best-of-n'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const POLICY_KINDS = ['greedy', 'pessimistic', 'soft', 'dpo'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Options of the preference formats (trl, trl-conversational, openai). */
export const preferenceExportQuerySchema = z.object({
  /** 'none': one line per judgment; 'majority': one line per comparison, its majority winner (splits dropped). */
  aggregate: z.enum(['none', 'majority']).default('none'),
  /** trl only: add "margin" from the judgment's strength (1 → 1/3, 2 → 2/3, 3 → 1; no strength → 0). */
  margin: z.stringbool().default(false),
});
export type PreferenceExportQuery = z.infer<typeof preferenceExportQuerySchema>;

export const bestOfNExportQuerySchema = z.object({
  /** Which policy's pick becomes the assistant turn (default: pessimistic, the one the certificate covers). */
  policy: z.enum(POLICY_KINDS).default('pessimistic'),
});
export type BestOfNExportQuery = z.infer<typeof bestOfNExportQuerySchema>;

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
  };
  /** As shown to the labeler: A = left. */
  readonly left: { readonly id: string; readonly externalId: string | null; readonly text: string };
  readonly right: { readonly id: string; readonly externalId: string | null; readonly text: string };
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
  readonly createdAt: string;
}

export interface TrlLine {
  readonly prompt: string;
  readonly chosen: string;
  readonly rejected: string;
  readonly margin?: number;
}

export interface TrlConversationalLine {
  readonly prompt: readonly ChatMessage[];
  readonly chosen: readonly ChatMessage[];
  readonly rejected: readonly ChatMessage[];
}

export interface OpenAiPreferenceLine {
  readonly input: { readonly messages: readonly ChatMessage[] };
  readonly preferred_output: readonly ChatMessage[];
  readonly non_preferred_output: readonly ChatMessage[];
}

export interface BestOfNLine {
  readonly messages: readonly ChatMessage[];
}
