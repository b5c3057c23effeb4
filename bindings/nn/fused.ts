/**
 * The stacked (bi)LSTM run by the fused wasm kernels (assembly/nn/lstm.ts), and its registration
 * with tfjs as one custom op with its own gradient (`tf.customGrad`): tfjs sees
 * `features = lstmStack(W₀, U₀, b₀, ...)` and still drives the rest of the model, the loss and the
 * optimiser, while the recurrence runs as a handful of wasm calls per layer instead of a dozen
 * tfjs ops per time step.
 *
 * Memory: everything lives in the engine's arena. The forward pass allocates its activations in
 * the caller's `arena.scope`; the backward pass (called by tfjs inside the same `variableGrads`)
 * reads them, and the scope's end frees both. Only the input rows, the weights (in) and the
 * features and gradients (out) are copied across the wasm/tfjs boundary — about 1 % of the work.
 *
 * @module
 */
import type { Ptr } from '../abi.ts';
import type { Engine } from '../engine.ts';
import type { Rng } from '../rng.ts';
import type { Tf } from './backend.ts';
import { finalRow, schedule, type BatchLayout } from './batch.ts';
import { dirsOf, featureDim, layerInputDim, lstmParamShapes, type LstmSpec } from './stack.ts';
import type * as tfTypes from '@tensorflow/tfjs-core';

/** Inverted dropout between layers: keep each unit with probability 1 − p, scale kept ones by 1/(1 − p). */
export interface DropoutSpec {
  p: number;
  rng: Rng;
}

interface LayerDir {
  W: Ptr; U: Ptr; Z: Ptr; TC: Ptr; Hp: Ptr; Cp: Ptr; sched: Ptr;
}

interface LayerState {
  /** Layer input rows and their width (after dropout for l > 0). */
  X: Ptr; Din: number;
  /** Layer output [N][F]. */
  Y: Ptr;
  dirs: LayerDir[];
  /** Dropout scale applied to this layer's input (l > 0), or null. */
  mask: Float32Array | null;
}

export interface StackPass {
  /** [B][H·dirs], rows in sorted order (layout.order[r] is row r's index in the batch). */
  features: Float32Array;
  /** ∂L/∂features (same layout) → ∂L/∂parameter for every parameter, in lstmParamShapes order. */
  backward(dFeatures: Float32Array): Float32Array[];
}

/**
 * Runs the stack forward on a laid-out batch. x: [N][inputDim] rows in layout order (fillRows).
 * params: lstmParamShapes order. Must run inside `engine.arena.scope`, and `backward` inside the
 * same scope.
 */
export function stackForward(engine: Engine, spec: LstmSpec, layout: BatchLayout, x: Float32Array,
                             params: readonly Float32Array[], dropout?: DropoutSpec): StackPass {
  const ex = engine.exports, arena = engine.arena;
  const { N, B, T } = layout;
  const H = spec.hidden, G = 4 * H, dirs = dirsOf(spec), F = featureDim(spec);
  const scheds = [schedule(layout, false), schedule(layout, true)].slice(0, dirs).map((s) => {
    const p = arena.alloc(s.length * 4);
    arena.i32(p, s.length).set(s);
    return p;
  });
  const layers: LayerState[] = [];
  let X = arena.f32In(x), Din = spec.inputDim;
  for (let l = 0; l < spec.layers; l++) {
    let mask: Float32Array | null = null;
    if (l > 0 && dropout && dropout.p > 0) {
      mask = dropoutMask(N * Din, dropout);
      const Xd = arena.alloc(N * Din * 4);
      const src = arena.f32(X, N * Din), dst = arena.f32(Xd, N * Din);
      for (let i = 0; i < dst.length; i++) dst[i] = src[i]! * mask[i]!;
      X = Xd;
    }
    const Y = arena.alloc(N * F * 4);
    const state: LayerState = { X, Din, Y, dirs: [], mask };
    for (let d = 0; d < dirs; d++) {
      const k = (l * dirs + d) * 3;
      const W = arena.f32In(params[k]!), U = arena.f32In(params[k + 1]!), b = arena.f32In(params[k + 2]!);
      const Z = arena.alloc(N * G * 4), C = arena.alloc(N * H * 4), TC = arena.alloc(N * H * 4);
      const Hp = arena.alloc(N * H * 4), Cp = arena.alloc(N * H * 4);
      ex.lstmForward(X, Din, Din, N, H, W, U, b, T, scheds[d]!, (Y + d * H * 4) as Ptr, F, Z, C, TC, Hp, Cp);
      state.dirs.push({ W, U, Z, TC, Hp, Cp, sched: scheds[d]! });
    }
    layers.push(state);
    X = Y;
    Din = F;
  }
  const top = layers[layers.length - 1]!;
  const features = new Float32Array(B * F);
  const mean = spec.pooling === 'mean';
  {
    const Y = arena.f32(top.Y, N * F);
    for (let r = 0; r < B; r++) {
      if (mean) {
        const L = layout.lengths[r]!, acc = new Float64Array(F);
        for (let t = 0; t < L; t++) {
          const row = (layout.rowStart[t]! + r) * F;
          for (let k = 0; k < F; k++) acc[k]! += Y[row + k]!;
        }
        for (let k = 0; k < F; k++) features[r * F + k] = acc[k]! / L;
        continue;
      }
      for (let d = 0; d < dirs; d++) {
        const src = finalRow(layout, r, d === 1) * F + d * H;
        features.set(Y.subarray(src, src + H), r * F + d * H);
      }
    }
  }

  const backward = (dFeatures: Float32Array): Float32Array[] => {
    const grads: Float32Array[] = new Array(spec.layers * dirs * 3);
    const shapes = lstmParamShapes(spec);
    let dY = zeroed(arena, N * F);
    {
      const v = arena.f32(dY, N * F);
      for (let r = 0; r < B; r++) {
        if (mean) {
          const L = layout.lengths[r]!, g = dFeatures.subarray(r * F, (r + 1) * F).map((x) => x / L);
          for (let t = 0; t < L; t++) v.set(g, (layout.rowStart[t]! + r) * F);
          continue;
        }
        for (let d = 0; d < dirs; d++) {
          const dst = finalRow(layout, r, d === 1) * F + d * H;
          v.set(dFeatures.subarray(r * F + d * H, r * F + (d + 1) * H), dst);
        }
      }
    }
    const dZ = arena.alloc(N * G * 4);
    for (let l = spec.layers - 1; l >= 0; l--) {
      const st = layers[l]!, Din = layerInputDim(spec, l);
      const dX = l > 0 ? zeroed(arena, N * Din) : 0;
      const work = arena.alloc(ex.lstmWorkBytes(Din, H, layout.rowsAt[0] ?? 0));
      for (let d = 0; d < dirs; d++) {
        const k = (l * dirs + d) * 3, ld = st.dirs[d]!;
        const dW = zeroed(arena, Din * G), dU = zeroed(arena, H * G), db = zeroed(arena, G);
        ex.lstmBackward(st.X, Din, Din, N, H, ld.W, ld.U, T, ld.sched, (dY + d * H * 4) as Ptr, F,
          ld.Z, ld.TC, ld.Hp, ld.Cp, dZ, dW, dU, db, dX as Ptr | 0, Din, work);
        grads[k] = arena.f32(dW, Din * G).slice();
        grads[k + 1] = arena.f32(dU, H * G).slice();
        grads[k + 2] = arena.f32(db, G).slice();
      }
      if (l > 0) {
        if (st.mask) {
          const v = arena.f32(dX as Ptr, N * Din);
          for (let i = 0; i < v.length; i++) v[i] = v[i]! * st.mask[i]!;
        }
        dY = dX as Ptr;
      }
    }
    grads.forEach((g, i) => {
      if (g.length !== shapes[i]!.shape.reduce((a, b) => a * b, 1)) throw new Error(`internal: gradient ${shapes[i]!.name} has ${g.length} values`);
    });
    return grads;
  };
  return { features, backward };
}

function zeroed(arena: Engine['arena'], floats: number): Ptr {
  const p = arena.alloc(floats * 4);
  arena.f32(p, floats).fill(0);
  return p;
}

/** Scale factors 0 or 1/(1 − p), one per unit. */
export function dropoutMask(n: number, d: DropoutSpec): Float32Array {
  const keep = 1 - d.p, scale = 1 / keep;
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) m[i] = d.rng.next() < keep ? scale : 0;
  return m;
}

/**
 * The stack as one tfjs op: features [B][H·dirs] (sorted order) as a tensor whose gradient with
 * respect to every recurrent variable comes from lstmBackward. Call inside `engine.arena.scope`
 * that also covers the gradient computation (tf.variableGrads).
 */
export function fusedFeatures(tf: Tf, engine: Engine, spec: LstmSpec, layout: BatchLayout, x: Float32Array,
                              vars: readonly tfTypes.Variable[], dropout?: DropoutSpec): tfTypes.Tensor2D {
  const F = featureDim(spec);
  const op = tf.customGrad((...inputs: Array<tfTypes.Tensor | unknown>) => {
    const params = vars.map((_, i) => (inputs[i] as tfTypes.Tensor).dataSync() as Float32Array);
    const pass = stackForward(engine, spec, layout, x, params, dropout);
    const value = tf.tensor2d(pass.features, [layout.B, F]);
    const gradFunc = (dy: tfTypes.Tensor2D): tfTypes.Tensor[] => {
      const g = pass.backward(dy.dataSync() as Float32Array);
      return g.map((a, i) => tf.tensor(a, vars[i]!.shape));
    };
    return { value, gradFunc };
  });
  return op(...vars) as tfTypes.Tensor2D;
}
