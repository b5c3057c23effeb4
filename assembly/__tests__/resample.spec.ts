// resampleSinc (assembly/dsp/resample.ts): passband gain and phase, stopband rejection, identity at
// integer positions, silence outside the signal, and the SIMD/rotated path against a plain formula
// that takes a sin and cos per tap.
import { resampleSinc, resamplePoly } from "../dsp/resample";
import { allocF32, free, getF32, seed, fillRandom, checkNear, checkAtMost } from "./helpers";

/** out(p) by the formula, one sin/cos per tap, f64. */
function plain(x: usize, n: i32, p: f64, cutoff: f64, W: i32): f64 {
  let acc: f64 = 0;
  for (let j = 0; j < n; j++) {
    const d = p - <f64>j;
    if (Math.abs(d) >= <f64>W) continue;
    const theta = Math.PI * cutoff * d;
    const sinc = theta == 0 ? 1.0 : Math.sin(theta) / theta;
    acc += <f64>load<f32>(x + <usize>j * 4) * sinc * (0.5 + 0.5 * Math.cos(Math.PI * d / <f64>W));
  }
  return cutoff * acc;
}

/** A tone of frequency f (fraction of the input rate) at input position p. */
function tone(f: f64, p: f64): f64 {
  return 0.5 * Math.sin(2.0 * Math.PI * f * p + 0.25);
}

function toneBuffer(n: i32, f: f64): usize {
  const x = allocF32(n);
  for (let i = 0; i < n; i++) store<f32>(x + <usize>i * 4, <f32>tone(f, <f64>i));
  return x;
}

describe("resampleSinc", () => {
  it("matches the plain per-tap formula (random signal, fractional positions)", () => {
    seed(21);
    const n = 300, m = 40, W = 37;
    const x = allocF32(n), out = allocF32(m);
    fillRandom(x, n);
    const start = 3.3, step = 1.6, cutoff = 0.625;
    resampleSinc(x, n, start, step, cutoff, W, out, m);
    let worst: f64 = 0;
    for (let k = 0; k < m; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k) - plain(x, n, start + <f64>k * step, cutoff, W)));
    checkAtMost(worst, 2e-6, "max |kernel − formula|");
    free(x); free(out);
  });

  it("passes a tone below the new Nyquist with unit gain and no delay (16 kHz → 10 kHz)", () => {
    const n = 16000, m = 10000, W = 400;
    const f = 3000.0 / 16000.0;
    const x = toneBuffer(n, f), out = allocF32(m);
    const step = 1.6, start = 0.3;
    resampleSinc(x, n, start, step, 0.625, W, out, m);
    let worst: f64 = 0;
    for (let k = 500; k < m - 500; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k) - tone(f, start + <f64>k * step)));
    checkAtMost(worst, 1e-3 * 0.5, "passband error (relative 1e-3)");
    free(x); free(out);
  });

  it("rejects a tone above the new Nyquist (7 kHz into 10 kHz)", () => {
    const n = 16000, m = 10000;
    const x = toneBuffer(n, 7000.0 / 16000.0), out = allocF32(m);
    resampleSinc(x, n, 0.3, 1.6, 0.625, 400, out, m);
    let peak: f64 = 0;
    for (let k = 500; k < m - 500; k++) peak = Math.max(peak, Math.abs(<f64>getF32(out, k)));
    checkAtMost(peak, 0.5 * 0.01, "stopband below −40 dB");
    free(x); free(out);
  });

  it("returns the samples themselves at integer positions, and zeros far outside the signal", () => {
    seed(4);
    const n = 64;
    const x = allocF32(n), out = allocF32(n + 20);
    fillRandom(x, n);
    resampleSinc(x, n, 0.0, 1.0, 1.0, 16, out, n);
    let worst: f64 = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k) - <f64>getF32(x, k)));
    checkAtMost(worst, 1e-6, "identity at integer positions");
    resampleSinc(x, n, <f64>(n + 16), 1.0, 1.0, 16, out, 4);
    for (let k = 0; k < 4; k++) checkNear(<f64>getF32(out, k), 0, 0, "beyond the end " + k.toString());
    free(x); free(out);
  });
});

/** resamplePoly's output k by the definition: f64, one row (or two blended), x zero outside [0, n). */
function polyPlain(x: usize, n: i32, table: usize, taps: i32, L: i32, h: i32, u: f64, interp: bool): f64 {
  const fu = Math.floor(u);
  const i = <i32>Math.floor(fu / <f64>L);
  const r = <i32>(fu - <f64>i * <f64>L);
  const w = interp ? u - fu : 0.0;
  let a: f64 = 0, b: f64 = 0;
  for (let t = 0; t < taps; t++) {
    const j = i - h + 1 + t;
    if (j < 0 || j >= n) continue;
    const xv = <f64>load<f32>(x + <usize>j * 4);
    a += xv * <f64>load<f32>(table + <usize>(r * taps + t) * 4);
    if (interp) b += xv * <f64>load<f32>(table + <usize>((r + 1) * taps + t) * 4);
  }
  return interp ? a + w * (b - a) : a;
}

describe("resamplePoly", () => {
  it("matches the dot-product definition, exact phases, edges included (random signal and table)", () => {
    seed(33);
    const n = 97, L = 5, taps = 12, h = 6, m = 40;
    const x = allocF32(n), table = allocF32(L * taps), out = allocF32(m);
    fillRandom(x, n);
    fillRandom(table, L * taps);
    // u from −20 (before the signal) past the end: step 13 phases = 2.6 samples.
    resamplePoly(x, n, table, taps, L, h, -20.0, 13.0, 0, out, m);
    let worst: f64 = 0;
    for (let k = 0; k < m; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k) - polyPlain(x, n, table, taps, L, h, -20.0 + <f64>k * 13.0, false)));
    checkAtMost(worst, 2e-5, "max |kernel − definition|");
    free(x); free(table); free(out);
  });

  it("blends neighbouring phases at fractional positions (interp = 1)", () => {
    seed(34);
    const n = 120, L = 8, taps = 16, h = 8, m = 50;
    const x = allocF32(n), table = allocF32((L + 1) * taps), out = allocF32(m);
    fillRandom(x, n);
    fillRandom(table, (L + 1) * taps);
    resamplePoly(x, n, table, taps, L, h, 3.3, 17.77, 1, out, m);
    let worst: f64 = 0;
    for (let k = 0; k < m; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k) - polyPlain(x, n, table, taps, L, h, 3.3 + <f64>k * 17.77, true)));
    checkAtMost(worst, 2e-5, "max |kernel − definition| with blending");
    free(x); free(table); free(out);
  });

  it("a unit-impulse table returns the samples (identity), zeros outside the signal", () => {
    seed(35);
    const n = 64, taps = 8, h = 4;
    const x = allocF32(n), table = allocF32(taps), out = allocF32(n + 8);
    fillRandom(x, n);
    store<f32>(table + <usize>(h - 1) * 4, 1); // tap h−1 is input index i itself
    resamplePoly(x, n, table, taps, 1, h, -4.0, 1.0, 0, out, n + 8);
    for (let k = 0; k < 4; k++) checkNear(<f64>getF32(out, k), 0, 0, "before the start " + k.toString());
    let worst: f64 = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(<f64>getF32(out, k + 4) - <f64>getF32(x, k)));
    checkAtMost(worst, 0, "identity");
    for (let k = n + 4; k < n + 8; k++) checkNear(<f64>getF32(out, k), 0, 0, "past the end " + k.toString());
    free(x); free(table); free(out);
  });
});
