/**
 * Utterances packed frame-major in one buffer (what the HMM pool shares between threads), and
 * views of them as the models take them. No Node imports.
 *
 * @module
 */
import type { Matrix } from '../matrix.ts';

/**
 * A set of utterances packed frame-major: sequence i is frames starts[i] … starts[i+1]−1 of
 * data [ΣT][dims]. `data` may live in a SharedArrayBuffer (then views cost nothing in any thread).
 */
export interface PackedSet {
  data: Float32Array;
  starts: Int32Array;
  labels: Int32Array;
  dims: number;
  files: string[];
}

/**
 * Packs sequences [T_i][dims] frame-major into one buffer (a SharedArrayBuffer when `shared`,
 * for worker pools), with their labels and names.
 */
export function packSequences(seqs: readonly Matrix[], labels: ArrayLike<number>, files: readonly string[], shared: boolean): PackedSet {
  const dims = seqs[0]?.cols ?? 0;
  const starts = new Int32Array(seqs.length + 1);
  seqs.forEach((q, i) => { starts[i + 1] = starts[i]! + q.rows; });
  const n = starts[seqs.length]! * dims;
  const data = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  seqs.forEach((q, i) => data.set(q.data.subarray(0, q.rows * dims), starts[i]! * dims));
  return { data, starts, labels: Int32Array.from(labels), dims, files: files.slice() };
}

/** Per-sequence views of a packed set (no copies). */
export function sequencesOf(set: PackedSet): Matrix[] {
  const out: Matrix[] = [];
  for (let i = 0; i < set.labels.length; i++) {
    const a = set.starts[i]!, b = set.starts[i + 1]!;
    out.push({ data: set.data.subarray(a * set.dims, b * set.dims), rows: b - a, cols: set.dims });
  }
  return out;
}

/** Sequences and labels of a packed set, as the sequence models take them (views, no copies). */
export function labeledSequences(set: PackedSet): { x: Matrix[]; y: number[] } {
  return { x: sequencesOf(set), y: Array.from(set.labels) };
}
