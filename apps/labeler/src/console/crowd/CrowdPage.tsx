/** /console/campaigns/:campaignId/crowd: labeler quality, gold comparisons and the review queue. */
import { Link, useParams } from 'react-router';
import { GoldPanel } from './GoldPanel';
import { LabelerQuality } from './LabelerQuality';
import { ReviewQueue } from './ReviewQueue';
import '../campaign/console.css';

export function CrowdPage() {
  const { campaignId = '' } = useParams();
  return (
    <div className="console-page crowd-page">
      <h1>Crowd quality</h1>
      <p>
        <Link to={`/console/campaigns/${encodeURIComponent(campaignId)}`}>Back to the campaign</Link>
      </p>
      <LabelerQuality campaignId={campaignId} />
      <ReviewQueue campaignId={campaignId} />
      <GoldPanel campaignId={campaignId} />
    </div>
  );
}
