/**
 * Why a labeler has nothing to judge, in words: one table for the comparison page's waiting state
 * and the home page's campaign cards, both fed by GET /campaigns/:id/progress (its waitReason).
 */
import type { LabelerWaitReason } from '@borda/api-contract';

export interface WaitText {
  /** A heading for the comparison page. */
  readonly title: string;
  /** What is going on and what happens next. */
  readonly body: string;
}

export const WAIT_TEXT: Record<LabelerWaitReason, WaitText> = {
  campaign_paused: {
    title: 'This campaign is paused',
    body: 'You can continue as soon as a researcher resumes it.',
  },
  budget_reached: {
    title: 'All done',
    body: 'The campaign has all the judgments its budget allows. Thank you!',
  },
  campaign_closed: {
    title: 'This campaign is closed',
    body: 'It takes no more judgments.',
  },
  labeler_paused: {
    title: 'A researcher paused your work on this campaign',
    body: 'You can continue when they resume you.',
  },
  budget_leased: {
    title: 'The last comparisons are with other labelers',
    body: 'The rest of the budget is on comparisons others are judging now. If they leave any unjudged, it comes back to you.',
  },
  others_leased: {
    title: 'The comparisons left for you are with other labelers',
    body: 'Other labelers are judging them now. If one of them leaves a comparison unjudged, it comes back to you.',
  },
  others_judging: {
    title: 'You have judged every open comparison',
    body: "The ones still open are waiting for other labelers' judgments. New comparisons are selected once most of them are complete.",
  },
  selecting: {
    title: 'The next comparisons are being selected',
    body: 'They appear here as soon as the selection finishes.',
  },
};

/** "1 comparison" / "2 comparisons". */
export function comparisons(n: number): string {
  return `${n} comparison${n === 1 ? '' : 's'}`;
}
