/**
 * The researcher's data browser (issue 14 item 1): GET /campaigns/:id/browse/comparisons (one row per
 * comparison with its labels, filtered, keyset-paginated), GET /campaigns/:id/browse/facets (what the
 * filter dropdowns offer) and GET /campaigns/:id/browse/comparisons/:comparisonId (the comparison as
 * a labeler saw it).
 */
import { z } from 'zod';
import type { LabelChoice } from './labeling';

export type BrowseComparisonState = 'open' | 'complete' | 'cancelled';

/** `meta.<key>` query keys (the same rule as the source-model leaderboard's). */
export const BROWSE_META_KEY = /^meta\.([A-Za-z0-9_.-]{1,64})$/;

/**
 * none: no judgment yet; single: one; unanimous: two or more with one outcome (in the comparison's
 * own order, so A on one screen and B on a swapped one agree); split: two or more that differ.
 */
export const BROWSE_AGREEMENTS = ['unanimous', 'split', 'single', 'none'] as const;
export type BrowseAgreement = (typeof BROWSE_AGREEMENTS)[number];

const flag = (name: string) =>
  z.enum(['true', 'false'], { message: `${name} is true or false` }).transform((v) => v === 'true');
const millis = z.coerce.number().int().min(0).max(86_400_000);

const BROWSE_FIELDS = [
  'labeler',
  'model',
  'agreement',
  'split',
  'skipped',
  'minTimeMs',
  'maxTimeMs',
  'state',
  'gold',
  'q',
  'cursor',
  'limit',
] as const;

/**
 * Filters combine with AND. `labeler` with `minTimeMs`/`maxTimeMs` asks for one label of that labeler
 * within the range; `meta.<key>=<value>` compares the prompt's metadata as text.
 */
const browseFilters = z.object({
  labeler: z.uuid('labeler is a user id').optional(),
  model: z.string().min(1).max(200).optional(),
  agreement: z.enum(BROWSE_AGREEMENTS).optional(),
  split: flag('split').optional(),
  skipped: flag('skipped').optional(),
  minTimeMs: millis.optional(),
  maxTimeMs: millis.optional(),
  state: z.enum(['open', 'complete', 'cancelled']).optional(),
  gold: flag('gold').optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,12}$/, 'cursor is the nextCursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const browseQuerySchema = browseFilters
  .catchall(z.string().max(200, 'a metadata filter value is at most 200 characters'))
  .superRefine((q, ctx) => {
    for (const key of Object.keys(q)) {
      if (!(BROWSE_FIELDS as readonly string[]).includes(key) && !BROWSE_META_KEY.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown query parameter "${key}"` });
      }
    }
    if (q.minTimeMs !== undefined && q.maxTimeMs !== undefined && q.minTimeMs > q.maxTimeMs) {
      ctx.addIssue({ code: 'custom', path: ['minTimeMs'], message: 'minTimeMs is above maxTimeMs' });
    }
  })
  .transform((q) => {
    const meta: Record<string, string> = {};
    const known: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(q)) {
      const match = BROWSE_META_KEY.exec(key);
      if (match) meta[match[1]] = String(value);
      else known[key] = value;
    }
    return { ...(known as z.output<typeof browseFilters>), meta };
  });
export type BrowseQuery = z.output<typeof browseQuerySchema>;

export const browseDetailQuerySchema = z.object({
  /** The label whose screen to show (its assignment's sides); default the first label. */
  label: z.uuid('label is a label id').optional(),
});
export type BrowseDetailQuery = z.output<typeof browseDetailQuerySchema>;

export interface BrowseLabeler {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface BrowseLabel {
  readonly id: string;
  readonly labeler: BrowseLabeler;
  /** In the sides the labeler saw: A = left. */
  readonly choice: LabelChoice | 'skip';
  /** The judgment in the comparison's own order. */
  readonly outcome: 'first' | 'second' | 'tie' | 'both_bad' | 'skip';
  readonly strength: number | null;
  readonly rationale: string | null;
  readonly skipReason: string | null;
  /** As the client measured it, else lease to submit. */
  readonly timeTakenMs: number | null;
  readonly firstOnLeft: boolean;
  /** The import format of an imported judgment; null for judgments given in Borda. */
  readonly source: string | null;
  readonly submittedAt: string;
}

export interface BrowseResponseExcerpt {
  readonly id: string;
  readonly excerpt: string;
  readonly sourceModel: string | null;
}

export interface BrowseRow {
  readonly id: string;
  readonly state: BrowseComparisonState;
  readonly promptId: string;
  readonly promptExternalId: string;
  readonly promptExcerpt: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly first: BrowseResponseExcerpt;
  readonly second: BrowseResponseExcerpt;
  readonly labelsRequired: number;
  readonly labels: readonly BrowseLabel[];
  readonly agreement: BrowseAgreement;
  readonly skipped: number;
  readonly gold: boolean;
  readonly yardstick: boolean;
  readonly createdAt: string;
}

export interface BrowsePage {
  readonly rows: readonly BrowseRow[];
  /** Pass as `cursor` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

export interface BrowseFacets {
  readonly comparisons: number;
  readonly labelers: readonly (BrowseLabeler & { readonly labels: number })[];
  readonly models: readonly { readonly model: string; readonly responses: number }[];
  /** Prompt metadata keys (50 at most) with their 20 most common values. */
  readonly metadata: readonly {
    readonly key: string;
    readonly prompts: number;
    readonly values: readonly { readonly value: string; readonly prompts: number }[];
  }[];
}

export interface BrowseResponse {
  readonly id: string;
  readonly text: string;
  readonly sourceModel: string | null;
}

export interface BrowseComparison {
  readonly id: string;
  readonly state: BrowseComparisonState;
  readonly strategy: string;
  readonly gold: boolean;
  readonly yardstick: boolean;
  readonly prompt: {
    readonly id: string;
    readonly externalId: string;
    readonly text: string | null;
    readonly messages: unknown;
    readonly metadata: Readonly<Record<string, unknown>>;
  };
  readonly first: BrowseResponse;
  readonly second: BrowseResponse;
  /** The label whose screen `left`/`right` reproduce (null: no label, first on the left). */
  readonly shownFor: string | null;
  readonly left: BrowseResponse;
  readonly right: BrowseResponse;
  readonly labels: readonly BrowseLabel[];
}
