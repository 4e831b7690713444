/** The judgment being composed for the comparison on screen, as a reducer testable without the UI. */
import type { LabelChoice } from '@borda/api-contract';
import type { Judgment } from './labelingSession';

export type Strength = 1 | 2 | 3;

export interface JudgmentDraft {
  readonly choice: LabelChoice | null;
  readonly strength: Strength | null;
  readonly rationale: string;
}

export type DraftAction =
  | { readonly type: 'choose'; readonly choice: LabelChoice }
  | { readonly type: 'strength'; readonly strength: Strength }
  | { readonly type: 'rationale'; readonly text: string };

export const EMPTY_DRAFT: JudgmentDraft = { choice: null, strength: null, rationale: '' };

/** The API takes a strength only with A or B (a tie or "both bad" has no winner to be better). */
export function strengthAllowed(choice: LabelChoice | null): boolean {
  return choice === 'A' || choice === 'B';
}

export function draftReducer(draft: JudgmentDraft, action: DraftAction): JudgmentDraft {
  switch (action.type) {
    case 'choose':
      return { ...draft, choice: action.choice, strength: strengthAllowed(action.choice) ? draft.strength : null };
    case 'strength':
      if (!strengthAllowed(draft.choice)) return draft;
      // Pressing the selected strength again clears it (strength is optional).
      return { ...draft, strength: draft.strength === action.strength ? null : action.strength };
    case 'rationale':
      return { ...draft, rationale: action.text };
  }
}

/** The request's judgment fields, or null while no choice is made. Empty extras are left out. */
export function toJudgment(draft: JudgmentDraft): Judgment | null {
  if (!draft.choice) return null;
  const rationale = draft.rationale.trim();
  return {
    choice: draft.choice,
    ...(draft.strength !== null && strengthAllowed(draft.choice) ? { strength: draft.strength } : {}),
    ...(rationale ? { rationale } : {}),
  };
}
