/**
 * The campaign's extra questions (issue 14 item 2), under the main choice: per aspect an A/B/Tie
 * radio group, a 1–scale rating of each response, or a text box. Plain form controls with labels,
 * so they are reachable with Tab and read out by screen readers.
 */
import {
  type Aspect,
  type AspectAnswer,
  type AspectAnswers,
  DEFAULT_RATING_SCALE,
  PAIRWISE_ANSWERS,
} from '@borda/api-contract';

export interface AspectQuestionsProps {
  readonly aspects: readonly Aspect[];
  readonly answers: AspectAnswers;
  onChange(key: string, answer: AspectAnswer | undefined): void;
}

const PAIRWISE_LABEL = { A: 'A better', B: 'B better', tie: 'Tie' } as const;

/** Answers as the API takes them: unanswered ratings (a side left blank) and empty text left out. */
export function completeAnswers(aspects: readonly Aspect[], answers: AspectAnswers): AspectAnswers {
  const out: Record<string, AspectAnswer> = {};
  for (const a of aspects) {
    const v = answers[a.key];
    if (v === undefined) continue;
    if (typeof v === 'string' && a.kind === 'text' && v.trim() === '') continue;
    if (typeof v === 'object' && !(v.A > 0 && v.B > 0)) continue;
    out[a.key] = typeof v === 'string' && a.kind === 'text' ? v.trim() : v;
  }
  return out;
}

export function AspectQuestions({ aspects, answers, onChange }: AspectQuestionsProps) {
  return (
    <div className="aspect-questions" role="group" aria-label="Aspects">
      {aspects.map((a) => {
        const id = `aspect-${a.key}`;
        const title = (
          <>
            {a.label} {a.required ? null : <span className="muted">(optional)</span>}
          </>
        );
        const v = answers[a.key];
        if (a.kind === 'pairwise') {
          return (
            <fieldset key={a.key} className="aspect-field">
              <legend>{title}</legend>
              {PAIRWISE_ANSWERS.map((side) => (
                <label key={side} className="aspect-option">
                  <input
                    type="radio"
                    name={id}
                    value={side}
                    checked={v === side}
                    onChange={() => onChange(a.key, side)}
                  />{' '}
                  {PAIRWISE_LABEL[side]}
                </label>
              ))}
            </fieldset>
          );
        }
        if (a.kind === 'rating') {
          const scale = a.scale ?? DEFAULT_RATING_SCALE;
          const rating = typeof v === 'object' ? v : { A: 0, B: 0 };
          return (
            <fieldset key={a.key} className="aspect-field">
              <legend>
                {title} <span className="muted">1–{scale}</span>
              </legend>
              {(['A', 'B'] as const).map((side) => (
                <label key={side} className="aspect-option">
                  Response {side}{' '}
                  <select
                    aria-label={`${a.label}: Response ${side}`}
                    value={rating[side] || ''}
                    onChange={(e) => onChange(a.key, { ...rating, [side]: Number(e.target.value) })}
                  >
                    <option value="">–</option>
                    {Array.from({ length: scale }, (_, i) => (
                      <option key={i + 1} value={i + 1}>
                        {i + 1}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </fieldset>
          );
        }
        return (
          <div key={a.key} className="aspect-field">
            <label htmlFor={id}>{title}</label>
            <textarea
              id={id}
              className="rationale"
              rows={3}
              maxLength={10_000}
              value={typeof v === 'string' ? v : ''}
              onChange={(e) => onChange(a.key, e.target.value)}
            />
          </div>
        );
      })}
    </div>
  );
}
