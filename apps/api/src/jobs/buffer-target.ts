/**
 * How many comparison slots a campaign keeps available ahead of its labelers (issue 11 item 2: "a loop
 * that keeps up"). The researcher's `bufferSize` (comparisons) is the floor; above it the buffer is
 * sized from what is measured: the labeling rate, how long a refill takes to land, and how many
 * labelers are at work right now. Counted in slots (one per judgment still wanted), because a labeler
 * needs an AVAILABLE slot, not just an open comparison: a comparison whose slots are all leased is
 * open and yet serves nobody, which is how 30 labelers with a prefetch each emptied a buffer of 32.
 *
 * The rule, with λ the judgments per second over the last minute and H the refill horizon:
 *
 *   target = max(bufferSize · redundancy, ⌈λ · H⌉ + active labelers)
 *   (no judgment in the last minute: max(floor, 2 · min(assigned labelers, 10 · bufferSize)))
 *   H      = clamp(2 · selection latency + model-update latency, 10 s, 300 s)
 *
 * A refill is queued when fewer than half the target are available, so the half that is left must
 * outlast one refill: λ·H/2 ≥ λ·(selection latency) holds by H ≥ 2·latency, and the model-update term
 * covers the refill that waits for a pending fit (below). Each active labeler also holds a prefetched
 * lease, and takes a fresh slot for it the moment they judge: hence the `+ active labelers`.
 * Before anyone has judged there is no rate to go by, and a crowd that arrives at once would wait through
 * refill after refill while the target learns its size from the leases it holds; so a campaign starts with
 * room for each assigned labeler's comparison and prefetch (capped: assignment lists can be long).
 * Pure: the caller measures, this decides.
 */

/** The labeling rate is measured over this window (long enough to smooth think times, short enough to follow a shift). */
export const RATE_WINDOW_SECONDS = 60;
/** The horizon's bounds: below 10 s a burst empties the buffer; above 5 min the picks grow stale before anyone sees them. */
export const MIN_HORIZON_SECONDS = 10;
export const MAX_HORIZON_SECONDS = 300;
/** What the labeler app holds at once: the comparison shown and one prefetched. */
export const LEASES_PER_LABELER = 2;
/** Before the first judgment, at most this many assigned labelers per bufferSize are expected at once. */
export const COLD_START_LABELERS_PER_BUFFER = 10;
/** However fast the crowd, one campaign never asks for more open slots than this. */
export const MAX_TARGET_SLOTS = 20_000;

export interface BufferDemand {
  /** The campaign's bufferSize (comparisons): the researcher's floor. */
  readonly bufferSize: number;
  /** Judgments each comparison wants. */
  readonly redundancy: number;
  /** Judgments stored in the last RATE_WINDOW_SECONDS. */
  readonly recentLabels: number;
  /** Labelers holding a live lease now. */
  readonly activeLabelers: number;
  /** Labelers assigned to the campaign (the crowd to expect before anyone has judged). */
  readonly assignedLabelers: number;
  /** The longest of the campaign's recent selections, from queued to finished (s; 0 when none yet). */
  readonly selectionSeconds: number;
  /** The longest of its recent model updates (fit, policy), from queued to finished (s; 0 when none yet). */
  readonly modelUpdateSeconds: number;
}

/** Seconds a refill has to land within: see the module comment. */
export function refillHorizon(demand: Pick<BufferDemand, 'selectionSeconds' | 'modelUpdateSeconds'>): number {
  const horizon = 2 * demand.selectionSeconds + demand.modelUpdateSeconds;
  return Math.min(MAX_HORIZON_SECONDS, Math.max(MIN_HORIZON_SECONDS, horizon));
}

/** Available slots the campaign should hold. */
export function bufferTarget(demand: BufferDemand): number {
  const floor = demand.bufferSize * demand.redundancy;
  if (demand.recentLabels === 0) {
    const expected = Math.min(demand.assignedLabelers, COLD_START_LABELERS_PER_BUFFER * demand.bufferSize);
    return Math.min(MAX_TARGET_SLOTS, Math.max(floor, LEASES_PER_LABELER * expected, demand.activeLabelers));
  }
  const labelsPerSecond = demand.recentLabels / RATE_WINDOW_SECONDS;
  const measured = Math.ceil(labelsPerSecond * refillHorizon(demand)) + demand.activeLabelers;
  return Math.min(MAX_TARGET_SLOTS, Math.max(floor, measured));
}

/**
 * Whether a label-driven check should queue a refill. Below half the target: yes, except that while a
 * newer model is on its way (a fit or policy pending, which ends in a refill by that model) a buffer
 * still holding a quarter of the target waits for it rather than being filled from the old model.
 * An empty buffer never waits. `modelUpdatePending` is asked only when it matters (it is a query).
 */
/** Fewer than half the target available: the submit statements' pre-check, before JobChain asks refillDue. */
export function belowHalf(available: number, target: number): boolean {
  return available < Math.ceil(target / 2);
}

export async function refillDue(
  available: number,
  target: number,
  modelUpdatePending: () => Promise<boolean>,
): Promise<boolean> {
  if (!belowHalf(available, target)) return false;
  if (available > 0 && available >= Math.ceil(target / 4) && (await modelUpdatePending())) return false;
  return true;
}
