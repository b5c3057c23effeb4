/**
 * Lab step 7's protocol: for each of `splits` seeded stratified 70/30 splits, standardise on the
 * training part (StandardScaler), fit every classifier, score it on the test part; report each
 * classifier's accuracies, mean, standard deviation, fit/predict time and summed confusion matrix.
 *
 * @module
 */
import { ParameterError, confusionMatrix, StandardScaler } from 'speechcore';
import type { Classifier, Rows } from './estimator.ts';
import { GaussianNB } from './naive-bayes.ts';
import { KNN, LibraryGaussianNB, LinearSVC } from './library.ts';
import { MLPClassifier } from './mlp.ts';
import { stratifiedSplit } from './split.ts';

export interface ClassifierResult {
  name: string;
  /** Mean test accuracy over the splits. */
  mean: number;
  /** Population standard deviation of the accuracies. */
  std: number;
  /** One test accuracy per split, in split order. */
  accuracies: number[];
  /** Milliseconds of fit + predict, summed over the splits. */
  ms: number;
  /** Confusion matrix summed over the splits (rows true, columns predicted, `labels` order). */
  confusion: number[][];
}

export interface EvaluateOptions {
  /** Number of splits, int ≥ 1 (default 20). */
  splits?: number;
  /** Split k uses seed + k (default 0). */
  seed?: number;
  /** Test fraction (default 0.3). */
  testSize?: number;
  /** Builds fresh classifiers for one split (default: {@link labClassifiers}). */
  classifiers?: (split: number) => Classifier[];
  onProgress?: (done: number, total: number) => void;
}

/** The lab's five: GaussianNB (ours), GaussianNB (ml-naivebayes), kNN k=3, linear SVM, MLP. */
export function labClassifiers(seed = 0): Classifier[] {
  return [new GaussianNB(), new LibraryGaussianNB(), new KNN({ k: 3 }), new LinearSVC(), new MLPClassifier({ seed })];
}

/** Mean and population standard deviation. */
export function meanAndStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

/** Scales rows with a StandardScaler fitted on `fitRows`. */
export function standardize(fitRows: Rows, ...others: Rows[]): number[][][] {
  const D = fitRows[0].length;
  const pack = (rows: Rows) => ({ data: Float32Array.from(rows.flatMap((r) => Array.from(r))), rows: rows.length, cols: D });
  const scaler = new StandardScaler().fit([pack(fitRows)]);
  return [fitRows, ...others].map((rows) => {
    const { mean, scale } = scaler;
    return rows.map((r) => Array.from(r, (v, j) => (v - mean![j]) / scale![j]));
  });
}

/**
 * Runs the protocol on per-utterance vectors X [n][D] and labels y.
 * @example evaluateClassifiers(X, y, { splits: 20, seed: 0 }).map((r) => [r.name, r.mean])
 */
export function evaluateClassifiers(X: Rows, y: readonly number[], options: EvaluateOptions = {}): { labels: number[]; results: ClassifierResult[] } {
  const splits = options.splits ?? 20, seed = options.seed ?? 0;
  if (!Number.isInteger(splits) || splits < 1) throw new ParameterError(`splits=${splits} must be an integer >= 1`);
  if (X.length !== y.length) throw new ParameterError(`X has ${X.length} rows, y ${y.length} labels`);
  const make = options.classifiers ?? ((k: number) => labClassifiers(seed + k));
  const labels = [...new Set(y)].sort((a, b) => a - b);
  const results = new Map<string, ClassifierResult>();
  for (let k = 0; k < splits; k++) {
    const { train, test } = stratifiedSplit(y, { testSize: options.testSize ?? 0.3, seed: seed + k });
    const [Xtr, Xte] = standardize(train.map((i) => X[i]), test.map((i) => X[i]));
    const ytr = train.map((i) => y[i]), yte = test.map((i) => y[i]);
    for (const clf of make(k)) {
      const t0 = performance.now();
      const pred = clf.fit(Xtr, ytr).predict(Xte);
      const ms = performance.now() - t0;
      (clf as { dispose?: () => void }).dispose?.();
      let r = results.get(clf.name);
      if (!r) results.set(clf.name, (r = { name: clf.name, mean: 0, std: 0, accuracies: [], ms: 0, confusion: labels.map(() => labels.map(() => 0)) }));
      r.accuracies.push(pred.reduce((a, p, i) => a + (p === yte[i] ? 1 : 0), 0) / yte.length);
      r.ms += ms;
      const cm = confusionMatrix(yte, pred, labels);
      cm.forEach((row, i) => row.forEach((v, j) => (r!.confusion[i][j] += v)));
    }
    options.onProgress?.(k + 1, splits);
  }
  for (const r of results.values()) Object.assign(r, meanAndStd(r.accuracies));
  return { labels, results: [...results.values()] };
}
