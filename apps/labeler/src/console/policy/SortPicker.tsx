/** The three orders of the policy table, each with what it is for. */
import { POLICY_SORTS, type PolicySort } from '@borda/api-contract';

export const SORT_LABELS: Record<PolicySort, { label: string; hint: string }> = {
  prompt: { label: 'Prompt', hint: 'Import order of the prompts.' },
  confidence: {
    label: 'Confidence',
    hint: 'Least confident first (smallest LCB margin): the prompts where more labels would help most.',
  },
  gap: {
    label: 'Gap',
    hint: 'Largest gap first (max UCB − max LCB): where the pessimistic pick could lose the most.',
  },
};

export function SortPicker({ value, onChange }: { value: PolicySort; onChange: (sort: PolicySort) => void }) {
  return (
    <fieldset className="sort-picker">
      <legend>Sort prompts by</legend>
      {POLICY_SORTS.map((sort) => (
        <div key={sort} className="sort-option">
          <input
            type="radio"
            id={`policy-sort-${sort}`}
            name="policy-sort"
            value={sort}
            checked={value === sort}
            onChange={() => onChange(sort)}
            aria-describedby={`policy-sort-${sort}-hint`}
          />
          <label htmlFor={`policy-sort-${sort}`}>{SORT_LABELS[sort].label}</label>
          <p id={`policy-sort-${sort}-hint`} className="field-hint">
            {SORT_LABELS[sort].hint}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
