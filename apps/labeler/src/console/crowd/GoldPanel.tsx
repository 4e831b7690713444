/**
 * Gold management: the share of leases that are check questions and the feedback setting, generating
 * N response-vs-degraded-copy pairs, marking a labeled comparison, and the gold list with grades.
 */
import { ScrollRegion } from '../campaign/ScrollRegion';
import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert, Loading } from '../../components/feedback';
import { useCrowdAction, useGold } from './queries';

export function GoldPanel({ campaignId }: { campaignId: string }) {
  const id = useId();
  const gold = useGold(campaignId);
  const [count, setCount] = useState('10');
  const [mark, setMark] = useState({ comparisonId: '', answer: '' });
  const generate = useCrowdAction<{ count: number }>(campaignId, () => '/gold/generate');
  const marking = useCrowdAction<{ comparisonId: string; answer: string }>(campaignId, () => '/gold');
  const countValue = Number(count);
  const countValid = Number.isInteger(countValue) && countValue >= 1 && countValue <= 1000;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Gold comparisons</h2>
      {gold.isPending && <Loading label="Loading gold…" />}
      <ErrorAlert error={gold.error} title="Gold could not be loaded" />
      {gold.data && (
        <GoldSettings campaignId={campaignId} goldRate={gold.data.goldRate} goldFeedback={gold.data.goldFeedback} />
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (countValid) generate.mutate({ count: countValue });
        }}
      >
        <label htmlFor={`${id}-count`}>Generate gold (response vs. a degraded copy of itself)</label>
        <input
          id={`${id}-count`}
          type="number"
          min={1}
          max={1000}
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
        <button type="submit" className="button" disabled={!countValid || generate.isPending}>
          Generate
        </button>
        {generate.data !== undefined && (
          <p role="status">Generated {(generate.data as { created: number }).created} gold comparisons.</p>
        )}
        <ErrorAlert error={generate.error} title="Gold not generated" />
      </form>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (mark.comparisonId && mark.answer) marking.mutate(mark);
        }}
      >
        <label htmlFor={`${id}-cmp`}>Mark a labeled comparison as gold: comparison id</label>
        <input
          id={`${id}-cmp`}
          value={mark.comparisonId}
          onChange={(e) => setMark({ ...mark, comparisonId: e.target.value.trim() })}
        />
        <label htmlFor={`${id}-answer`}>Id of the better response</label>
        <input
          id={`${id}-answer`}
          value={mark.answer}
          onChange={(e) => setMark({ ...mark, answer: e.target.value.trim() })}
        />
        <button type="submit" className="button" disabled={!mark.comparisonId || !mark.answer || marking.isPending}>
          Mark as gold
        </button>
        {marking.isSuccess && <p role="status">Marked as gold.</p>}
        <ErrorAlert error={marking.error} title="Not marked" />
      </form>
      {gold.data && (
        <ScrollRegion label="Gold comparisons, scrollable">
          <table className="table">
            <caption>{gold.data.comparisons.length} gold comparisons</caption>
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                <th scope="col">Source</th>
                <th scope="col">Correct / graded</th>
              </tr>
            </thead>
            <tbody>
              {gold.data.comparisons.map((c) => (
                <tr key={c.comparisonId}>
                  <td>{(c.promptText ?? '(chat)').slice(0, 80)}</td>
                  <td>{c.source}</td>
                  <td>
                    {c.correct} / {c.graded}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

/** The campaign's gold rate and feedback setting (PATCH /campaigns/:id), starting from the stored values. */
function GoldSettings(props: { campaignId: string; goldRate: number; goldFeedback: boolean }) {
  const id = useId();
  const [rate, setRate] = useState(String(props.goldRate));
  const [feedback, setFeedback] = useState(props.goldFeedback);
  const settings = useCrowdAction<{ goldRate: number; goldFeedback: boolean }>(props.campaignId, () => '', 'PATCH');
  const rateValue = Number(rate);
  const rateValid = rate.trim() !== '' && rateValue >= 0 && rateValue <= 0.5;

  function saveSettings(event: FormEvent) {
    event.preventDefault();
    if (rateValid) settings.mutate({ goldRate: rateValue, goldFeedback: feedback });
  }

  return (
    <form onSubmit={saveSettings} className="stack">
      <label htmlFor={`${id}-rate`}>Gold rate (share of each labeler’s comparisons, 0–0.5)</label>
      <input
        id={`${id}-rate`}
        type="number"
        step="0.01"
        min={0}
        max={0.5}
        value={rate}
        aria-invalid={!rateValid}
        onChange={(e) => setRate(e.target.value)}
      />
      <label>
        <input type="checkbox" checked={feedback} onChange={(e) => setFeedback(e.target.checked)} /> Show the expected
        answer after a missed check question
      </label>
      <button type="submit" className="button" disabled={!rateValid || settings.isPending}>
        Save gold settings
      </button>
      {settings.isSuccess && <p role="status">Gold settings saved.</p>}
      <ErrorAlert error={settings.error} title="Settings not saved" />
    </form>
  );
}
