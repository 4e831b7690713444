/**
 * The greedy pick's LCB margin, with its meaning in words as well as colour: > 0 means the pick is
 * the best response at confidence β. JSON has no Infinity, so a prompt with a single response
 * (margin +∞ in the library) arrives as null.
 */
import { formatSigned } from '../../components/format';

export function isConfident(confidence: number | null | undefined): boolean {
  return confidence === null || confidence === undefined ? false : confidence > 0;
}

export function ConfidenceValue({ confidence }: { confidence: number | null }) {
  if (confidence === null || !Number.isFinite(confidence)) {
    return <span className="muted">— (single response)</span>;
  }
  const confident = confidence > 0;
  return (
    <span className={confident ? 'confidence confidence-yes' : 'confidence confidence-no'}>
      <span className="confidence-number">{formatSigned(confidence)}</span>{' '}
      <span className={confident ? 'badge badge-confident' : 'badge badge-unsure'}>
        {confident ? 'confident' : 'not yet'}
      </span>
    </span>
  );
}
