/**
 * Aspect answers on submit (issue 14 item 2): checked against the campaign's aspects before the
 * label is stored, and, when the campaign trains on an aspect, the side its outcome comes from.
 */
import {
  type AspectAnswers,
  aspectAnswersProblem,
  type LabelView,
  parseAspectAnswers,
  parseAspects,
} from '@borda/api-contract';
import { AppError } from '../errors/app-error';
import type { LabelRow, NewLabel } from './labeling.repository';

/**
 * `asked`: the campaign's aspects as stored (null: assignment not found, the submit diagnoses that).
 * A campaign without aspects refuses answers and stores none, so its labels are as before.
 */
export function checkedAspects(
  asked: { aspects: unknown; training_aspect: string | null } | null,
  answers: AspectAnswers | undefined,
): Pick<NewLabel, 'aspects' | 'trainingChoice'> {
  if (asked === null) return {};
  const aspects = parseAspects(asked.aspects);
  const problem = aspectAnswersProblem(aspects, answers);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', problem.message, {
      field: problem.field,
      issues: [{ path: problem.field, message: problem.message }],
    });
  }
  const given = answers && Object.keys(answers).length > 0 ? answers : null;
  if (asked.training_aspect === null) return { aspects: given };
  // The training aspect is pairwise (checked when the campaign was configured); unanswered: no outcome.
  const side = given?.[asked.training_aspect];
  return { aspects: given, trainingChoice: side === 'A' || side === 'B' || side === 'tie' ? side : 'none' };
}

export function labelAspects(row: LabelRow): Pick<LabelView, 'aspects'> {
  const answers = parseAspectAnswers(row.aspects);
  return answers ? { aspects: answers } : {};
}
