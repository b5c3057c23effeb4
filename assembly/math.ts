// exp for log-space HMM work, where millions of exp(log-density − max) are taken per EM
// iteration. Range reduction x = k·ln2 + r (|r| ≤ ln2/2, ln2 split in two for exactness), then a
// degree-13 Taylor polynomial for e^r (truncation < 2e-17 relative), then 2^k through the exponent
// bits. Inputs below −708 return 0 (callers only exponentiate values ≤ 0: differences from a max),
// so no subnormal handling is needed. Agrees with Math.exp to ~2 ulp.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/** e^x for x ≤ 709; 0 below −708 (and for −Infinity). */
// @ts-ignore: decorator
@inline export function expNeg(x: f64): f64 {
  if (x < -708.0) return 0;
  const k = nearest(x * INV_LN2);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let p = 1.0 / 6227020800.0;            // 1/13!
  p = p * r + 1.0 / 479001600.0;         // 1/12!
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * reinterpret<f64>(<u64>(<i64>k + 1023) << 52);
}

/** log(Σ_i e^{v_i}) over n values at stride `stride` bytes; −Infinity when all are −Infinity. */
// @ts-ignore: decorator
@inline export function logSumExp(p: usize, n: i32, stride: usize): f64 {
  let m: f64 = -Infinity;
  for (let i = 0; i < n; i++) m = max(m, load<f64>(p + <usize>i * stride));
  if (m == -Infinity) return m;
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += expNeg(load<f64>(p + <usize>i * stride) - m);
  return m + Math.log(s);
}

/** expNeg on both f64x2 lanes: the same arithmetic as the scalar function, lane by lane. */
// @ts-ignore: decorator
@inline export function expNegX2(x: v128): v128 {
  const dead = f64x2.lt(x, f64x2.splat(-708.0));
  const xc = f64x2.max(x, f64x2.splat(-708.0));
  const k = f64x2.nearest(f64x2.mul(xc, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  return v128.andnot(f64x2.mul(p, scale), dead);
}
