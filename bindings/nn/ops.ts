/**
 * The same stacked (bi)LSTM written with per-step tfjs ops and differentiated by tfjs's own tape:
 * the simplest correct design, kept as the reference the fused kernels are tested against and as
 * the baseline the benchmark times ("impl: tfjs-ops"). Packed steps slice the still-alive rows;
 * padded steps run all B rows and, in the reverse direction, zero the state of rows not yet
 * started (a multiply by a 0/1 column), so both layouts compute what fused.ts computes.
 *
 * No tf.gather: its gradient needs UnsortedSegmentSum, which the wasm backend lacks. No dropout
 * between layers (the reference is for exactness checks and timing).
 *
 * @module
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import type { Tf } from './backend.ts';
import type { BatchLayout } from './batch.ts';
import { dirsOf, type LstmSpec } from './stack.ts';

type T2 = tfTypes.Tensor2D;

/**
 * features [B][H·dirs] in sorted order. x: [N][inputDim] rows in layout order (fillRows); vars in
 * lstmParamShapes order. Call inside tf.tidy or variableGrads.
 */
export function opsFeatures(tf: Tf, spec: LstmSpec, layout: BatchLayout, x: Float32Array, vars: readonly tfTypes.Tensor[]): T2 {
  const { T, rowStart, rowsAt } = layout;
  const D = spec.inputDim, dirs = dirsOf(spec);
  let xs: T2[] = [];
  for (let t = 0; t < T; t++) {
    const r0 = rowStart[t]!, n = rowsAt[t]!;
    xs.push(tf.tensor2d(x.subarray(r0 * D, (r0 + n) * D), [n, D]));
  }
  let finals: T2[] = [];
  for (let l = 0; l < spec.layers; l++) {
    const outs: T2[][] = [];
    finals = [];
    for (let d = 0; d < dirs; d++) {
      const k = (l * dirs + d) * 3;
      const r = runDirection(tf, spec.hidden, layout, xs, vars[k] as T2, vars[k + 1] as T2, vars[k + 2] as tfTypes.Tensor1D, d === 1);
      outs.push(r.outs);
      finals.push(r.final);
    }
    xs = dirs === 1 ? outs[0]! : outs[0]!.map((h, t) => tf.concat2d([h, outs[1]![t]!], 1));
  }
  if (spec.pooling === 'mean') return meanOverTime(tf, layout, xs);
  return dirs === 1 ? finals[0]! : tf.concat2d(finals, 1);
}

/** Σ_t of each sequence's rows (zero-extended to B rows, masked past each end) / length. */
function meanOverTime(tf: Tf, layout: BatchLayout, xs: T2[]): T2 {
  const { B, T, batchSizes, lengths } = layout;
  const F = xs[0]!.shape[1];
  let sum: T2 | null = null;
  for (let t = 0; t < T; t++) {
    let x = xs[t]!;
    if (x.shape[0] < B) x = tf.concat2d([x, tf.zeros([B - x.shape[0], F]) as T2], 0);
    else if (batchSizes[t]! < B) {
      const alive = new Float32Array(B);
      alive.fill(1, 0, batchSizes[t]!);
      x = tf.mul(x, tf.tensor2d(alive, [B, 1])) as T2;
    }
    sum = sum ? (tf.add(sum, x) as T2) : x;
  }
  return tf.div(sum!, tf.tensor2d(Float32Array.from(lengths), [B, 1])) as T2;
}

function cell(tf: Tf, x: T2, h: T2, c: T2, W: T2, U: T2, b: tfTypes.Tensor1D): [T2, T2] {
  const z = tf.add(tf.add(tf.matMul(x, W), tf.matMul(h, U)), b) as T2;
  const [zi, zf, zg, zo] = tf.split(z, 4, 1) as T2[];
  const c2 = tf.add(tf.mul(tf.sigmoid(zf!), c), tf.mul(tf.sigmoid(zi!), tf.tanh(zg!))) as T2;
  const h2 = tf.mul(tf.sigmoid(zo!), tf.tanh(c2)) as T2;
  return [h2, c2];
}

function runDirection(tf: Tf, H: number, layout: BatchLayout, xs: T2[], W: T2, U: T2, b: tfTypes.Tensor1D, reverse: boolean): { outs: T2[]; final: T2 } {
  const { T, B, batchSizes, batching } = layout;
  const outs: T2[] = new Array(T);
  if (!reverse) {
    let h = tf.zeros([xs[0]!.shape[0], H]) as T2, c = h;
    for (let t = 0; t < T; t++) {
      const n = xs[t]!.shape[0];
      if (h.shape[0] > n) { h = tf.slice(h, [0, 0], [n, H]); c = tf.slice(c, [0, 0], [n, H]); }
      [h, c] = cell(tf, xs[t]!, h, c, W, U, b);
      outs[t] = h;
    }
    // Sequence r ends at step lengths[r] − 1; rows ending at t are [batchSizes[t+1], batchSizes[t]).
    const parts: T2[] = [];
    for (let t = T - 1; t >= 0; t--) {
      const lo = t + 1 < T ? batchSizes[t + 1]! : 0, hi = batchSizes[t]!;
      if (hi > lo) parts.push(tf.slice(outs[t]!, [lo, 0], [hi - lo, H]));
    }
    return { outs, final: parts.length === 1 ? parts[0]! : tf.concat2d(parts, 0) };
  }
  let h: T2 | null = null, c: T2 | null = null;
  for (let t = T - 1; t >= 0; t--) {
    const n = xs[t]!.shape[0];
    const have = h ? h.shape[0] : 0;
    if (n > have) {
      const z = tf.zeros([n - have, H]) as T2;
      h = h ? tf.concat2d([h, z], 0) : z;
      c = c ? tf.concat2d([c!, z], 0) : z;
    }
    [h, c] = cell(tf, xs[t]!, h!, c!, W, U, b);
    if (batching === 'padded' && batchSizes[t]! < B) {
      // Rows not started yet (padding past their end) must enter their last frame with zero state.
      const alive = new Float32Array(B);
      alive.fill(1, 0, batchSizes[t]!);
      const m = tf.tensor2d(alive, [B, 1]);
      h = tf.mul(h, m) as T2;
      c = tf.mul(c, m) as T2;
    }
    outs[t] = h;
  }
  return { outs, final: outs[0]! };
}
