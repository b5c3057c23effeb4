// savgolFrames (assembly/dsp/delta.ts): Savitzky-Golay derivative filters along time, with the
// edges ('interp') copied from the first / last full window.
import { savgolFrames } from "../dsp/delta";
import {
  checks, allocF32, free, setF32, getF32, seed, fillRandom, fillF32,
  checkAtMost, checkBitsN, checkFilled,
} from "./helpers";

const SENTINEL: f32 = -4096.5;

/** Width 9, order 1 (first derivative): k/60 for k = −4 … 4 (Σk² = 60). */
function firstDerivative9(): usize {
  const c = allocF32(9);
  for (let k = -4; k <= 4; k++) store<f32>(c + <usize>(k + 4) * 4, <f32>(<f64>k / 60.0));
  return c;
}

/**
 * Width 9, order 2, second derivative: 2c of the least-squares fit a + b·k + c·k², i.e.
 * (3k² − 20)/462 for k = −4 … 4 (mean k² = 20/3, Σ(k² − 20/3)² = 308); scipy savgol_coeffs(9, 2, 2).
 */
function secondDerivative9(): usize {
  const c = allocF32(9);
  for (let k = -4; k <= 4; k++) store<f32>(c + <usize>(k + 4) * 4, <f32>(<f64>(3 * k * k - 20) / 462.0));
  return c;
}

/** max over [T][D] of |out − expected(d)| / |expected(d)|. */
function maxRelErrorPerColumn(out: usize, T: i32, D: i32, expected: f64[]): f64 {
  let worst = 0.0;
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) {
      worst = Math.max(worst, Math.abs(<f64>getF32(out, t * D + d) - expected[d]) / Math.abs(expected[d]));
    }
  }
  return worst;
}

describe("savgolFrames", () => {
  it("gives d+1 on the ramp X[t][d] = t·(d+1), edges included (D = 13: SIMD body + scalar tail)", () => {
    const T = 20, D = 13;
    const X = allocF32(T * D), out = allocF32(T * D + 4);
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) store<f32>(X + <usize>(t * D + d) * 4, <f32>(t * (d + 1)));
    fillF32(out, T * D + 4, SENTINEL);
    const c = firstDerivative9();
    savgolFrames(X, T, D, c, 9, out);
    const expected = new Array<f64>(D);
    for (let d = 0; d < D; d++) expected[d] = <f64>(d + 1);
    // k/60 is not exact in f32, so "exactly d+1" holds to a few f32 ulps of d+1.
    checkAtMost(maxRelErrorPerColumn(out, T, D, expected), 4.0 * 1.1920928955078125e-7, "max |out − (d+1)| / (d+1)");
    checkFilled(out, T * D, T * D + 4, SENTINEL, "wrote past [T][D]");
    free(X); free(out); free(c);
  });

  it("gives the constant second derivative on a quadratic (order-2 coefficients)", () => {
    // X[t][d] = (d+1)·t² + (d−3)·t + 2 → d²X/dt² = 2(d+1)
    const T = 12, D = 13;
    const X = allocF32(T * D), out = allocF32(T * D);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) store<f32>(X + <usize>(t * D + d) * 4, <f32>((d + 1) * t * t + (d - 3) * t + 2));
    }
    const c = secondDerivative9();
    savgolFrames(X, T, D, c, 9, out);
    const expected = new Array<f64>(D);
    for (let d = 0; d < D; d++) expected[d] = <f64>(2 * (d + 1));
    // Values reach ~1900 while the result is ~2–26: cancellation costs a few hundred ulps of the result.
    checkAtMost(maxRelErrorPerColumn(out, T, D, expected), 1e-4, "max |out − 2(d+1)| / 2(d+1)");
    free(X); free(out); free(c);
  });

  it("matches a plain f32 convolution bit for bit and an f64 one closely (random data)", () => {
    const Ds: i32[] = [1, 3, 4, 5, 13, 16];
    const Ts: i32[] = [5, 6, 11];
    const w = 5, h = 2;
    for (let a = 0; a < Ds.length; a++) {
      for (let b = 0; b < Ts.length; b++) {
        const D = Ds[a], T = Ts[b];
        const tag = "T=" + T.toString() + " D=" + D.toString();
        const X = allocF32(T * D), out = allocF32(T * D), ref = allocF32(T * D), c = allocF32(w);
        seed(<u32>(T * 64 + D));
        fillRandom(X, T * D);
        setF32(c, [-0.2, -0.1, 0, 0.1, 0.2]);
        savgolFrames(X, T, D, c, w, out);
        let worst = 0.0;
        for (let t = 0; t < T; t++) {
          const tc = min(max(t, h), T - 1 - h); // edges take the first / last full window
          for (let d = 0; d < D; d++) {
            let acc: f32 = 0, acc64 = 0.0;
            for (let k = 0; k < w; k++) {
              const x = getF32(X, (tc - h + k) * D + d), ck = getF32(c, k);
              acc += ck * x;
              acc64 += <f64>ck * <f64>x;
            }
            store<f32>(ref + <usize>(t * D + d) * 4, acc);
            worst = Math.max(worst, Math.abs(<f64>getF32(out, t * D + d) - acc64));
          }
        }
        checkBitsN(out, ref, T * D, tag + ": vs plain f32 loop");
        checkAtMost(worst, 1e-6, tag + ": max |out − f64 convolution|");
        free(X); free(out); free(ref); free(c);
      }
    }
  });

  it("handles T == w (a single full window, copied to every frame)", () => {
    const T = 9, D = 6;
    const X = allocF32(T * D), out = allocF32(T * D);
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) store<f32>(X + <usize>(t * D + d) * 4, <f32>(t * (d + 1)));
    const c = firstDerivative9();
    savgolFrames(X, T, D, c, 9, out);
    for (let t = 1; t < T; t++) checkBitsN(out + <usize>(t * D) * 4, out, D, "frame " + t.toString() + " = frame 0");
    const expected: f64[] = [1, 2, 3, 4, 5, 6];
    checkAtMost(maxRelErrorPerColumn(out, 1, D, expected), 4.0 * 1.1920928955078125e-7, "value d+1");
    free(X); free(out); free(c);
  });
});

describe("delta.spec", () => {
  it("counts its checks", () => {
    log<string>("delta.spec.ts: " + checks.toString() + " checks");
  });
});
