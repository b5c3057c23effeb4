/**
 * One configuration, one digit (MISSION steps 10–12): the lab's left-right digit model, fitting it
 * on its train sequences and scoring a validation set with it, and classifying a set with fitted
 * models. The grid (hmm-grid.ts), the pool's workers (hmm-worker.ts) and `speechcore hmm` call these.
 *
 * @module
 */
import { accuracy, confusionMatrix } from '../metrics.ts';
import { argmaxColumns } from '../argmax.ts';
import { NumericalError, ParameterError } from '../errors.ts';
import { checkChoice, checkInt, checkNumber } from '../features/options.ts';
import { getEngine, type Engine } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import { GmmHmm, prepareFrames } from '../hmm/model.ts';
import type { CovarianceType } from '../hmm/gmm.ts';
import { sequencesOf, type PackedSet } from './packed-set.ts';

/** Score used to pick a label: the forward log-likelihood or the best path's (the lab's). */
export type Algorithm = 'viterbi' | 'forward';

/**
 * One point of the grid and the EM settings shared by the grid, named as GmmHmm's options
 * (hmmlearn's n_components → nStates, n_mix → nMix, covariance_type → covarianceType).
 */
export interface HmmConfig {
  nStates: number;
  nMix: number;
  covarianceType: CovarianceType;
  nIter: number;
  tol: number;
  seed: number;
  minCovar?: number;
}

/** What fitting one digit's model (and scoring the validation set with it) produced. */
export interface DigitResult {
  digit: number;
  fitSeconds: number;
  /** Scoring the validation set, forward and Viterbi (emission densities shared). */
  scoreSeconds: number;
  /** E-steps run (hmmlearn's monitor count). */
  iterations: number;
  converged: boolean;
  /** GmmHmm.toJSON() of the fitted model. */
  model: object;
  /** log p(val_i) under this model, forward and best path. */
  forward: Float64Array;
  viterbi: Float64Array;
}

/** Checks a configuration; messages name the field. */
export function checkConfig(c: HmmConfig): HmmConfig {
  checkInt('nStates', c.nStates, 1);
  checkInt('nMix', c.nMix, 1);
  checkChoice('covarianceType', c.covarianceType, ['diag', 'full'] as const);
  checkInt('nIter', c.nIter, 1);
  checkNumber('tol', c.tol, 0);
  checkInt('seed', c.seed, 0);
  if (c.minCovar !== undefined) checkNumber('minCovar', c.minCovar, 0, Infinity, true);
  return c;
}

/** The lab's model for one digit: left-right, start in the first state, end in the last. */
export function digitModel(c: HmmConfig, digit: number, engine?: Engine): GmmHmm {
  return new GmmHmm({
    nStates: c.nStates, nMix: c.nMix, covarianceType: c.covarianceType, topology: 'left-right', endInLast: true,
    nIter: c.nIter, tol: c.tol, seed: c.seed, minCovar: c.minCovar, name: `digit ${digit}`, engine,
  });
}

/**
 * Fits digit `digit`'s model on its train sequences and scores all of `val` with it. Throws what
 * fit throws (NumericalError for a degenerate model).
 */
export function fitDigit(train: readonly Matrix[], trainLabels: ArrayLike<number>, val: readonly Matrix[], c: HmmConfig,
  digit: number, engine?: Engine): DigitResult {
  const mine = train.filter((_, i) => trainLabels[i] === digit);
  if (mine.length === 0) throw new ParameterError(`digit ${digit} has no train sequences`);
  const eng = engine ?? getEngine();
  const t0 = performance.now();
  const m = digitModel(c, digit, eng).fit(mine);
  const t1 = performance.now();
  const [forward, viterbi] = val.length
    ? eng.arena.scope(() => m.scorePrepared(prepareFrames(eng, val, m.nFeatures), ['forward', 'viterbi'])) as [Float64Array, Float64Array]
    : [new Float64Array(0), new Float64Array(0)];
  const t2 = performance.now();
  return {
    digit, fitSeconds: (t1 - t0) / 1000, scoreSeconds: (t2 - t1) / 1000,
    iterations: m.fitInfo!.history.length, converged: m.fitInfo!.converged, model: m.toJSON(), forward, viterbi,
  };
}

/** Predictions of a set by models (GmmHmm or their JSON) for `labels`, on this thread. */
export function classify(models: readonly (GmmHmm | object)[], labels: readonly number[], set: PackedSet, algorithm: Algorithm = 'viterbi',
  engine?: Engine): { predictions: Int32Array; seconds: number } {
  const t0 = performance.now();
  const hmms = models.map((m) => (m instanceof GmmHmm ? m : GmmHmm.fromJSON(m, engine)));
  const eng = engine ?? getEngine();
  const seqs = sequencesOf(set);
  const cols = eng.arena.scope(() => {
    const f = prepareFrames(eng, seqs, hmms[0]!.nFeatures);
    return hmms.map((m) => m.scorePrepared(f, [algorithm])[0]!);
  });
  for (const [j, col] of cols.entries()) {
    const bad = col.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new NumericalError(`model for label ${labels[j]}: NaN log-likelihood for ${set.files[bad]}`);
  }
  return { predictions: argmaxColumns(cols, labels, seqs.length), seconds: (performance.now() - t0) / 1000 };
}

/** Accuracy and confusion matrix (rows true, columns predicted) over `labels`. */
export function evaluate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: number[]): { accuracy: number; confusion: number[][] } {
  return { accuracy: accuracy(yTrue, yPred), confusion: confusionMatrix(yTrue, yPred, labels) };
}
