/**
 * Batch layouts for recurrent layers: packed (PyTorch's PackedSequence) and padded.
 *
 * Both sort the batch by length, longest first (stable: ties keep batch order), and lay rows out
 * time-major: step t holds one row per sequence. Packed keeps only the `batchSizes[t]` sequences
 * still alive at step t (the first ones, since they are sorted); padded keeps all B rows at every
 * step, zero-padded past each sequence's end. Everything downstream addresses rows through
 * `rowStart[t] + r` (r = position in sorted order), so the two layouts differ only in the table.
 *
 * @module
 */
import type { Matrix } from '../matrix.ts';

export type Batching = 'packed' | 'padded';

export interface BatchLayout {
  batching: Batching;
  /** Sequences in the batch. */
  B: number;
  /** Longest length: steps per direction. */
  T: number;
  /** Rows of the layout: Σ lengths (packed) or T·B (padded). */
  N: number;
  /** order[r] = index in the batch of the r-th longest sequence. */
  order: Int32Array;
  /** lengths[r] = frames of sequence order[r] (non-increasing). */
  lengths: Int32Array;
  /** batchSizes[t] = sequences longer than t (non-increasing; batchSizes[0] = B). */
  batchSizes: Int32Array;
  /** rowStart[t] = first row of step t. */
  rowStart: Int32Array;
  /** Rows at step t: batchSizes[t] (packed) or B (padded). */
  rowsAt: Int32Array;
}

/** Sorts a batch by length (longest first, stable) and lays out its rows. Lengths must be ≥ 1. */
export function layoutBatch(lengthsInBatch: ArrayLike<number>, batching: Batching): BatchLayout {
  const B = lengthsInBatch.length;
  const order = Int32Array.from({ length: B }, (_, i) => i);
  order.sort((a, b) => lengthsInBatch[b]! - lengthsInBatch[a]! || a - b);
  const lengths = Int32Array.from(order, (i) => lengthsInBatch[i]!);
  const T = B > 0 ? lengths[0]! : 0;
  const batchSizes = new Int32Array(T);
  for (let r = 0; r < B; r++) for (let t = 0; t < lengths[r]!; t++) batchSizes[t] += 1;
  const rowStart = new Int32Array(T), rowsAt = new Int32Array(T);
  let N = 0;
  for (let t = 0; t < T; t++) {
    rowStart[t] = N;
    rowsAt[t] = batching === 'packed' ? batchSizes[t]! : B;
    N += rowsAt[t]!;
  }
  return { batching, B, T, N, order, lengths, batchSizes, rowStart, rowsAt };
}

/**
 * The step table of one direction for the kernels ([steps][3] i32: first row, rows, carry), in
 * processing order. Forward: t = 0..T−1, every row continues its own state. Reverse: t = T−1..0;
 * only the batchSizes[t+1] rows alive at t+1 continue, the others start from zero at their own
 * last frame — in both layouts, so packed and padded compute the same function.
 */
export function schedule(layout: BatchLayout, reverse: boolean): Int32Array {
  const { T, rowStart, rowsAt, batchSizes } = layout;
  const s = new Int32Array(T * 3);
  for (let i = 0; i < T; i++) {
    const t = reverse ? T - 1 - i : i;
    s[i * 3] = rowStart[t]!;
    s[i * 3 + 1] = rowsAt[t]!;
    s[i * 3 + 2] = i === 0 ? 0 : reverse ? batchSizes[t + 1]! : rowsAt[t]!;
  }
  return s;
}

/** Row holding sequence r's last output in a direction: its last frame (forward) or frame 0 (reverse). */
export function finalRow(layout: BatchLayout, r: number, reverse: boolean): number {
  return reverse ? layout.rowStart[0]! + r : layout.rowStart[layout.lengths[r]! - 1]! + r;
}

/** The batch's frames in layout order: out [N][D], zero on padded rows. */
export function fillRows(layout: BatchLayout, seqs: readonly Matrix[], D: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < layout.B; r++) {
    const m = seqs[layout.order[r]!]!;
    for (let t = 0; t < m.rows; t++) {
      out.set(m.data.subarray(t * D, (t + 1) * D), (layout.rowStart[t]! + r) * D);
    }
  }
}
