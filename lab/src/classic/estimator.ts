/**
 * The sklearn-like contract every step-7 classifier follows, and the input checks they share:
 * `fit(X, y)` → this, `predict(X)` → labels, `score(X, y)` → accuracy. X is [samples][features]
 * (plain number arrays), y integer class labels.
 *
 * @module
 */
import { ParameterError } from 'speechcore';
import { accuracy } from 'speechcore';

export type Rows = readonly (readonly number[] | Float64Array | Float32Array)[];

export interface Classifier {
  /** Short display name, e.g. "GaussianNB (ours)". */
  readonly name: string;
  fit(X: Rows, y: readonly number[]): this;
  predict(X: Rows): number[];
  score(X: Rows, y: readonly number[]): number;
}

/**
 * Checks X (non-empty, rectangular, finite) and, when y is given, labels (integers, one per row).
 * @returns the number of features.
 * @throws ParameterError naming the estimator, the argument and the first bad row/column.
 */
export function checkX(X: Rows, who: string, features?: number): number {
  if (!Array.isArray(X) || X.length === 0) throw new ParameterError(`${who}: X must be a non-empty array of rows`);
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
  abstract fit(X: Rows, y: readonly number[]): this;
  abstract predict(X: Rows): number[];
  score(X: Rows, y: readonly number[]): number {
    return accuracy(y, this.predict(X));
  }
}

/** Throws unless fitted. */
export function fitted<T>(value: T | null | undefined, who: string): T {
  if (value === null || value === undefined) throw new ParameterError(`${who} is not fitted: call fit() first`);
  return value;
}
