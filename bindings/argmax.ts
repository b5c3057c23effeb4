/**
 * The one argmax every classifier uses, with one tie rule: the first maximum wins (the lowest index,
 * numpy.argmax's rule); NaN never compares greater, so a NaN score cannot be picked over a number.
 *
 * @module
 */
import type { Matrix } from './matrix.ts';

/** Index of the largest of `length` values starting at `offset` (first on ties). */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

/** Per row of a [n][k] score matrix, the column of its largest score: Int32Array [n]. */
export function argmaxRows(scores: Matrix): Int32Array {
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
    for (let j = 1; j < columns.length; j++) if (columns[j]![i]! > columns[best]![i]!) best = j;
    out[i] = labels[best]!;
  }
  return out;
}
