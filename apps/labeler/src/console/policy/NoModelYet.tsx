/** The policy screens before the first reward-model fit (the API answers 409 NO_MODEL_YET). */
import type { CampaignView } from '@borda/api-contract';

export function NoModelYet({ campaign }: { campaign: CampaignView | undefined }) {
  return (
    <section className="card policy-empty" aria-labelledby="policy-empty-title">
      <h2 id="policy-empty-title">
        {campaign
          ? `No reward model yet: the first fit runs after ${campaign.retrainEvery} labels`
          : 'No reward model yet: the first fit runs after the campaign’s first retrain interval of labels'}
      </h2>
      {campaign && (
        <p>
          {campaign.labelCount} of {campaign.retrainEvery} labels collected so far. A policy appears here once the
          reward model has been fitted; this page then shows, per prompt, the responses ranked with confidence.
        </p>
      )}
    </section>
  );
}
