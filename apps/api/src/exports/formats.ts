/**
 * Label rows → export lines. Pure functions, so the mapping rules live in one testable place.
 *
 * What each training format keeps (raw keeps everything):
 * - Only decisive judgments (A or B) become preference pairs. A tie says neither is better,
 *   both_bad says neither is acceptable, and a skip is no judgment at all: none of them has a
 *   chosen/rejected pair, so the preference formats leave them out (they stay in `raw`).
 * - Default: one line per judgment, so a comparison judged by 3 labelers gives 3 lines (with
 *   disagreements kept: that is the noise the data really has).
 * - ?aggregate=majority: one line per comparison, its majority winner among the decisive votes;
 *   an exact split (e.g. 1–1) is dropped.
 * - ?aggregate=reliability: one line per comparison, the winner of the crowd reliability model's
 *   consensus (labels weighed by who gave them; see learning/crowd-fit.ts); majority where no fit has
 *   weighed the comparison yet. Raw lines carry each label's weight, sign and the consensus.
 * - ?margin=true (trl, trl-conversational): "margin" = strength / 3 (1 slightly → 1/3, 2 clearly →
 *   2/3, 3 much → 1; a judgment without strength → 0), the scale Llama 2's margin loss used; with
 *   majority, the mean of the winning votes' margins (a vote without strength counting 0). The
 *   labeler's own strength, not a reward model's score gap: the export is the human data, and a
 *   score gap would change with every refit. openai has no margin (its format allows no extra keys).
 * - ?models=true (trl, trl-conversational): "chosen_model" / "rejected_model", the source model the
 *   import gave each response (null when none). kto and best-of-n: "model" of the completion. raw
 *   always has them.
 * - kto: one line per response of each judgment, {prompt, completion, label}: A/B → the chosen
 *   response true and the rejected one false; both_bad → both false (neither is acceptable); a tie
 *   is left out (it says the two are alike, not whether either is desirable); skips are left out.
 * - Plain-text prompts become one user turn in the conversational formats; a multi-turn prompt is
 *   rendered "role: content" paragraphs in the plain-text `trl` format.
 */
import type {
  BestOfNLine,
  ChatMessage,
  KtoLine,
  OpenAiPreferenceLine,
  RawExportLine,
  TrlConversationalLine,
  TrlLine,
} from '@borda/api-contract';
import { type AspectAnswers, parseAspectAnswers } from '@borda/api-contract';
import type { LabelRow, VoteRow } from './exports.repository';

/** A decisive pair, whichever way it was read (one judgment, or a majority). */
export interface PreferencePair {
  promptText: string | null;
  promptMessages: unknown;
  chosen: string;
  rejected: string;
  /** 1–3, or null when no strength was given. */
  strength: number | null;
  /** Source models of the chosen and the rejected response (null: the import gave none). */
  chosenModel: string | null;
  rejectedModel: string | null;
}

export type PreferenceFormat = 'trl' | 'trl-conversational' | 'openai';

/** What a preference line carries beyond prompt/chosen/rejected. */
export interface PreferenceLineOptions {
  margin: boolean;
  models: boolean;
}

/** One line per judgment, or per comparison by majority or by the reliability consensus. */
export type ExportAggregate = 'none' | 'majority' | 'reliability';

export function promptMessages(text: string | null, messages: unknown): ChatMessage[] {
  if (Array.isArray(messages)) {
    return (messages as { role?: unknown; content?: unknown }[]).map((m) => ({
      role: String(m.role ?? 'user'),
      content: String(m.content ?? ''),
    }));
  }
  return [{ role: 'user', content: text ?? '' }];
}

export function promptString(text: string | null, messages: unknown): string {
  if (text !== null || !Array.isArray(messages)) return text ?? '';
  return promptMessages(text, messages)
    .map((m) => `${m.role}: ${m.content}`)
    .join('\n\n');
}

export const strengthMargin = (strength: number | null): number => (strength ? strength / 3 : 0);

/**
 * The side a label prefers for training: the campaign's training aspect's answer where it has one
 * (issue 14 item 2), else the main choice. Both are in the sides the labeler saw (A left).
 */
export function trainingSide(row: Pick<LabelRow, 'choice' | 'aspects' | 'trainingAspect'>): string | null {
  if (!row.trainingAspect) return row.choice;
  const answer = (row.aspects as Record<string, unknown> | null)?.[row.trainingAspect];
  return typeof answer === 'string' ? answer : null;
}

export function pairFromLabel(row: LabelRow): PreferencePair | null {
  const side = trainingSide(row);
  if (side !== 'A' && side !== 'B') return null;
  const left = side === 'A';
  return {
    promptText: row.promptText,
    promptMessages: row.promptMessages,
    chosen: left ? row.leftText : row.rightText,
    rejected: left ? row.rightText : row.leftText,
    strength: row.strength,
    chosenModel: left ? row.leftModel : row.rightModel,
    rejectedModel: left ? row.rightModel : row.leftModel,
  };
}

/** KTO lines of one label: A/B → chosen true, rejected false; both_bad → both false; tie and skip → none. */
export function ktoLines(row: LabelRow, withModel: boolean): KtoLine[] {
  const prompt = promptString(row.promptText, row.promptMessages);
  const line = (completion: string, label: boolean, model: string | null): KtoLine => ({
    prompt,
    completion,
    label,
    ...(withModel ? { model } : {}),
  });
  if (trainingSide(row) === 'both_bad') {
    return [line(row.leftText, false, row.leftModel), line(row.rightText, false, row.rightModel)];
  }
  const pair = pairFromLabel(row);
  if (!pair) return [];
  return [line(pair.chosen, true, pair.chosenModel), line(pair.rejected, false, pair.rejectedModel)];
}

/** The majority winner of a comparison's decisive votes; null for an exact split. */
export function pairFromVotes(row: VoteRow): PreferencePair | null {
  if (row.firstVotes === row.secondVotes) return null;
  const firstWins = row.firstVotes > row.secondVotes;
  return {
    promptText: row.promptText,
    promptMessages: row.promptMessages,
    chosen: firstWins ? row.firstText : row.secondText,
    rejected: firstWins ? row.secondText : row.firstText,
    strength: firstWins ? row.firstStrength : row.secondStrength,
    chosenModel: firstWins ? row.firstModel : row.secondModel,
    rejectedModel: firstWins ? row.secondModel : row.firstModel,
  };
}

/**
 * The reliability model's winner of a comparison: its consensus (labels weighed by who gave them,
 * inverted labelers reversed, position bias corrected) where the newest fit computed one, else the
 * majority (labels that arrived after the fit); null for an exact ½ or split.
 */
export function pairFromConsensus(row: VoteRow): PreferencePair | null {
  if (row.consensus === null) return pairFromVotes(row);
  if (row.consensus === 0.5) return null;
  const firstWins = row.consensus > 0.5;
  return {
    promptText: row.promptText,
    promptMessages: row.promptMessages,
    chosen: firstWins ? row.firstText : row.secondText,
    rejected: firstWins ? row.secondText : row.firstText,
    strength: firstWins ? row.firstStrength : row.secondStrength,
    chosenModel: firstWins ? row.firstModel : row.secondModel,
    rejectedModel: firstWins ? row.secondModel : row.firstModel,
  };
}

/** The raw export line plus the crowd model's weight of the label and its comparison's consensus. */
export type WeightedRawExportLine = RawExportLine & {
  /** |2 P(first better | this label) − 1| under the newest fit (0: no information; null: not yet fitted). */
  readonly weight: number | null;
  /** 1 counts as given, −1 counts reversed (inverted labeler), 0 not at all. */
  readonly weightSign: number | null;
  /** Reliability-weighted P(first better) of the comparison. */
  readonly consensus: number | null;
  /** Answers to the campaign's aspects by key (absent when none were given). */
  readonly aspects?: AspectAnswers;
  /** A ranking campaign's label: the ranking it is the slot-filling pair of (rankings export; absent otherwise). */
  readonly rankingId?: string;
};

const assistant = (content: string): ChatMessage[] => [{ role: 'assistant', content }];

export function preferenceLine(
  format: PreferenceFormat,
  pair: PreferencePair,
  options: PreferenceLineOptions,
): TrlLine | TrlConversationalLine | OpenAiPreferenceLine {
  const extra = {
    ...(options.margin ? { margin: strengthMargin(pair.strength) } : {}),
    ...(options.models ? { chosen_model: pair.chosenModel, rejected_model: pair.rejectedModel } : {}),
  };
  switch (format) {
    case 'trl':
      return {
        prompt: promptString(pair.promptText, pair.promptMessages),
        chosen: pair.chosen,
        rejected: pair.rejected,
        ...extra,
      };
    case 'trl-conversational':
      return {
        prompt: promptMessages(pair.promptText, pair.promptMessages),
        chosen: assistant(pair.chosen),
        rejected: assistant(pair.rejected),
        ...extra,
      };
    case 'openai':
      return {
        input: { messages: promptMessages(pair.promptText, pair.promptMessages) },
        preferred_output: assistant(pair.chosen),
        non_preferred_output: assistant(pair.rejected),
      };
  }
}

/** `model` (with ?models=true): the source model of the picked response; undefined leaves the key out. */
export function bestOfNLine(
  promptText: string | null,
  messages: unknown,
  response: string,
  model?: string | null,
): BestOfNLine {
  return {
    messages: [...promptMessages(promptText, messages), { role: 'assistant', content: response }],
    ...(model !== undefined ? { model } : {}),
  };
}

export function rawLine(row: LabelRow): WeightedRawExportLine {
  const answers = parseAspectAnswers(row.aspects);
  return {
    labelId: row.id,
    comparisonId: row.comparisonId,
    assignmentId: row.assignmentId,
    labelerId: row.labelerId,
    choice: row.choice,
    prompt: {
      id: row.promptId,
      externalId: row.promptExternalId,
      text: row.promptText,
      messages: row.promptMessages,
      metadata: row.promptMetadata,
    },
    left: { id: row.leftId, externalId: row.leftExternalId, text: row.leftText, model: row.leftModel },
    right: { id: row.rightId, externalId: row.rightExternalId, text: row.rightText, model: row.rightModel },
    firstResponseId: row.firstResponseId,
    secondResponseId: row.secondResponseId,
    outcome: row.outcome,
    strength: row.strength,
    rationale: row.rationale,
    skipReason: row.skipReason,
    timeTakenMs: row.timeTakenMs,
    modelVersion: row.modelVersion,
    strategy: row.strategy,
    score: row.score,
    leasedAt: row.leasedAt ? row.leasedAt.toISOString() : null,
    comparisonCreatedAt: row.comparisonCreatedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    weight: row.weight,
    weightSign: row.weightSign,
    consensus: row.consensus,
    ...(answers ? { aspects: answers } : {}),
    ...(row.rankingId ? { rankingId: row.rankingId } : {}),
  };
}
