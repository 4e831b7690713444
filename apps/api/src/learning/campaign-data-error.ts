/**
 * A campaign's own data cannot be learned from (a stored value that is not a finite float32, a
 * supplied embedding that is missing). Retrying cannot help, and every later job of the campaign would
 * fail the same way, so the job that meets it pauses the campaign with this message as the reason
 * (see TrackedProcessor) instead of leaving labelers facing an empty buffer forever.
 */
export class CampaignDataError extends Error {
  override readonly name = 'CampaignDataError';
}
