// Gate nonlinearities for the LSTM kernels: exp, logistic sigmoid and tanh in f32, four lanes at
// a time in the SIMD build (f32x4) and one at a time in the scalar build, with the same polynomial
// so both builds agree to rounding.
//
// exp: Cephes `expf` (provenance: Cephes Math Library 2.2, S. L. Moshier, expf.c): x = n·ln2 + r
// with ln2 split in two (exact n·C1), |r| ≤ ln2/2, e^r by a degree-6 minimax polynomial (rel. error
// < 2 ulp), 2^n through the exponent bits. Inputs are clamped to ±87 (both e^87 and e^−87 are normal
// f32), which saturates sigmoid and tanh exactly where f32 does.
//   sigmoid(x) = 1 / (1 + e^−x)
//   tanh(x)    = 1 − 2 / (1 + e^2x)   (absolute error ≤ 1.2e-7; relative error grows near 0,
//                                      harmless in a recurrent cell whose state is summed, not divided)

const LOG2E: f32 = 1.44269504088896341;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
const XMAX: f32 = 87.0;

/** e^x for four lanes (|x| clamped to 87). */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-XMAX)), f32x4.splat(XMAX));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(C2)));
  const z = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

/** e^x for one value, the same arithmetic as expV. */
// @ts-ignore: decorator
@inline export function expS(x: f32): f32 {
  x = min(max(x, -XMAX), XMAX);
  const n = nearest<f32>(x * LOG2E);
  let r = x - n * C1;
  r = r - n * C2;
  const z = r * r;
  let p = P0 * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  p = p * z + r + <f32>1.0;
  return p * reinterpret<f32>((<i32>n + 127) << 23);
}

// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function sigmoidS(x: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + expS(-x));
}

// @ts-ignore: decorator
@inline export function tanhV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const e = expV(f32x4.add(x, x));
  return f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(one, e)));
}

// @ts-ignore: decorator
@inline export function tanhS(x: f32): f32 {
  return <f32>1.0 - <f32>2.0 / (<f32>1.0 + expS(x + x));
}
