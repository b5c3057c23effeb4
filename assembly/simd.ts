// Lane helpers. Every DSP kernel is written once, generic over its lane type T:
//   T = v128 (f32x4): four independent frames processed side by side, one per lane,
//   T = f32:          one frame (the scalar build, and the reference the specs compare against).
// Lanes never mix, so no shuffles or horizontal sums appear in the hot loops, and the SIMD and
// scalar builds run the very same arithmetic in the same order (results agree bit-for-bit lane-wise).
// `isVector<T>()` is a compile-time constant, so each instantiation keeps one branch only; the scalar
// target never instantiates T = v128 (see `ASC_FEATURE_SIMD` in the kernels' dispatchers).

/** Number of frames a lane type carries. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return isVector<T>() ? 4 : 1;
}

// @ts-ignore: decorator
@inline export function splat<T>(x: f32): T {
  if (isVector<T>()) return f32x4.splat(x);
  else return x;
}

/** Loads one f32 from `p` into every lane (v128.load32_splat: no separate splat instruction). */
// @ts-ignore: decorator
@inline export function loadSplat<T>(p: usize): T {
  if (isVector<T>()) return v128.load32_splat(p);
  else return load<f32>(p);
}

// @ts-ignore: decorator
@inline export function add<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.add(a, b);
  else return a + b;
}

// @ts-ignore: decorator
@inline export function sub<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.sub(a, b);
  else return a - b;
}

// @ts-ignore: decorator
@inline export function mul<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.mul(a, b);
  else return a * b;
}

// @ts-ignore: decorator
@inline export function div<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.div(a, b);
  else return a / b;
}

// @ts-ignore: decorator
@inline export function vmax<T>(a: T, b: T): T {
  // pmax, not max: NaN-propagation is not wanted and pmax is a single instruction on x86.
  if (isVector<T>()) return f32x4.pmax(a, b);
  else return select<f32>(b, a, a < b);
}

// @ts-ignore: decorator
@inline export function vsqrt<T>(a: T): T {
  if (isVector<T>()) return f32x4.sqrt(a);
  else return sqrt<f32>(a);
}

/** Largest lane value (for the scalar type, the value itself). */
// @ts-ignore: decorator
@inline export function hmax<T>(a: T): f32 {
  if (isVector<T>()) {
    return max(max(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)),
               max(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  } else return a;
}

/** Stores lane `lane` of `a` (lane 0 for the scalar type) at `p`. */
// @ts-ignore: decorator
@inline export function storeLane<T>(p: usize, a: T, lane: i32): void {
  if (isVector<T>()) {
    switch (lane) {
      case 0: store<f32>(p, f32x4.extract_lane(a, 0)); break;
      case 1: store<f32>(p, f32x4.extract_lane(a, 1)); break;
      case 2: store<f32>(p, f32x4.extract_lane(a, 2)); break;
      default: store<f32>(p, f32x4.extract_lane(a, 3));
    }
  } else store<f32>(p, a);
}

/**
 * log2 of every lane, for positive normal inputs (callers floor at `amin` first).
 * Exponent from the bits; the mantissa m is moved into [sqrt(1/2), sqrt(2)) and
 * ln(m) = 2 atanh(t), t = (m-1)/(m+1), |t| < 0.1716, summed to t^9 (truncation < 1e-9):
 * accurate to a few f32 ulps of the result, far inside librosa parity (2e-3 dB), and
 * ~8x cheaper than calling Math.log per value.
 */
// @ts-ignore: decorator
@inline export function log2Lanes<T>(x: T): T {
  if (isVector<T>()) {
    const bits = i32x4.sub(x, i32x4.splat(0x3f3504f3)); // 0x3f3504f3 = sqrt(1/2) as f32
    const e = i32x4.shr_s(bits, 23);
    const m = i32x4.sub(x, i32x4.shl(e, 23)); // m in [sqrt(1/2), sqrt(2))
    const one = f32x4.splat(1.0);
    const t = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
    const t2 = f32x4.mul(t, t);
    let p = f32x4.splat(<f32>(2.0 / 9.0));
    p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(2.0 / 7.0)));
    p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(2.0 / 5.0)));
    p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>(2.0 / 3.0)));
    p = f32x4.add(f32x4.mul(p, t2), f32x4.splat(<f32>2.0));
    const ln = f32x4.mul(p, t);
    return f32x4.add(f32x4.convert_i32x4_s(e), f32x4.mul(ln, f32x4.splat(<f32>1.4426950408889634)));
  } else {
    const xb = reinterpret<i32>(x);
    const e = (xb - 0x3f3504f3) >> 23;
    const m = reinterpret<f32>(xb - (e << 23));
    const t = (m - <f32>1.0) / (m + <f32>1.0);
    const t2 = t * t;
    let p: f32 = <f32>(2.0 / 9.0);
    p = p * t2 + <f32>(2.0 / 7.0);
    p = p * t2 + <f32>(2.0 / 5.0);
    p = p * t2 + <f32>(2.0 / 3.0);
    p = p * t2 + <f32>2.0;
    return <f32>e + (p * t) * <f32>1.4426950408889634;
  }
}

/**
 * Transposes the 4×4 block whose rows are r0..r3 and stores its columns at p0..p3:
 * column k = (r0[k], r1[k], r2[k], r3[k]). Turns four frames' samples into lane-interleaved
 * vectors and back, with eight shuffles instead of sixteen lane moves.
 */
// @ts-ignore: decorator
@inline export function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, p0: usize, p1: usize, p2: usize, p3: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(p0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(p1, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(p2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(p3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
