/**
 * Comparisons whose judgments stayed split after the extra judgments the campaign allows. The
 * researcher's answer becomes the comparison's gold answer and grades the labelers who judged it.
 */
import type { ReviewItem } from '@borda/api-contract';
import { ErrorAlert, Loading } from '../../components/feedback';
import { Markdown } from '../../components/Markdown';
import { useCrowdAction, useReview } from './queries';

export function ReviewQueue({ campaignId }: { campaignId: string }) {
  const review = useReview(campaignId);
  const adjudicate = useCrowdAction<{ comparisonId: string; answer: string }>(
    campaignId,
    (b) => `/review/${encodeURIComponent(b.comparisonId)}`,
  );
  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">Review queue</h2>
      {review.isPending && <Loading label="Loading the review queue…" />}
      <ErrorAlert error={review.error} title="The review queue could not be loaded" />
      <ErrorAlert error={adjudicate.error} title="Not adjudicated" />
      {review.data && review.data.length === 0 && <p>Nothing to review: no comparison stayed split.</p>}
      {review.data?.map((item: ReviewItem, index: number) => (
        <article key={item.comparisonId} className="review-item" aria-label={`Split comparison ${index + 1}`}>
          <p className="muted">
            {item.votesFirst} vs {item.votesSecond} after {item.judgments} judgments
          </p>
          {item.promptText && <Markdown text={item.promptText} />}
          <div className="responses">
            {[item.first, item.second].map((response, side) => (
              <div key={response.id} className="response-panel">
                <h3>Response {side === 0 ? 1 : 2}</h3>
                <Markdown text={response.text} />
                <button
                  type="button"
                  className="button"
                  disabled={adjudicate.isPending}
                  onClick={() => adjudicate.mutate({ comparisonId: item.comparisonId, answer: response.id })}
                >
                  Response {side === 0 ? 1 : 2} is better
                </button>
              </div>
            ))}
          </div>
        </article>
      ))}
    </section>
  );
}
