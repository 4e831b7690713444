/**
 * Reading a stored label in terms of responses. A and B are screen sides (A left, B right), and
 * the server randomises per labeler which of the comparison's two responses goes left, so "A" means
 * "the response whose id is leftResponseId", never "the comparison's first response".
 */
import type { PolicyPromptComparison, PolicyPromptLabel } from '@borda/api-contract';

/** The response the labeler favoured; null for a tie, both bad or a skip. */
export function favouredResponseId(label: PolicyPromptLabel): string | null {
  if (label.choice === 'A') return label.leftResponseId;
  if (label.choice === 'B') return label.rightResponseId;
  return null;
}

/** The response the stored outcome favours in the comparison's own order (1 first, 0 second). */
export function outcomeResponseId(comparison: PolicyPromptComparison, label: PolicyPromptLabel): string | null {
  if (label.outcome === 1) return comparison.firstResponseId;
  if (label.outcome === 0) return comparison.secondResponseId;
  return null;
}

/** True when the screen choice and the stored outcome name different winners (should never happen). */
export function choiceContradictsOutcome(comparison: PolicyPromptComparison, label: PolicyPromptLabel): boolean {
  const byChoice = favouredResponseId(label);
  const byOutcome = outcomeResponseId(comparison, label);
  return byChoice !== null && byOutcome !== null && byChoice !== byOutcome;
}

export const CHOICE_TEXT: Record<PolicyPromptLabel['choice'], string> = {
  A: 'A (left)',
  B: 'B (right)',
  tie: 'Tie',
  both_bad: 'Both bad',
  skip: 'Skipped',
};

export const STRENGTH_TEXT: Record<number, string> = { 1: 'slightly', 2: 'clearly', 3: 'much' };

export function outcomeText(outcome: number | null): string {
  if (outcome === 1) return 'first preferred (1)';
  if (outcome === 0) return 'second preferred (0)';
  if (outcome === 0.5) return 'tie (0.5)';
  return outcome === null ? '— (not training data)' : String(outcome);
}
