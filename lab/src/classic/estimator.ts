/**
 * The sklearn-like contract every step-7 classifier follows (speechcore's estimator contract), and
 * the input checks they share: `fit(X, y)` → this, `predict(X)` → Int32Array of labels,
 * `predictProba(X)` (where a classifier has it) → Matrix [samples][classes] whose rows sum to 1,
 * `score(X, y)` → accuracy. X is [samples][features]: a speechcore Matrix, or rows of numbers;
 * y integer class labels.
 *
 * @module
 */
import { ParameterError, type Matrix, accuracy } from 'speechcore';

/** Samples as rows of numbers [samples][features]. */
export type Rows = readonly (readonly number[] | Float64Array | Float32Array)[];

/** What the classifiers take: a Matrix [samples][features] or rows. */
export type Samples = Rows | Matrix;

export interface Classifier {
  /** Short display name, e.g. "GaussianNB (ours)". */
  readonly name: string;
  fit(X: Samples, y: readonly number[]): this;
  /** The label of every sample: Int32Array [samples]. */
  predict(X: Samples): Int32Array;
  score(X: Samples, y: readonly number[]): number;
}

/** The rows of X (a Matrix's rows are views of its data, no copies). */
export function rowsOf(X: Samples): Rows {
  if (Array.isArray(X)) return X;
  const m = X as Matrix;
  if (!m || !(m.data instanceof Float32Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.data.length < m.rows * m.cols) {
    throw new ParameterError('X must be a Matrix [samples][features] or an array of rows');
  }
  return Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols));
}

/** Class probabilities [n][k] computed in f64, as a Matrix (f32, rows sum to 1 within f32 rounding). */
export function probaMatrix(p: ArrayLike<number>, n: number, k: number): Matrix {
  return { data: Float32Array.from(p), rows: n, cols: k };
}

/**
 * Checks X (non-empty, rectangular, finite) and, when y is given, labels (integers, one per row).
 * @returns the number of features.
 * @throws ParameterError naming the estimator, the argument and the first bad row/column.
 */
export function checkX(X: Rows, who: string, features?: number): number {
  if (!Array.isArray(X) || X.length === 0) throw new ParameterError(`${who}: X must be a non-empty Matrix or array of rows`);
  const D = X[0].length;
  if (D === 0) throw new ParameterError(`${who}: X has rows of 0 features`);
  if (features !== undefined && D !== features) throw new ParameterError(`${who}: X has ${D} features, the model was fitted on ${features}`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (row.length !== D) throw new ParameterError(`${who}: X[${i}] has ${row.length} features, X[0] has ${D}`);
    for (let j = 0; j < D; j++) {
      if (!Number.isFinite(row[j])) throw new ParameterError(`${who}: X[${i}][${j}] is ${row[j]} (features must be finite; NaN often means an empty or silent utterance)`);
    }
  }
  return D;
}

/** checkX plus labels; fitting needs at least two classes. @returns sorted distinct classes. */
export function checkFit(X: Rows, y: readonly number[], who: string): number[] {
  checkX(X, who);
  if (y.length !== X.length) throw new ParameterError(`${who}: y has ${y.length} labels for ${X.length} rows of X`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i])) throw new ParameterError(`${who}: y[${i}] is ${y[i]}, labels must be integers`);
  }
  const classes = [...new Set(y)].sort((a, b) => a - b);
  if (classes.length < 2) throw new ParameterError(`${who}: y has one class (${classes[0]}); a classifier needs at least two`);
  return classes;
}

/** Base with `score` = accuracy of predict. */
export abstract class BaseClassifier implements Classifier {
  abstract readonly name: string;
  abstract fit(X: Samples, y: readonly number[]): this;
  abstract predict(X: Samples): Int32Array;
  score(X: Samples, y: readonly number[]): number {
    return accuracy(y, this.predict(X));
  }
}

/** Throws unless fitted. */
export function fitted<T>(value: T | null | undefined, who: string): T {
  if (value === null || value === undefined) throw new ParameterError(`${who} is not fitted: call fit() first`);
  return value;
}
