/**
 * Stratified (or plain) shuffled train/test split, sklearn's `train_test_split(..., stratify=y)`
 * semantics: n_test = ceil(testSize·n), per-class train counts by sklearn's "approximate mode"
 * (floors, then the largest remainders), seeded so every split is reproducible.
 *
 * @module
 */
import { ParameterError, Rng } from 'speechcore';

export interface SplitOptions {
  /** Fraction of samples in the test set, float in (0, 1) (default 0.3, the lab's). */
  testSize?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Keep class proportions in both parts (default true). */
  stratify?: boolean;
}

export interface SplitIndices {
  train: number[];
  test: number[];
}

/**
 * Indices of a shuffled split of labels y.
 * @throws ParameterError when testSize is out of range, either part would be empty, or (stratified)
 *   a class has fewer than 2 samples or either part cannot hold one sample of every class.
 * @example const { train, test } = stratifiedSplit(y, { testSize: 0.3, seed: 4 })
 */
export function stratifiedSplit(y: readonly number[], options: SplitOptions = {}): SplitIndices {
  const testSize = options.testSize ?? 0.3;
  if (!(testSize > 0 && testSize < 1)) throw new ParameterError(`testSize=${testSize} must be in (0, 1)`);
  const n = y.length;
  const nTest = Math.ceil(testSize * n), nTrain = n - nTest;
  if (nTrain < 1 || nTest < 1) throw new ParameterError(`testSize=${testSize} with ${n} samples leaves ${nTrain} train and ${nTest} test`);
  const rng = new Rng(options.seed ?? 0);
  if (options.stratify === false) {
    const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    return { train: idx.slice(0, nTrain), test: idx.slice(nTrain) };
  }
  const byClass = new Map<number, number[]>();
  y.forEach((c, i) => { if (!byClass.has(c)) byClass.set(c, []); byClass.get(c)!.push(i); });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const c of classes) {
    if (byClass.get(c)!.length < 2) throw new ParameterError(`stratified split: class ${c} has 1 sample; every class needs at least 2`);
  }
  if (nTrain < classes.length || nTest < classes.length) {
    throw new ParameterError(`stratified split: ${nTrain} train / ${nTest} test cannot hold all ${classes.length} classes (testSize=${testSize})`);
  }
  // Approximate mode: floor of the expected train count, remainders go to the largest fractions
  // (ties broken at random, as sklearn does).
  const counts = classes.map((c) => byClass.get(c)!.length);
  const exact = counts.map((k) => (k * nTrain) / n);
  const take = exact.map(Math.floor);
  let left = nTrain - take.reduce((a, b) => a + b, 0);
  const order = rng.shuffle(classes.map((_, i) => i)).sort((a, b) => (exact[b] - take[b]) - (exact[a] - take[a]));
  for (const i of order) {
    if (left === 0) break;
    if (take[i] < counts[i] - 1) { take[i]++; left--; }
  }
  // Keep at least one test sample per class.
  for (let i = 0; i < take.length; i++) {
    if (take[i] >= counts[i]) {
      take[i] = counts[i] - 1;
      const j = take.findIndex((t, k) => t < counts[k] - 1);
      if (j >= 0) take[j]++;
    }
  }
  const train: number[] = [], test: number[] = [];
  classes.forEach((c, i) => {
    const idx = rng.shuffle([...byClass.get(c)!]);
    train.push(...idx.slice(0, take[i]));
    test.push(...idx.slice(take[i]));
  });
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** sklearn's train_test_split for row arrays: the rows and labels of each part. */
export function trainTestSplit<R>(X: readonly R[], y: readonly number[], options: SplitOptions = {}) {
  if (X.length !== y.length) throw new ParameterError(`trainTestSplit: X has ${X.length} rows, y ${y.length} labels`);
  const { train, test } = stratifiedSplit(y, options);
  return {
    XTrain: train.map((i) => X[i]), XTest: test.map((i) => X[i]),
    yTrain: train.map((i) => y[i]), yTest: test.map((i) => y[i]),
    trainIndex: train, testIndex: test,
  };
}
