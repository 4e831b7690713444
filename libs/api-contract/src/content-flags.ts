/**
 * Harmful content flags (issue 14 item 4). A labeler flags the comparison they hold (which skips it
 * for them); the campaign's researcher sees the open flags with the content and resolves or dismisses them.
 */
import { z } from 'zod';

/** POST /assignments/:id/flag: `note` is optional; the key makes a retried flag answer the first one. */
export const flagContentSchema = z.strictObject({
  note: z.string().trim().max(1000).optional(),
  idempotencyKey: z.string().min(1, 'idempotencyKey is required').max(200),
  timeTakenMs: z.int().min(0).max(86_400_000).optional(),
});
export type FlagContentRequest = z.infer<typeof flagContentSchema>;

/** The skip reason a flag stores on the labeler's assignment. */
export const FLAG_SKIP_REASON = 'flagged as harmful content';

export const FLAG_RESOLUTIONS = ['resolved', 'dismissed'] as const;
export type FlagResolution = (typeof FLAG_RESOLUTIONS)[number];

/** POST /campaigns/:id/flags/:flagId/resolve */
export const resolveFlagSchema = z.strictObject({ resolution: z.enum(FLAG_RESOLUTIONS) });
export type ResolveFlagRequest = z.infer<typeof resolveFlagSchema>;

/** GET /campaigns/:id/flags?status=open|closed|all (default open). */
export const flagListQuerySchema = z.strictObject({ status: z.enum(['open', 'closed', 'all']).default('open') });

export interface ContentFlagView {
  readonly id: string;
  readonly comparisonId: string;
  readonly labeler: { readonly id: string; readonly name: string; readonly email: string };
  readonly note: string | null;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: FlagResolution | null;
  readonly prompt: { readonly text: string | null; readonly messages: unknown[] | null };
  readonly first: { readonly id: string; readonly text: string };
  readonly second: { readonly id: string; readonly text: string };
}

export interface ContentFlagList {
  readonly flags: ContentFlagView[];
  readonly openCount: number;
}
