/**
 * The Laplace Bradley–Terry model with its feature map chosen from the labels (docs/algorithms.md §9):
 * raw features ('linear'), random Fourier features ('rff') or both, each with its hyperparameters
 * learned by Laplace evidence, the winner picked by the penalised evidence (`chooseModel`). The choice
 * is made again whenever the labels have grown by `rechooseGrowth` since the last one, from all labels;
 * in between, labels are absorbed by the chosen model's O(p²) update. Every capability is the chosen
 * LaplaceBradleyTerry's, so strategies see an ordinary bt-laplace model, and `toJSON` is the chosen
 * model's own (loadModel restores it as a plain LaplaceBradleyTerry).
 */
import type { FeatureMatrix, Rng } from '@borda/numeric';
import type { BtFeatureMapKind } from './bt-feature-maps';
import type { BtHallucinationSession, PairConditioner } from './bt-hallucination';
import { LaplaceBradleyTerry } from './laplace-bt';
import type { LaplaceBradleyTerryHyperparameters, LaplaceBradleyTerryOptions } from './laplace-bt-options';
import type {
  HallucinatingModel,
  LinearPreferenceModel,
  PairObservation,
  PairwiseVarianceModel,
  Posterior,
} from './model';
import { type CandidateScore, chooseModel } from './model-choice';

export interface AutoBradleyTerryOptions extends Omit<LaplaceBradleyTerryOptions, 'featureMap'> {
  /** The maps to choose among, simplest first: the first is the choice below `minLabels` (default all three). */
  readonly featureMaps?: readonly BtFeatureMapKind[];
  /** Choose again once the labels have grown by this factor since the last choice (default 1.5). */
  readonly rechooseGrowth?: number;
  /** Below this many labels the first map is used without scoring (default 30). */
  readonly minLabels?: number;
}

/** The last choice: when, how and every candidate's score. */
export interface FeatureMapChoice {
  readonly chosen: BtFeatureMapKind;
  readonly method: 'evidence' | 'prior';
  readonly atLabels: number;
  readonly scores: readonly CandidateScore[];
}

export interface AutoBradleyTerryHyperparameters extends LaplaceBradleyTerryHyperparameters {
  readonly choice: FeatureMapChoice;
}

/**
 * The richest map first: it is the choice below `minLabels`, and it contains the others (its blocks'
 * precisions are learned), so early labels are not chosen by a model that cannot see the reward's shape.
 * An actively chosen sample taken under a too-simple model concentrates where that model is unsure and
 * can hide the structure it misses from the evidence afterwards (measured: docs/algorithms.md §9).
 */
const ALL_MAPS: readonly BtFeatureMapKind[] = ['linear+rff', 'rff', 'linear'];

export class AutoBradleyTerry implements LinearPreferenceModel, PairwiseVarianceModel, HallucinatingModel {
  readonly kind = 'bt-laplace' as const;
  readonly pairwiseLikelihood = 'logistic' as const;
  readonly dimension: number;
  private readonly options: AutoBradleyTerryOptions;
  private readonly maps: readonly BtFeatureMapKind[];
  private readonly growth: number;
  private readonly minLabels: number;
  private current: LaplaceBradleyTerry;
  private observations: PairObservation[] = [];
  private choice: FeatureMapChoice;

  constructor(options: AutoBradleyTerryOptions) {
    this.options = options;
    this.dimension = options.dimension;
    this.maps = options.featureMaps ?? ALL_MAPS;
    if (this.maps.length === 0) throw new RangeError('AutoBradleyTerry needs at least one feature map');
    this.growth = options.rechooseGrowth ?? 1.5;
    if (!(this.growth > 1)) throw new RangeError(`rechooseGrowth must be > 1, got ${this.growth}`);
    this.minLabels = options.minLabels ?? 30;
    this.current = this.create(this.maps[0]);
    this.choice = { chosen: this.maps[0], method: 'prior', atLabels: 0, scores: [] };
  }

  get observationCount(): number {
    return this.observations.length;
  }

  get theta(): Float64Array {
    return this.current.theta;
  }

  /** The chosen model's hyperparameters and how it was chosen. */
  get hyperparameters(): AutoBradleyTerryHyperparameters {
    return { ...this.current.hyperparameters, choice: this.choice };
  }

  /** The chosen LaplaceBradleyTerry (what toJSON serialises). */
  get chosen(): LaplaceBradleyTerry {
    return this.current;
  }

  fit(observations: readonly PairObservation[]): void {
    this.observations = [...observations];
    this.choose();
  }

  update(observations: readonly PairObservation[]): void {
    if (observations.length === 0) return;
    this.observations.push(...observations);
    const n = this.observations.length;
    const due = n >= this.minLabels && (this.choice.method === 'prior' || n >= this.growth * this.choice.atLabels);
    if (due) this.choose();
    else this.current.update(observations);
  }

  predict(features: FeatureMatrix): Posterior {
    return this.current.predict(features);
  }

  sample(features: FeatureMatrix, count: number, rng: Rng): Float64Array[] {
    return this.current.sample(features, count, rng);
  }

  differenceVariance(first: ArrayLike<number>, second: ArrayLike<number>): number {
    return this.current.differenceVariance(first, second);
  }

  differenceNorm(first: ArrayLike<number>, second: ArrayLike<number>): number {
    return this.current.differenceNorm(first, second);
  }

  whiten(features: FeatureMatrix): FeatureMatrix {
    return this.current.whiten(features);
  }

  hallucinate(pool: FeatureMatrix): BtHallucinationSession {
    return this.current.hallucinate(pool);
  }

  conditioner(): PairConditioner {
    return this.current.conditioner();
  }

  logEvidence(): number {
    return this.current.logEvidence();
  }

  toJSON(): ReturnType<LaplaceBradleyTerry['toJSON']> {
    return this.current.toJSON();
  }

  private create(featureMap: BtFeatureMapKind): LaplaceBradleyTerry {
    const { featureMaps: _maps, rechooseGrowth: _growth, minLabels: _min, ...rest } = this.options;
    return new LaplaceBradleyTerry({ ...rest, featureMap });
  }

  private choose(): void {
    const candidates = this.maps.map((featureMap) => ({
      name: featureMap,
      create: () => this.create(featureMap),
    }));
    const result = chooseModel(candidates, this.observations, { minLabels: this.minLabels, method: 'auto' });
    this.current = result.model as LaplaceBradleyTerry;
    this.choice = {
      chosen: result.name as BtFeatureMapKind,
      method: result.method === 'evidence' ? 'evidence' : 'prior',
      atLabels: this.observations.length,
      scores: result.scores,
    };
  }
}
