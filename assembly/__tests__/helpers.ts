// Shared spec helpers: raw buffers, a seeded generator and counted checks.
// Kernels only ever see raw pointers; the specs allocate them with heap.alloc (16-byte aligned
// under as-pect's TLSF runtime) and free them when done. Not a spec itself (no .spec.ts suffix).

/** Number of checks made so far in this spec module (each one an `expect`). */
export let checks: i32 = 0;

/** n f32 of zeroed, 16-byte aligned memory. */
export function allocF32(n: i32): usize {
  const bytes = <usize>max(n, 1) * 4;
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** `bytes` of zeroed, 16-byte aligned memory. */
export function allocBytes(bytes: i32): usize {
  const size = <usize>max(bytes, 16);
  const p = heap.alloc(size);
  memory.fill(p, 0, size);
  return p;
}

export function free(p: usize): void {
  heap.free(p);
}

/** Writes the given values to p as f32. */
export function setF32(p: usize, values: f64[]): void {
  for (let i = 0; i < values.length; i++) store<f32>(p + <usize>i * 4, <f32>values[i]);
}

export function getF32(p: usize, i: i32): f32 {
  return load<f32>(p + <usize>i * 4);
}

/** Fills n f32 at p with a value per sample (constant). */
export function fillF32(p: usize, n: i32, v: f32): void {
  for (let i = 0; i < n; i++) store<f32>(p + <usize>i * 4, v);
}

// Seeded xorshift32, overridable per call site; deterministic across runs.
let rngState: u32 = 0x9e3779b9;

export function seed(s: u32): void {
  rngState = s != 0 ? s : 0x9e3779b9;
}

/** Uniform in [-1, 1), exactly representable as f32. */
export function uniform(): f32 {
  let x = rngState;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rngState = x;
  return <f32>(<f64>(x >> 8) / 8388608.0 - 1.0);
}

/** Fills n f32 at p with uniform(). */
export function fillRandom(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(p + <usize>i * 4, uniform());
}

/** actual == expected as numbers (so -0 == 0). */
export function checkEq(actual: f64, expected: f64, what: string): void {
  checks++;
  if (actual != expected) {
    expect<f64>(actual).toBe(expected, what);
  }
}

/** Same bits (f32), so -0 ≠ 0 and NaN == NaN of the same payload. */
export function checkBits(actual: f32, expected: f32, what: string): void {
  checks++;
  if (reinterpret<u32>(actual) != reinterpret<u32>(expected)) {
    expect<f32>(actual).toBe(expected, what + " (bit-for-bit)");
  }
}

/** n f32 at a and b have the same bits; one check per buffer, the first mismatch reported. */
export function checkBitsN(a: usize, b: usize, n: i32, what: string): void {
  checks++;
  for (let i = 0; i < n; i++) {
    const x = load<f32>(a + <usize>i * 4), y = load<f32>(b + <usize>i * 4);
    if (reinterpret<u32>(x) != reinterpret<u32>(y)) {
      expect<f32>(x).toBe(y, what + ": first bit mismatch at index " + i.toString());
      return;
    }
  }
}

/** |actual − expected| ≤ tol. */
export function checkNear(actual: f64, expected: f64, tol: f64, what: string): void {
  checks++;
  const err = Math.abs(actual - expected);
  if (!(err <= tol)) {
    expect<f64>(actual).toBe(expected, what + ": |error| " + err.toString() + " > tol " + tol.toString());
  }
}

/** A scalar quantity (an error measure) is ≤ bound. */
export function checkAtMost(value: f64, bound: f64, what: string): void {
  checks++;
  if (!(value <= bound)) {
    expect<f64>(value).toBeLessThanOrEqual(bound, what);
  }
}

/** i32 equality. */
export function checkInt(actual: i32, expected: i32, what: string): void {
  checks++;
  if (actual != expected) {
    expect<i32>(actual).toBe(expected, what);
  }
}

/** n f32 at p equal the given values exactly (as numbers). */
export function checkF32s(p: usize, expected: f64[], what: string): void {
  checks++;
  for (let i = 0; i < expected.length; i++) {
    const v = <f64>load<f32>(p + <usize>i * 4);
    if (v != expected[i]) {
      expect<f64>(v).toBe(expected[i], what + ": index " + i.toString());
      return;
    }
  }
}

/** Every f32 in [from, to) at p has the bits of `value` (e.g. a sentinel nothing may overwrite). */
export function checkFilled(p: usize, from: i32, to: i32, value: f32, what: string): void {
  checks++;
  for (let i = from; i < to; i++) {
    const v = load<f32>(p + <usize>i * 4);
    if (reinterpret<u32>(v) != reinterpret<u32>(value)) {
      expect<f32>(v).toBe(value, what + ": index " + i.toString());
      return;
    }
  }
}
