// Power to decibels, librosa.power_to_db semantics:
//   10·log10(max(amin, S)) − 10·log10(max(amin, |ref|)), then clipped from below at (max − topDb),
// where max is taken over the WHOLE array (the utterance), not per frame.

import { sub, mul, splat, vmax, hmax, log2Lanes } from "../simd";

// 10·log10(x) = (10 / log2(10))·log2(x)
// @ts-ignore: decorator
@inline export const DB_PER_LOG2: f32 = <f32>3.0102999566398120;

/** 10·log10(max(amin, x)) − refDb on lanes of T. */
// @ts-ignore: decorator
@inline export function dbLanes<T>(x: T, amin: T, refDb: T): T {
  return sub<T>(mul<T>(splat<T>(DB_PER_LOG2), log2Lanes<T>(vmax<T>(x, amin))), refDb);
}

/**
 * In place: X [n] f32 → 10·log10(max(amin, X)) − refDb; returns the largest result.
 * amin must be ≥ 1.2e-38 (a normal f32); the bindings check it. Does not allocate.
 */
export function powerToDbInPlace(X: usize, n: i32, amin: f32, refDb: f32): f32 {
  let best: f32 = -Infinity;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const a = splat<v128>(amin), r = splat<v128>(refDb);
    let vbest = splat<v128>(-Infinity);
    for (; i + 4 <= n; i += 4) {
      const p = X + <usize>i * 4;
      const d = dbLanes<v128>(v128.load(p), a, r);
      v128.store(p, d);
      vbest = vmax<v128>(vbest, d);
    }
    best = hmax<v128>(vbest);
  }
  for (; i < n; i++) {
    const p = X + <usize>i * 4;
    const d = dbLanes<f32>(load<f32>(p), amin, refDb);
    store<f32>(p, d);
    best = max(best, d);
  }
  return best;
}

/** In place: X [n] f32 → max(X, floor). The top_db clip. Does not allocate. */
export function clipBelow(X: usize, n: i32, floor: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const f = splat<v128>(floor);
    for (; i + 4 <= n; i += 4) {
      const p = X + <usize>i * 4;
      v128.store(p, vmax<v128>(v128.load(p), f));
    }
  }
  for (; i < n; i++) {
    const p = X + <usize>i * 4;
    store<f32>(p, max(load<f32>(p), floor));
  }
}

