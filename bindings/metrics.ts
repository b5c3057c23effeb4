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

/** Levenshtein distance between two sequences (strings or arrays): substitutions, insertions and deletions, each 1. */
export function editDistance(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Token error rate over a corpus: Σ editDistance(ref, hyp) / Σ |ref| (the word error rate, here of
 * digit strings: the digit error rate). Can exceed 1 when hypotheses insert much.
 */
export function errorRate(refs: readonly ArrayLike<unknown>[], hyps: readonly ArrayLike<unknown>[]): number {
  if (refs.length !== hyps.length) throw new ParameterError(`refs (${refs.length}) and hyps (${hyps.length}) must have equal lengths`);
  let errors = 0, total = 0;
  refs.forEach((r, i) => { errors += editDistance(r, hyps[i]!); total += r.length; });
  if (total === 0) throw new ParameterError('errorRate: the references hold no tokens');
  return errors / total;
}
