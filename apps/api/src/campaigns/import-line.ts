/**
 * One JSONL import line: its schema and its conversion into the compact row values the import
 * keeps in memory until the single write transaction. Embeddings become float32 LE hex strings
 * right away so 100k × 8 vectors do not sit around as JS number arrays.
 */
import type { PromptImportLineError } from '@borda/api-contract';
import { z } from 'zod';
import { ADAPTERS, type ImportAdapter, type ImportJudgment } from './import-formats';
import { checkJsonContent, type LineIssue, parseJsonLine } from './import-json';

export const MAX_RESPONSES_PER_PROMPT = 64;

/**
 * Metadata is kept exactly as JSON.parse built it: z.record would copy it key by key and an own
 * "__proto__" key (which JSON.parse creates like any other) would set the copy's prototype instead.
 */
const metadata = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'metadata must be a JSON object' },
);
/**
 * Embeddings are stored as float32: a finite 64-bit number beyond ±3.4·10³⁸ (e.g. 1e39) would become
 * Infinity there and break every learning job, so the float32 value itself must be finite.
 */
const vector = z.array(
  z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((v) => Number.isFinite(Math.fround(v)), 'is outside the float32 range (±3.4e38) embeddings are stored in'),
);

const responseObject = z.strictObject({
  id: z.string().min(1).max(256).optional(),
  text: z.string().min(1, 'response text must not be empty'),
  model: z.string().max(256).optional(),
  ref_logprob: z
    .number()
    .refine(Number.isFinite, 'ref_logprob must be finite')
    .refine((v) => v <= 0, 'ref_logprob is a log-probability and must be ≤ 0')
    .optional(),
  embedding: vector.optional(),
  metadata: metadata.optional(),
});

const response = z.union([z.string().min(1, 'response text must not be empty'), responseObject], {
  error: 'a response is a non-empty string or an object with a text field',
});

const lineSchema = z
  .strictObject({
    id: z.string().min(1, 'id must not be empty').max(256),
    prompt: z.string().min(1, 'prompt must not be empty').optional(),
    messages: z
      .array(z.strictObject({ role: z.string().min(1), content: z.string() }))
      .min(1, 'messages must hold at least one message')
      .optional(),
    metadata: metadata.optional(),
    embedding: vector.optional(),
    responses: z
      .array(response)
      .min(2, 'a prompt needs at least 2 responses to compare')
      .max(MAX_RESPONSES_PER_PROMPT, `a prompt may have at most ${MAX_RESPONSES_PER_PROMPT} responses`),
  })
  .superRefine((line, ctx) => {
    if ((line.prompt === undefined) === (line.messages === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'exactly one of prompt or messages is required' });
    }
  });

type Line = z.infer<typeof lineSchema>;

export interface ResponseRow {
  readonly externalId: string | null;
  readonly text: string;
  readonly model: string | null;
  readonly refLogprob: number | null;
  readonly metadata: string;
  readonly embedding: string | null;
}

export interface PromptRow {
  readonly line: number;
  readonly externalId: string;
  readonly text: string | null;
  readonly messages: string | null;
  readonly metadata: string;
  readonly embedding: string | null;
  readonly responses: readonly ResponseRow[];
  /** Existing judgments the source row carried (indexes into responses). */
  readonly judgments: readonly ImportJudgment[];
}

export interface FeatureRules {
  readonly featureSource: string;
  readonly featureDim: number;
}

function toHex(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('hex');
}

/** Embedding presence and length rules, which depend on the campaign. */
function checkEmbedding(
  value: readonly number[] | undefined,
  path: string,
  rules: FeatureRules,
  issues: { path: string; message: string }[],
): void {
  if (rules.featureSource === 'text') {
    if (value !== undefined) {
      issues.push({ path, message: "the campaign featurises text (featureSource 'text'): embeddings are not used" });
    }
    return;
  }
  if (value === undefined) {
    issues.push({ path, message: `required: the campaign uses supplied embeddings of dimension ${rules.featureDim}` });
  } else if (value.length !== rules.featureDim) {
    issues.push({ path, message: `has ${value.length} dimensions; the campaign's featureDim is ${rules.featureDim}` });
  }
}

function checkFeatures(line: Line, rules: FeatureRules): LineIssue[] {
  const issues: { path: string; message: string }[] = [];
  checkEmbedding(line.embedding, 'embedding', rules, issues);
  line.responses.forEach((r, i) => {
    const embedding = typeof r === 'string' ? undefined : r.embedding;
    checkEmbedding(embedding, `responses.${i}.embedding`, rules, issues);
  });
  return issues.map((i) => ({ ...i, code: 'EMBEDDING_MISMATCH' as const }));
}

/** Response ids name responses within their prompt (exports and gold refer to them): one each. */
function checkResponseIds(line: Line): LineIssue[] {
  const first = new Map<string, number>();
  const issues: LineIssue[] = [];
  line.responses.forEach((r, i) => {
    if (typeof r === 'string' || r.id === undefined) return;
    const seen = first.get(r.id);
    if (seen === undefined) first.set(r.id, i);
    else
      issues.push({
        path: `responses.${i}.id`,
        code: 'DUPLICATE_ID',
        message: `duplicate response id '${r.id}' in this prompt (first at responses.${seen})`,
      });
  });
  return issues;
}

function toRow(line: Line, lineNumber: number): Omit<PromptRow, 'judgments'> {
  return {
    line: lineNumber,
    externalId: line.id,
    text: line.prompt ?? null,
    messages: line.messages ? JSON.stringify(line.messages) : null,
    metadata: JSON.stringify(line.metadata ?? {}),
    embedding: line.embedding ? toHex(line.embedding) : null,
    responses: line.responses.map((r) =>
      typeof r === 'string'
        ? { externalId: null, text: r, model: null, refLogprob: null, metadata: '{}', embedding: null }
        : {
            externalId: r.id ?? null,
            text: r.text,
            model: r.model ?? null,
            refLogprob: r.ref_logprob ?? null,
            metadata: JSON.stringify(r.metadata ?? {}),
            embedding: r.embedding ? toHex(r.embedding) : null,
          },
    ),
  };
}

/**
 * Parses and validates one non-blank line; returns its row or every problem found in it. Dry runs
 * and imports both come through here, so they refuse exactly the same lines. The content checks run
 * on the source row (before an adapter reshapes it) and the schema on the Borda line it maps to.
 */
export function parseImportLine(
  raw: string,
  lineNumber: number,
  rules: FeatureRules,
  adapter: ImportAdapter = ADAPTERS.borda,
): { row: PromptRow } | { errors: PromptImportLineError[] } {
  const atLine = (issues: readonly LineIssue[]) => ({ errors: issues.map((i) => ({ line: lineNumber, ...i })) });
  const json = parseJsonLine(raw);
  if ('issue' in json) return atLine([json.issue]);
  // Content first: nothing recursive (zod, JSON.stringify) may see a line nested too deep.
  const content = checkJsonContent(json.value, raw);
  if (content.some((i) => i.code === 'TOO_DEEP')) return atLine(content);
  let value: unknown = json.value;
  let judgments: readonly ImportJudgment[] = [];
  if (adapter.format !== 'borda') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return atLine([
        ...content,
        { path: '(line)', code: 'INVALID_FIELD', message: `a ${adapter.format} row is a JSON object` },
      ]);
    }
    const mapped = adapter.map(value as Record<string, unknown>, raw);
    if ('issues' in mapped) return atLine([...content, ...mapped.issues]);
    value = mapped.line;
    judgments = mapped.judgments;
  }
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success) {
    const schema = parsed.error.issues.map((i): LineIssue => ({
      path: i.path.join('.') || '(line)',
      code: 'INVALID_FIELD',
      message: i.message,
    }));
    return atLine([...content, ...schema]);
  }
  const rest = [...content, ...checkResponseIds(parsed.data), ...checkFeatures(parsed.data, rules)];
  if (rest.length > 0) return atLine(rest);
  return { row: { ...toRow(parsed.data, lineNumber), judgments } };
}
