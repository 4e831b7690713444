/**
 * Judgments on several aspects (issue 14 item 2). A campaign may ask, beside the main A/B choice,
 * extra questions: a pairwise A/B/tie per aspect (helpfulness, harmlessness…), a 1–scale rating of
 * each response, or free text (a note, an edited ideal response). Sides are the sides the labeler
 * saw (A left, B right), as for the main choice. One pairwise aspect may be the campaign's
 * `trainingAspect`: its answer, not the main choice, is then the label's outcome for learning.
 */
import { z } from 'zod';

export const ASPECT_KINDS = ['pairwise', 'rating', 'text'] as const;
export type AspectKind = (typeof ASPECT_KINDS)[number];
export const MAX_ASPECTS = 10;
export const ASPECT_TEXT_MAX = 10_000;
export const DEFAULT_RATING_SCALE = 7;

export const aspectSchema = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'aspect key must be 1–40 lowercase letters, digits or _, starting with a letter'),
  label: z.string().trim().min(1, 'aspect label is required').max(200),
  kind: z.enum(ASPECT_KINDS),
  required: z.boolean().default(false),
  /** Ratings only: answers are integers 1..scale (default 7). */
  scale: z.int().min(2).max(DEFAULT_RATING_SCALE).optional(),
});
export type Aspect = z.output<typeof aspectSchema>;
export type AspectInput = z.input<typeof aspectSchema>;

export const aspectsSchema = z
  .array(aspectSchema)
  .max(MAX_ASPECTS, `at most ${MAX_ASPECTS} aspects`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.key))
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `aspect key ${a.key} is repeated` });
      seen.add(a.key);
      if (a.scale !== undefined && a.kind !== 'rating') {
        ctx.addIssue({ code: 'custom', path: [i, 'scale'], message: 'scale is only allowed on rating aspects' });
      }
    });
  });

/** The key of a pairwise aspect whose answer trains the reward model; null: the main choice does. */
export const trainingAspectSchema = z.string().max(40).nullable();

/** Null when `trainingAspect` names a pairwise aspect of `aspects` (or is null), else why not. */
export function trainingAspectProblem(aspects: readonly Aspect[], trainingAspect: string | null): string | null {
  if (trainingAspect === null) return null;
  const aspect = aspects.find((a) => a.key === trainingAspect);
  if (!aspect) return `trainingAspect ${trainingAspect} is not one of the campaign's aspects`;
  if (aspect.kind !== 'pairwise') return `trainingAspect ${trainingAspect} must be a pairwise aspect`;
  return null;
}

export const PAIRWISE_ANSWERS = ['A', 'B', 'tie'] as const;
export const aspectAnswerSchema = z.union([
  z.enum(PAIRWISE_ANSWERS),
  z.strictObject({ A: z.int(), B: z.int() }),
  z.string().max(ASPECT_TEXT_MAX),
]);
export type AspectAnswer = z.infer<typeof aspectAnswerSchema>;
/** A label's answers by aspect key (the submit body's `aspects`, and what labels.aspects stores). */
export const aspectAnswersSchema = z.record(z.string().max(40), aspectAnswerSchema);
export type AspectAnswers = z.infer<typeof aspectAnswersSchema>;

/**
 * Checks answers against the campaign's aspects: every key known, each answer of its aspect's kind
 * and range, every required aspect answered. Returns the first problem naming the aspect, or null.
 */
export function aspectAnswersProblem(
  aspects: readonly Aspect[],
  answers: AspectAnswers | undefined,
): { field: string; message: string } | null {
  const given = answers ?? {};
  for (const key of Object.keys(given)) {
    if (!aspects.some((a) => a.key === key)) {
      return { field: `aspects.${key}`, message: `aspect ${key} is not asked in this campaign` };
    }
  }
  for (const a of aspects) {
    const field = `aspects.${a.key}`;
    const v = given[a.key];
    if (v === undefined || v === '') {
      if (a.required) return { field, message: `aspect ${a.key} (${a.label}) is required` };
      continue;
    }
    if (a.kind === 'pairwise' && !(PAIRWISE_ANSWERS as readonly unknown[]).includes(v)) {
      return { field, message: `aspect ${a.key} takes A, B or tie` };
    }
    if (a.kind === 'rating') {
      const scale = a.scale ?? DEFAULT_RATING_SCALE;
      const ok = typeof v === 'object' && [v.A, v.B].every((n) => Number.isInteger(n) && n >= 1 && n <= scale);
      if (!ok) return { field, message: `aspect ${a.key} takes a rating 1–${scale} for A and for B` };
    }
    if (a.kind === 'text' && typeof v !== 'string') return { field, message: `aspect ${a.key} takes text` };
  }
  return null;
}

/** Stored JSON → aspects (the column is written only through aspectsSchema; anything else reads as none). */
export function parseAspects(json: unknown): Aspect[] {
  const parsed = aspectsSchema.safeParse(json ?? []);
  return parsed.success ? parsed.data : [];
}

export function parseAspectAnswers(json: unknown): AspectAnswers | null {
  if (json === null || json === undefined) return null;
  const parsed = aspectAnswersSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * GET /campaigns/:id/aspects: per aspect, how it was answered (sides as labelers saw them). Pairwise:
 * counts of A, B and tie; rating: the mean of each side over the labels that rated both; text: how many.
 */
export const aspectSummarySchema = z
  .object({
    aspects: z
      .array(
        z
          .object({
            key: z.string(),
            label: z.string(),
            kind: z.enum(ASPECT_KINDS),
            /** Labels that answered this aspect. */
            answered: z.number().int(),
            pairwise: z.object({ A: z.number().int(), B: z.number().int(), tie: z.number().int() }).optional(),
            rating: z.object({ meanA: z.number().nullable(), meanB: z.number().nullable() }).optional(),
          })
          .readonly(),
      )
      .readonly(),
  })
  .readonly();
export type AspectSummary = z.infer<typeof aspectSummarySchema>;
