// f64 / i32 buffers for the specs of f64 kernels (HMM, pitch, LPC; helpers.ts is f32-only). Not a spec itself.
import { allocBytes, checkEq, checkInt, checkNear } from "./helpers";

/** n f64 of zeroed, 16-byte aligned memory, plus one slot after them holding `sentinel`. */
export function allocF64(n: i32, sentinel: f64 = 0): usize {
  const p = allocBytes((n + 1) * 8);
  store<f64>(p + <usize>n * 8, sentinel);
  return p;
}

/** n i32, plus a sentinel slot after them. */
export function allocI32(n: i32, sentinel: i32 = 0): usize {
  const p = allocBytes((n + 1) * 4);
  store<i32>(p + <usize>n * 4, sentinel);
  return p;
}

/** Writes the given values to p as f64. */
export function setF64(p: usize, values: f64[]): void {
  for (let i = 0; i < values.length; i++) store<f64>(p + <usize>i * 8, values[i]);
}

/** Fills n f64 at p with v. */
export function fillF64(p: usize, n: i32, v: f64): void {
  for (let i = 0; i < n; i++) store<f64>(p + <usize>i * 8, v);
}

/** Writes v at index i of an f64 buffer. */
export function setF64At(p: usize, i: i32, v: f64): void {
  store<f64>(p + <usize>i * 8, v);
}

export function getF64(p: usize, i: i32): f64 {
  return load<f64>(p + <usize>i * 8);
}

export function getI32(p: usize, i: i32): i32 {
  return load<i32>(p + <usize>i * 4);
}

/** n f64 at p equal the given values exactly (−Infinity equals −Infinity); one check per value. */
export function checkF64s(p: usize, expected: f64[], what: string): void {
  for (let i = 0; i < expected.length; i++) checkEq(getF64(p, i), expected[i], what + "[" + i.toString() + "]");
}

/** n f64 at p within tol of the given values (−Infinity must match exactly). */
export function checkF64sNear(p: usize, expected: f64[], tol: f64, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const v = getF64(p, i), e = expected[i];
    if (e == -Infinity || v == -Infinity) checkEq(v, e, what + "[" + i.toString() + "]");
    else checkNear(v, e, tol, what + "[" + i.toString() + "]");
  }
}

/** n i32 at p equal the given values. */
export function checkI32s(p: usize, expected: i32[], what: string): void {
  for (let i = 0; i < expected.length; i++) checkInt(getI32(p, i), expected[i], what + "[" + i.toString() + "]");
}

/** The slot just past n f64 at p still holds `sentinel` (the kernel wrote nothing past its output). */
export function checkSentinelF64(p: usize, n: i32, sentinel: f64, what: string): void {
  checkEq(getF64(p, n), sentinel, what + ": wrote past its output");
}

/** One unit in the last place of a positive normal double x: 2^(exponent(x) − 52), itself subnormal below 2^−970. */
export function ulp(x: f64): f64 {
  const e = <i64>((reinterpret<u64>(x) >> 52) & 0x7ff); // biased exponent, 1 … 2046 for normals
  return e > 52 ? reinterpret<f64>(<u64>(e - 52) << 52) : reinterpret<f64>(<u64>1 << <u64>(e - 1));
}
