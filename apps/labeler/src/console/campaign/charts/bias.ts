import type { LabelerStats } from '@borda/api-contract';

/** |z| above this: the left rate is unlikely under a fair coin (about 5% two-sided). */
export const BIAS_Z_LIMIT = 2;

export function isSideBiased(labeler: LabelerStats): boolean {
  return labeler.leftBiasZ !== null && Math.abs(labeler.leftBiasZ) > BIAS_Z_LIMIT;
}

export function biasVerdict(labeler: LabelerStats): string {
  if (labeler.leftRate === null || labeler.leftBiasZ === null) return 'no decisive labels';
  if (!isSideBiased(labeler)) return 'no side bias';
  return labeler.leftRate > 0.5 ? 'favours the left side' : 'favours the right side';
}
