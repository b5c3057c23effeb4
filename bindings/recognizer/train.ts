/**
 * Training a Recognizer: every training utterance becomes its recipe's perturbed copies
 * (recipe.ts), the copies are packed, and one left-right GMM-HMM per digit is fitted on them —
 * here, one digit after another, or by a caller-supplied fitter (the CLI's worker pool). When
 * validation utterances are given, the fitted models are scored on them. No Node imports.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { getEngine, type Engine } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import { HmmClassifier } from '../hmm/classifier.ts';
import { GmmHmm } from '../hmm/model.ts';
import { checkInt } from '../features/options.ts';
import { fitDigit, type DigitResult, type HmmConfig } from '../pipeline/hmm-fit.ts';
import { packSequences, sequencesOf, type PackedSet } from '../pipeline/packed-set.ts';
import { accuracy } from '../metrics.ts';
import { argmax } from '../argmax.ts';
import { augmentedFrames, resolveRecipe, type Recipe } from './recipe.ts';
import { recognizerFrames, resolveRecognizerFeatures, type RecognizerFeatures } from './front-end.ts';
import { Recognizer, type LabeledAudio } from './recognizer.ts';

/** Fits the digit models of `digits` on `train` (and scores `val`): the CLI passes its worker pool's. */
export type DigitFitter = (train: PackedSet, val: PackedSet, config: HmmConfig, digits: readonly number[]) => Promise<DigitResult[]>;

export interface TrainOptions {
  recipe?: Partial<Recipe>;
  features?: Partial<RecognizerFeatures>;
  /** Seed of the augmentation draws and of the models' initialisation (default 0). */
  seed?: number;
  /** Validation utterances (scored, not trained on). */
  val?: readonly LabeledAudio[];
  /** Fits the digit models (default: on this thread). */
  fit?: DigitFitter;
  /** Stored in the file's `training` field (data, split, synthetic voices...). */
  provenance?: Record<string, unknown>;
  /** Called as utterances are augmented, with (done, total). */
  onProgress?: (done: number, total: number) => void;
  engine?: Engine;
}

export interface Trained {
  recognizer: Recognizer;
  /** Accuracy on `val` (null without it). */
  valAccuracy: number | null;
  /** Training sequences after augmentation. */
  sequences: number;
  seconds: { augment: number; fit: number };
}

/** Fits digit after digit on the calling thread. */
const fitHere = (engine?: Engine): DigitFitter => async (train, val, config, digits) => {
  const x = sequencesOf(train), v = sequencesOf(val);
  return digits.map((d) => fitDigit(x, train.labels, v, config, d, engine));
};

/**
 * Trains the recommended recogniser on labelled recordings at any rate (synthetic voices are
 * simply more recordings). Deterministic for a seed and an input order.
 * @throws ParameterError when a digit has no training utterance; NumericalError from EM.
 */
export async function trainRecognizer(train: readonly LabeledAudio[], o: TrainOptions = {}): Promise<Trained> {
  const recipe = resolveRecipe(o.recipe);
  const features = resolveRecognizerFeatures(o.features);
  const seed = checkInt('seed', o.seed ?? 0, 0);
  const engine = o.engine ?? getEngine();
  const digits = [...new Set(train.map((u) => u.digit))].sort((a, b) => a - b);
  if (digits.length < 2) throw new ParameterError(`training needs at least two digits, got ${digits.length}`);
  const rng = new Rng(seed);
  const t0 = performance.now();
  const seqs: Matrix[] = [], labels: number[] = [];
  train.forEach((u, i) => {
    for (const X of augmentedFrames(u, recipe, features, rng, engine)) {
      // A left-right chain needs a frame per state; shorter copies cannot be aligned.
      if (X.rows >= recipe.nStates) { seqs.push(X); labels.push(u.digit); }
    }
    o.onProgress?.(i + 1, train.length);
  });
  for (const d of digits) if (!labels.includes(d)) throw new ParameterError(`digit ${d}: no training utterance is ${recipe.nStates} frames or longer`);
  const valX = (o.val ?? []).map((u) => recognizerFrames(u.samples, u.sampleRate, features, { engine }));
  const t1 = performance.now();
  const shared = o.fit !== undefined;
  const trainSet = packSequences(seqs, labels, seqs.map((_, i) => String(i)), shared);
  const valSet = packSequences(valX, (o.val ?? []).map((u) => u.digit), valX.map((_, i) => String(i)), shared);
  const config: HmmConfig = { nStates: recipe.nStates, nMix: recipe.nMix, covarianceType: recipe.covarianceType, nIter: recipe.nIter, tol: recipe.tol, seed, minCovar: recipe.minCovar };
  const results = await (o.fit ?? fitHere(engine))(trainSet, valSet, config, digits);
  const t2 = performance.now();
  const clf = new HmmClassifier({ engine });
  clf.labels = digits;
  clf.models = digits.map((d) => GmmHmm.fromJSON(results.find((r) => r.digit === d)!.model, engine));
  let valAccuracy: number | null = null;
  if (valX.length) {
    const pred = valX.map((_, i) => digits[argmax(Float64Array.from(digits, (d) => results.find((r) => r.digit === d)!.viterbi[i]!))]!);
    valAccuracy = accuracy((o.val ?? []).map((u) => u.digit), pred);
  }
  const seconds = { augment: (t1 - t0) / 1000, fit: (t2 - t1) / 1000 };
  const recognizer = Recognizer.fromClassifier(clf, {
    features, algorithm: 'viterbi', engine,
    training: { recipe, seed, utterances: train.length, sequences: seqs.length, valAccuracy, seconds, ...o.provenance },
  });
  return { recognizer, valAccuracy, sequences: seqs.length, seconds };
}
