/**
 * Classification metrics (sklearn semantics).
 */
import { ParameterError } from './errors.ts';

/** Fraction of equal labels. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length || yTrue.length === 0) throw new ParameterError(`yTrue (${yTrue.length}) and yPred (${yPred.length}) must be equal, non-zero lengths`);
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** counts[i][j] = samples of true class labels[i] predicted as labels[j] (rows true, columns predicted). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels?: number[]): number[][] {
  if (yTrue.length !== yPred.length) throw new ParameterError(`yTrue (${yTrue.length}) and yPred (${yPred.length}) must have equal lengths`);
  const ls = labels ?? [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort((a, b) => a - b);
  const index = new Map(ls.map((l, i) => [l, i]));
  const m = ls.map(() => new Array(ls.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const r = index.get(yTrue[i]), c = index.get(yPred[i]);
    if (r !== undefined && c !== undefined) m[r][c]++;
  }
  return m;
}
