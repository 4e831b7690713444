/**
 * One entry point to restore any serialised model: the campaign service stores model versions as
 * JSON and must not need to know which class wrote them.
 */
import { BordaGP, type SerializedBordaGP } from './borda-gp';
import { LaplaceBradleyTerry, type SerializedLaplaceBradleyTerry } from './laplace-bt';
import { LinearBradleyTerry, type SerializedLinearBradleyTerry } from './linear-bt';
import { LowRankBorda, type SerializedLowRankBorda } from './low-rank-borda';
import type { ModelKind, PreferenceModel, SerializedModel } from './model';
import { NeuralBradleyTerry, type SerializedNeuralBradleyTerry } from './neural-bt';
import { PreferentialGP, type SerializedPreferentialGP } from './preferential-gp';

export const MODEL_KINDS: readonly ModelKind[] = [
  'borda-gp',
  'low-rank-borda',
  'linear-bt',
  'neural-bt',
  'bt-laplace',
  'preferential-gp',
];

/** Restores a model from its `toJSON()` output, dispatching on `kind`. */
export function loadModel(json: SerializedModel): PreferenceModel {
  if (json === null || typeof json !== 'object') throw new TypeError('loadModel: expected a serialised model object');
  switch (json.kind) {
    case 'borda-gp':
      return BordaGP.load(json as SerializedBordaGP);
    case 'low-rank-borda':
      return LowRankBorda.load(json as SerializedLowRankBorda);
    case 'linear-bt':
      return LinearBradleyTerry.load(json as SerializedLinearBradleyTerry);
    case 'neural-bt':
      return NeuralBradleyTerry.load(json as SerializedNeuralBradleyTerry);
    case 'bt-laplace':
      return LaplaceBradleyTerry.load(json as SerializedLaplaceBradleyTerry);
    case 'preferential-gp':
      return PreferentialGP.load(json as SerializedPreferentialGP);
    default:
      throw new RangeError(
        `loadModel: unknown kind ${JSON.stringify((json as { kind: unknown }).kind)}; expected one of ${MODEL_KINDS.join(', ')}`,
      );
  }
}
