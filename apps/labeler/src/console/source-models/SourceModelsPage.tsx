/**
 * /console/campaigns/:campaignId/models: the models that wrote the campaign's responses, compared
 * through the judgments between them — a leaderboard with intervals and a head-to-head heatmap,
 * filtered by prompt metadata and optionally weighed by the crowd reliability model.
 */
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatCount, formatNumber } from '../../components/format';
import { type SourceModelFilter, useSourceModels } from './queries';
import { HeadToHead, LeaderboardChart } from './SourceModelCharts';
import '../campaign/console.css';

export function SourceModelsPage() {
  const { campaignId = '' } = useParams();
  const [draft, setDraft] = useState<SourceModelFilter>({ key: '', value: '', weights: 'none' });
  const [filter, setFilter] = useState<SourceModelFilter>(draft);
  const board = useSourceModels(campaignId, filter);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(draft);
  }

  return (
    <div className="console-page source-models-page">
      <h1>Models</h1>
      <p>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}`}>Back to the campaign</Link>
      </p>
      <p className="muted">
        The models that wrote the responses (the import’s <code>model</code> of each response), compared through the
        judgments between responses of two different models. Labelers never see these names.
      </p>
      <form className="card source-models-filter" onSubmit={apply} aria-label="Filter">
        <div className="form-row">
          <div className="field">
            <label htmlFor="meta-key">Prompt metadata key</label>
            <input
              id="meta-key"
              value={draft.key}
              placeholder="e.g. domain"
              onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="meta-value">equals</label>
            <input
              id="meta-value"
              value={draft.value}
              placeholder="e.g. code"
              onChange={(e) => setDraft({ ...draft, value: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="weights">Judgments count</label>
            <select
              id="weights"
              value={draft.weights}
              onChange={(e) => setDraft({ ...draft, weights: e.target.value as SourceModelFilter['weights'] })}
            >
              <option value="none">Equally</option>
              <option value="reliability">By the crowd reliability weights</option>
            </select>
          </div>
        </div>
        <button type="submit" className="button button-primary">
          Apply
        </button>
      </form>
      {board.isPending && <Loading label="Loading the leaderboard…" />}
      {board.error && <ErrorAlert error={board.error} title="The leaderboard could not be loaded" />}
      {board.data && (
        <>
          <p role="status">
            {formatNumber(board.data.judgments, 2)} judgments between different models
            {Object.keys(board.data.meta).length > 0 &&
              ` on prompts with ${Object.entries(board.data.meta)
                .map(([k, v]) => `${k} = ${v}`)
                .join(', ')}`}
            ; {formatCount(board.data.bothBad)} both bad
            {board.data.responsesWithoutModel > 0 &&
              `; ${formatCount(board.data.responsesWithoutModel)} responses carry no model and do not count`}
            .
          </p>
          <LeaderboardChart board={board.data} />
          <HeadToHead board={board.data} />
        </>
      )}
    </div>
  );
}
