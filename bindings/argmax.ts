/**
 * The one argmax every classifier uses, with one tie rule: the first maximum wins (the lowest index,
 * numpy.argmax's rule). NaN never wins: a NaN score is never picked over a number, wherever it
 * sits (numpy would return the NaN); when every score is NaN the first index is returned.
 *
 * @module
 */
import type { Matrix } from './matrix.ts';

/** True when `v` should replace the current best `b`: larger, or a number where the best is NaN. */
function beats(v: number, b: number): boolean {
  return v > b || (b !== b && v === v);
}

/** Index of the largest of `length` values starting at `offset` (first on ties; NaN never wins). */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (beats(values[offset + j]!, values[offset + best]!)) best = j;
  return best;
}

/** Per row of a [n][k] score matrix (a Matrix, or f64 scores), the column of its largest score: Int32Array [n]. */
export function argmaxRows(scores: Matrix | { data: ArrayLike<number>; rows: number; cols: number }): Int32Array {
  const out = new Int32Array(scores.rows);
  for (let i = 0; i < scores.rows; i++) out[i] = argmax(scores.data, i * scores.cols, scores.cols);
  return out;
}

/**
 * Per item i < n, the label whose score column is largest: `columns[j][i]` is item i's score under
 * label `labels[j]`. Int32Array [n] of labels.
 */
export function argmaxColumns(columns: readonly ArrayLike<number>[], labels: ArrayLike<number>, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < columns.length; j++) if (beats(columns[j]![i]!, columns[best]![i]!)) best = j;
    out[i] = labels[best]!;
  }
  return out;
}
