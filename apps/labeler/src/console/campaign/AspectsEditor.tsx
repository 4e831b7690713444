/**
 * The campaign form's aspects (issue 14 item 2): extra questions labelers answer beside the main
 * choice, and which one (a pairwise aspect, or the main choice) trains the reward model.
 */
import { ASPECT_KINDS, type AspectInput, type AspectKind, MAX_ASPECTS } from '@borda/api-contract';

export interface AspectDraft {
  readonly label: string;
  readonly key: string;
  readonly kind: AspectKind;
  readonly required: boolean;
}

const KIND_LABEL: Record<AspectKind, string> = {
  pairwise: 'A/B (which is better)',
  rating: 'Rating 1–7 per response',
  text: 'Free text',
};

/** A key from the label when none is typed: lowercase letters, digits and _ (the API's rule). */
export function aspectKey(draft: AspectDraft): string {
  const typed = draft.key.trim();
  if (typed) return typed;
  const slug = draft.label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '');
  return slug.slice(0, 40);
}

/** The create request's aspects and trainingAspect (the index of the aspect that trains, or null). */
export function aspectsRequest(
  drafts: readonly AspectDraft[],
  training: number | null,
): { aspects: AspectInput[]; trainingAspect: string | null } | Record<string, never> {
  if (drafts.length === 0) return {};
  const aspects = drafts.map((d) => ({ key: aspectKey(d), label: d.label.trim(), kind: d.kind, required: d.required }));
  const trains = training !== null ? drafts[training] : undefined;
  return { aspects, trainingAspect: trains && trains.kind === 'pairwise' ? aspectKey(trains) : null };
}

export interface AspectsEditorProps {
  readonly aspects: readonly AspectDraft[];
  /** Index of the aspect that trains the reward model; null: the main choice. */
  readonly training: number | null;
  onChange(aspects: readonly AspectDraft[], training: number | null): void;
}

export function AspectsEditor({ aspects, training, onChange }: AspectsEditorProps) {
  const update = (index: number, patch: Partial<AspectDraft>) => {
    const next = aspects.map((a, i) => (i === index ? { ...a, ...patch } : a));
    onChange(next, training !== null && next[training]?.kind !== 'pairwise' ? null : training);
  };
  const remove = (index: number) => {
    const next = aspects.filter((_, i) => i !== index);
    onChange(next, training === index ? null : training !== null && training > index ? training - 1 : training);
  };
  return (
    <fieldset className="aspects-editor">
      <legend>Aspects</legend>
      <p className="field-hint">
        Extra questions beside the main A/B choice (e.g. helpfulness, harmlessness, honesty). Optional; at most{' '}
        {MAX_ASPECTS}.
      </p>
      <label className="aspect-trains">
        <input type="radio" name="aspect-trains" checked={training === null} onChange={() => onChange(aspects, null)} />{' '}
        The main choice trains the reward model
      </label>
      {aspects.map((a, i) => {
        const n = i + 1;
        return (
          <div key={i} className="aspect-row" role="group" aria-label={`Aspect ${n}`}>
            <label>
              Aspect {n} label{' '}
              <input type="text" value={a.label} onChange={(e) => update(i, { label: e.target.value })} />
            </label>
            <label>
              Aspect {n} key{' '}
              <input
                type="text"
                value={a.key}
                placeholder={aspectKey({ ...a, key: '' })}
                onChange={(e) => update(i, { key: e.target.value })}
              />
            </label>
            <label>
              Aspect {n} kind{' '}
              <select value={a.kind} onChange={(e) => update(i, { kind: e.target.value as AspectKind })}>
                {ASPECT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={a.required} onChange={(e) => update(i, { required: e.target.checked })} />{' '}
              Aspect {n} required
            </label>
            <label>
              <input
                type="radio"
                name="aspect-trains"
                disabled={a.kind !== 'pairwise'}
                checked={training === i}
                onChange={() => onChange(aspects, i)}
              />{' '}
              Aspect {n} trains the reward model
            </label>
            <button type="button" className="button" onClick={() => remove(i)}>
              Remove aspect {n}
            </button>
          </div>
        );
      })}
      {aspects.length < MAX_ASPECTS && (
        <button
          type="button"
          className="button"
          onClick={() => onChange([...aspects, { label: '', key: '', kind: 'pairwise', required: false }], training)}
        >
          Add aspect
        </button>
      )}
    </fieldset>
  );
}
