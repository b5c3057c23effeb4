// savgolFrames (assembly/dsp/delta.ts): Savitzky-Golay derivative filters along time, with the
// edges ('interp') copied from the first / last full window.
import { savgolFrames } from "../dsp/delta";
import {
  allocF32, free, setF32, getF32, seed, fillRandom, fillF32,
  checkAtMost, checkBitsN, checkFilled, checkEq,
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
    savgolFrames(X, T, D, D, c, 9, out, D);
    const expected = new Array<f64>(D);
    for (let d = 0; d < D; d++) expected[d] = <f64>(d + 1);
    // k/60 is not exact in f32, so "exactly d+1" holds to a few f32 ulps of d+1 (measured ≤ 2).
    checkAtMost(maxRelErrorPerColumn(out, T, D, expected), 4.0 * 1.1920928955078125e-7, "max |out − (d+1)| / (d+1)");
    checkFilled(out, T * D, T * D + 4, SENTINEL, "wrote past [T][D]");
    free(X); free(out); free(c);
  });

  it("is exact with integer coefficients: k for k = −4 … 4 on the ramp gives 60·(d+1)", () => {
    const T = 17, D = 13;
    const X = allocF32(T * D), out = allocF32(T * D);
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) store<f32>(X + <usize>(t * D + d) * 4, <f32>(t * (d + 1)));
    const c = allocF32(9);
    for (let k = -4; k <= 4; k++) store<f32>(c + <usize>(k + 4) * 4, <f32>k);
    savgolFrames(X, T, D, D, c, 9, out, D);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) checkEq(getF32(out, t * D + d), <f64>(60 * (d + 1)), "t=" + t.toString() + " d=" + d.toString());
    }
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
    savgolFrames(X, T, D, D, c, 9, out, D);
    const expected = new Array<f64>(D);
    for (let d = 0; d < D; d++) expected[d] = <f64>(2 * (d + 1));
    // Values reach ~1600 while the result is 2–26; measured error 3.8e-7 relative.
    checkAtMost(maxRelErrorPerColumn(out, T, D, expected), 1e-5, "max |out − 2(d+1)| / 2(d+1)");
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
        savgolFrames(X, T, D, D, c, w, out, D);
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
    savgolFrames(X, T, D, D, c, 9, out, D);
    for (let t = 1; t < T; t++) checkBitsN(out + <usize>(t * D) * 4, out, D, "frame " + t.toString() + " = frame 0");
    const expected: f64[] = [1, 2, 3, 4, 5, 6];
    checkAtMost(maxRelErrorPerColumn(out, 1, D, expected), 4.0 * 1.1920928955078125e-7, "value d+1");
    free(X); free(out); free(c);
  });
});

/** savgolFrames on rows xStride / outStride apart equals the dense call; gaps keep their sentinel. */
function checkStrided(T: i32, D: i32, xStride: i32, outStride: i32): void {
  const tag = "D=" + D.toString() + " xStride=" + xStride.toString() + " outStride=" + outStride.toString();
  const X = allocF32(T * xStride), out = allocF32(T * outStride + 4);
  const Xd = allocF32(T * D), outD = allocF32(T * D);
  seed(99);
  fillRandom(X, T * xStride);
  for (let t = 0; t < T; t++) memory.copy(Xd + <usize>(t * D) * 4, X + <usize>(t * xStride) * 4, <usize>D * 4);
  fillF32(out, T * outStride + 4, SENTINEL);
  const c = firstDerivative9();
  savgolFrames(X, T, D, xStride, c, 9, out, outStride);
  savgolFrames(Xd, T, D, D, c, 9, outD, D);
  for (let t = 0; t < T; t++) {
    checkBitsN(out + <usize>(t * outStride) * 4, outD + <usize>(t * D) * 4, D, tag + " row " + t.toString() + " = dense result");
    checkFilled(out, t * outStride + D, (t + 1) * outStride, SENTINEL, tag + " row gap " + t.toString());
  }
  checkFilled(out, T * outStride, T * outStride + 4, SENTINEL, tag + ": wrote past the end");
  free(X); free(out); free(Xd); free(outD); free(c);
}

describe("savgolFrames with strides", () => {
  it("reads rows xStride apart and writes rows outStride apart, leaving the gaps alone", () => {
    const Ds: i32[] = [3, 4, 5, 7, 13];
    for (let i = 0; i < Ds.length; i++) checkStrided(11, Ds[i], Ds[i] + 2, Ds[i] + 4);
  });

  it("writes deltas beside their coefficients in one [T][3D] buffer", () => {
    // Columns [0, D) coefficients, [D, 2D) delta, [2D, 3D) delta-delta (delta of the delta).
    const T = 10, D = 13, W = 3 * D;
    const buf = allocF32(T * W), X = allocF32(T * D), d1 = allocF32(T * D), d2 = allocF32(T * D);
    seed(2024);
    fillRandom(X, T * D);
    for (let t = 0; t < T; t++) memory.copy(buf + <usize>(t * W) * 4, X + <usize>(t * D) * 4, <usize>D * 4);
    const c = firstDerivative9();
    savgolFrames(buf, T, D, W, c, 9, buf + <usize>D * 4, W);
    savgolFrames(buf + <usize>D * 4, T, D, W, c, 9, buf + <usize>(2 * D) * 4, W);
    savgolFrames(X, T, D, D, c, 9, d1, D);
    savgolFrames(d1, T, D, D, c, 9, d2, D);
    for (let t = 0; t < T; t++) {
      const row = buf + <usize>(t * W) * 4;
      checkBitsN(row, X + <usize>(t * D) * 4, D, "row " + t.toString() + ": coefficients untouched");
      checkBitsN(row + <usize>D * 4, d1 + <usize>(t * D) * 4, D, "row " + t.toString() + ": delta");
      checkBitsN(row + <usize>(2 * D) * 4, d2 + <usize>(t * D) * 4, D, "row " + t.toString() + ": delta-delta");
    }
    free(buf); free(X); free(d1); free(d2); free(c);
  });
});
