/**
 * Deltas (twin of assembly/dsp/delta.ts): librosa.feature.delta = scipy savgol_filter(X, width,
 * deriv=order, polyorder=order, mode='interp') along time.
 */
import { getEngine, type Engine } from '../engine.ts';
import { ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { checkInt } from './options.ts';
import type { Ptr, SavgolPlan } from '../abi.ts';

export interface DeltaOptions {
  /** Frames in the fitting window, odd int ≥ 3 (default 9). */
  width?: number;
  /** Derivative order, int ≥ 1 (default 1; 2 gives delta-delta). */
  order?: number;
  engine?: Engine;
}

/**
 * Savitzky-Golay coefficients c[0..w) with out[t] = Σ c[k]·x[t + k − w/2]: the order-th derivative at
 * the window centre of the least-squares polynomial of degree `order`. f64.
 */
export function savgolCoefficients(w: number, order: number): Float64Array {
  const h = (w - 1) / 2, p = order;
  // Normal equations (AᵀA) a = Aᵀ e_k with A[i][j] = (i − h)^j; the order-th derivative at 0 is order!·a_order.
  const n = p + 1;
  const ata = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => {
    let s = 0;
    for (let i = 0; i < w; i++) s += (i - h) ** (r + c);
    return s;
  }));
  // Invert AᵀA by Gauss-Jordan (n ≤ a few), take its row p.
  const inv = ata.map((row, r) => [...row, ...Array.from({ length: n }, (_, c) => (c === r ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(inv[r][c]) > Math.abs(inv[piv][c])) piv = r;
    [inv[c], inv[piv]] = [inv[piv], inv[c]];
    const d = inv[c][c];
    for (let k = 0; k < 2 * n; k++) inv[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = inv[r][c];
      for (let k = 0; k < 2 * n; k++) inv[r][k] -= f * inv[c][k];
    }
  }
  let fact = 1;
  for (let i = 2; i <= p; i++) fact *= i;
  const coeffs = new Float64Array(w);
  for (let i = 0; i < w; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += inv[p][n + j] * (i - h) ** j;
    coeffs[i] = fact * s;
  }
  return coeffs;
}

/** Validated width and order. */
export function resolveDelta(o: DeltaOptions): { width: number; order: number } {
  const width = checkInt('width', o.width ?? 9, 3);
  if (width % 2 !== 1) throw new ParameterError(`width=${width} must be odd`);
  const order = checkInt('order', o.order ?? 1, 1);
  // scipy's savgol_filter: polyorder (= order here) must be less than the window.
  if (order >= width) throw new ParameterError(`order=${order} must be less than width=${width}`);
  return { width, order };
}

/** The window actually used for T frames (see `delta`), or 0 when the result is all zeros. */
function effectiveWidth(T: number, width: number, order: number): number {
  const w = T >= width ? width : T % 2 === 1 ? T : T - 1;
  return w > order ? w : 0;
}

/** Cached f32 Savitzky-Golay coefficients in wasm memory. Call outside scopes. */
function savgolPlan(engine: Engine, w: number, order: number): SavgolPlan {
  return engine.plan(`savgol:${w}:${order}`, () => {
    const p = engine.arena.persistent(w * 4);
    engine.arena.f32(p, w).set(savgolCoefficients(w, order));
    return p;
  }) as SavgolPlan;
}

/** Plans the delta for T frames; returns a function that runs it on wasm pointers inside a scope. */
export function prepareDelta(engine: Engine, T: number, o: { width: number; order: number }) {
  const w = effectiveWidth(T, o.width, o.order);
  const coeffs = w ? savgolPlan(engine, w, o.order) : 0;
  return (x: Ptr, D: number, xStride: number, out: Ptr, outStride: number): void => {
    if (w) engine.exports.savgolFrames(x, T, D, xStride, coeffs as SavgolPlan, w, out, outStride);
    else {
      const v = engine.arena.f32(out, (T - 1) * outStride + D);
      for (let t = 0; t < T; t++) v.fill(0, t * outStride, t * outStride + D);
    }
  };
}

/**
 * Local derivative of X [frames][features] along frames, same shape.
 * Short inputs: librosa raises when frames < width; here the window shrinks to the largest odd
 * width ≤ frames, and when that cannot hold a degree-`order` fit (width ≤ order) the result is 0.
 * @see librosa.feature.delta
 * @example const d1 = delta(m); const d2 = delta(m, { order: 2 });
 */
export function delta(X: Matrix, options: DeltaOptions = {}): Matrix {
  const o = resolveDelta(options);
  if (!(X?.data instanceof Float32Array) || X.data.length !== X.rows * X.cols || X.rows < 1 || X.cols < 1) {
    throw new ParameterError(`X must be a non-empty Matrix [frames][features] of Float32Array data`);
  }
  const T = X.rows, D = X.cols;
  const engine = options.engine ?? getEngine();
  const run = prepareDelta(engine, T, o);
  const { arena } = engine;
  return arena.scope(() => {
    const x = arena.f32In(X.data);
    const out = arena.alloc(T * D * 4);
    run(x, D, D, out, D);
    return { data: arena.f32(out, T * D).slice(), rows: T, cols: D };
  });
}
