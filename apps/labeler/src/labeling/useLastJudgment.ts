/**
 * The labeler's last saved judgment (to undo or change it within the campaign's undo window) and
 * the brief note after a missed check question, both read from the submission queue's answers.
 */
import type { LabelChoice, LeasedComparison, SubmitResponse } from '@borda/api-contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SubmissionQueue } from './submissionQueue';

export interface LastJudgment {
  readonly assignmentId: string;
  /** What the labeler saw (the comparison is shown again to change it). */
  readonly lease: Pick<LeasedComparison, 'prompt' | 'left' | 'right'>;
  readonly choice: LabelChoice;
  /** Epoch ms after which the API refuses a change. */
  readonly undoUntil: number;
}

/** How long the "expected answer" note of a missed check question stays on screen. */
export const GOLD_NOTE_MS = 8_000;

export function goldNote(feedback: NonNullable<SubmitResponse['goldFeedback']>): string {
  return `That was a check question: the expected answer was Response ${feedback.expected}.`;
}

export function useLastJudgment(queue: SubmissionQueue, campaignId: string) {
  /** Leases judged on this page, by assignment (only the newest few are kept). */
  const judged = useRef(new Map<string, LastJudgment['lease']>());
  const [last, setLast] = useState<LastJudgment | null>(null);
  const [goldMessage, setGoldMessage] = useState<string | null>(null);

  const remember = useCallback((lease: LeasedComparison) => {
    judged.current.set(lease.id, { prompt: lease.prompt, left: lease.left, right: lease.right });
    while (judged.current.size > 5) judged.current.delete(judged.current.keys().next().value as string);
  }, []);

  useEffect(
    () =>
      queue.onSettled((settlement) => {
        const { entry } = settlement;
        if (settlement.outcome !== 'saved' || entry.kind !== 'submit' || entry.campaignId !== campaignId) return;
        const { response } = settlement;
        const lease = judged.current.get(entry.assignmentId);
        if (lease && response.undoUntil && response.label.choice !== 'skip') {
          setLast({
            assignmentId: entry.assignmentId,
            lease,
            choice: response.label.choice,
            undoUntil: Date.parse(response.undoUntil),
          });
        }
        if (response.goldFeedback) setGoldMessage(goldNote(response.goldFeedback));
      }),
    [queue, campaignId],
  );

  useEffect(() => {
    if (!goldMessage) return;
    const timer = setTimeout(() => setGoldMessage(null), GOLD_NOTE_MS);
    return () => clearTimeout(timer);
  }, [goldMessage]);

  return {
    last,
    remember,
    /** After a successful change: the stored choice. */
    changed: (choice: LabelChoice) => setLast((l) => (l ? { ...l, choice } : l)),
    goldMessage,
    dismissGold: () => setGoldMessage(null),
  };
}
