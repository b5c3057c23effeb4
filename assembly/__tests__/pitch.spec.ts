// The pieces of assembly/dsp/pitch.ts: autocorrelation against the naive double loop, sinc
// interpolation and its maximum on signals with known values, the plan's window autocorrelation,
// and the Viterbi path on a hand-made candidate lattice.
import {
  autocorrelation, sincInterpolate, sincMaximum, sincMaximumAt, pitchPlanBytes, pitchPlanInit, pitchPath,
} from "../dsp/pitch";
import { allocBytes, free, seed, uniform, checkNear, checkAtMost, checkEq, checkInt } from "./helpers";
import { allocF64, getF64, setF64At } from "./f64-helpers";

/** Naive r[k] = Σ x[i] x[i+k]. */
function naiveLag(x: usize, n: i32, k: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i + k < n; i++) s += getF64(x, i) * getF64(x, i + k);
  return s;
}

function checkAutocorrelation(n: i32, maxLag: i32): void {
  const x = allocF64(n), r = allocF64(maxLag + 2);
  for (let i = 0; i < n; i++) setF64At(x, i, <f64>uniform());
  setF64At(r, maxLag + 1, -7.25); // sentinel
  autocorrelation(x, n, maxLag, r);
  const r0 = naiveLag(x, n, 0);
  let worst: f64 = 0;
  for (let k = 0; k <= maxLag; k++) worst = Math.max(worst, Math.abs(getF64(r, k) - naiveLag(x, n, k)));
  checkAtMost(worst / r0, 1e-13, "autocorrelation n=" + n.toString() + " maxLag=" + maxLag.toString() + " vs naive (relative to r0)");
  checkEq(getF64(r, maxLag + 1), -7.25, "autocorrelation wrote past maxLag");
  free(x); free(r);
}

describe("autocorrelation", () => {
  it("matches the naive sum for odd and even lengths (SIMD body + scalar tail)", () => {
    seed(11);
    checkAutocorrelation(1, 0);
    checkAutocorrelation(5, 4);
    checkAutocorrelation(37, 20);
    checkAutocorrelation(640, 320);
  });

  it("is 0 at lags ≥ n", () => {
    const x = allocF64(3), r = allocF64(6);
    setF64At(x, 0, 1); setF64At(x, 1, 2); setF64At(x, 2, 3);
    autocorrelation(x, 3, 5, r);
    checkEq(getF64(r, 0), 14, "r0"); checkEq(getF64(r, 1), 8, "r1"); checkEq(getF64(r, 2), 3, "r2");
    checkEq(getF64(r, 3), 0, "r3"); checkEq(getF64(r, 5), 0, "r5");
    free(x); free(r);
  });
});

describe("sincInterpolate", () => {
  it("passes through the samples and holds the end values outside", () => {
    const y = allocF64(5);
    for (let i = 0; i < 5; i++) setF64At(y, i, <f64>(i * i) - 3.5);
    for (let i = 0; i < 5; i++) checkEq(sincInterpolate(y, 5, <f64>i, 70), <f64>(i * i) - 3.5, "on sample " + i.toString());
    checkEq(sincInterpolate(y, 5, -0.5, 70), -3.5, "left of the array");
    checkEq(sincInterpolate(y, 5, 4.25, 70), 12.5, "right of the array");
    free(y);
  });

  it("is linear at depth 1 and exact on a quadratic at depth 2 (cubic)", () => {
    const y = allocF64(9);
    for (let i = 0; i < 9; i++) setF64At(y, i, 0.5 * <f64>(i * i) - 2.0 * <f64>i + 1.0);
    const x = 4.3;
    checkNear(sincInterpolate(y, 9, x, 1), getF64(y, 4) + 0.3 * (getF64(y, 5) - getF64(y, 4)), 1e-12, "linear");
    checkNear(sincInterpolate(y, 9, x, 2), 0.5 * x * x - 2.0 * x + 1.0, 1e-12, "cubic on a quadratic");
  });

  it("recovers a band-limited signal between its samples (depth 70)", () => {
    const n = 401;
    const y = allocF64(n);
    for (let i = 0; i < n; i++) setF64At(y, i, Math.cos(2.0 * Math.PI * 0.061 * <f64>i + 0.3) + 0.5 * Math.sin(2.0 * Math.PI * 0.173 * <f64>i));
    let worst: f64 = 0;
    for (let k = 0; k < 50; k++) {
      const x = 150.0 + <f64>k * 2.137;
      const want = Math.cos(2.0 * Math.PI * 0.061 * x + 0.3) + 0.5 * Math.sin(2.0 * Math.PI * 0.173 * x);
      worst = Math.max(worst, Math.abs(sincInterpolate(y, n, x, 70) - want));
    }
    checkAtMost(worst, 2e-3, "depth-70 interpolation error of a two-tone signal");
    free(y);
  });
});

describe("sincMaximum", () => {
  it("finds the peak of a sampled cosine between samples", () => {
    // r(τ) = cos(2π τ / 40.3) at lags −100 … 100 (index = lag + 100): maximum 1 at lag 40.3.
    const n = 201;
    const y = allocF64(n);
    for (let i = 0; i < n; i++) setF64At(y, i, Math.cos(2.0 * Math.PI * <f64>(i - 100) / 40.3));
    const v = sincMaximum(y, n, 140, 70);
    checkNear(sincMaximumAt(), 140.3, 1e-4, "argmax");
    checkNear(v, 1.0, 1e-4, "max");
    free(y);
  });

  it("returns the end sample at the array ends", () => {
    const y = allocF64(4);
    setF64At(y, 0, 3); setF64At(y, 3, 5);
    checkEq(sincMaximum(y, 4, 0, 70), 3, "left end");
    checkEq(sincMaximumAt(), 0, "left end index");
    checkEq(sincMaximum(y, 4, 3, 70), 5, "right end");
    checkEq(sincMaximumAt(), 3, "right end index");
    free(y);
  });
});

describe("pitchPlanInit", () => {
  it("stores Praat's Hanning window and its normalised autocorrelation", () => {
    const N = 16, L = 8;
    const plan = allocBytes(pitchPlanBytes(N, L));
    pitchPlanInit(N, 0, L, plan);
    for (let i = 1; i <= N; i++) {
      checkNear(getF64(plan, i - 1), 0.5 - 0.5 * Math.cos(2.0 * Math.PI * <f64>i / 17.0), 1e-15, "window " + i.toString());
    }
    const r0 = naiveLag(plan, N, 0);
    const wr = plan + <usize>N * 8;
    checkEq(getF64(wr, 0), 1.0, "windowR[0]");
    for (let k = 1; k <= L; k++) checkNear(getF64(wr, k), naiveLag(plan, N, k) / r0, 1e-14, "windowR " + k.toString());
    free(plan);
  });

  it("stores a symmetric Gaussian window when asked", () => {
    const N = 20;
    const plan = allocBytes(pitchPlanBytes(N, 5));
    pitchPlanInit(N, 1, 5, plan);
    for (let i = 0; i < N / 2; i++) checkNear(getF64(plan, i), getF64(plan, N - 1 - i), 1e-15, "symmetry " + i.toString());
    checkAtMost(getF64(plan, 0), 0.05, "small at the edge");
    free(plan);
  });
});

/** Runs pitchPath on nFrames frames of up to 3 candidates (freq, strength) and intensity 1. */
function path(freqs: f64[], strengths: f64[], counts: i32[], intensity: f64, out: usize): void {
  const T = counts.length, M = 3;
  const freq = allocF64(T * M), str = allocF64(T * M), nc = allocBytes(T * 4), inten = allocF64(T);
  const delta = allocF64(T * M), psi = allocBytes(T * M * 4);
  for (let i = 0; i < T * M; i++) { setF64At(freq, i, freqs[i]); setF64At(str, i, strengths[i]); }
  for (let t = 0; t < T; t++) { store<i32>(nc + <usize>t * 4, counts[t]); setF64At(inten, t, intensity); }
  pitchPath(freq, str, nc, inten, T, M, 0.03, 0.45, 0.01, 0.35, 0.14, 600, 0.01, delta, psi, out);
  free(freq); free(str); free(nc); free(inten); free(delta); free(psi);
}

describe("pitchPath", () => {
  it("prefers a steady 100 Hz path over an octave jump to a slightly stronger 200 Hz", () => {
    const out = allocF64(3);
    path([0, 100, 0, 0, 200, 100, 0, 100, 0], [0, 0.9, 0, 0, 0.95, 0.9, 0, 0.9, 0], [2, 3, 2], 1.0, out);
    checkEq(getF64(out, 0), 100, "frame 0");
    checkEq(getF64(out, 1), 100, "frame 1 (no octave jump)");
    checkEq(getF64(out, 2), 100, "frame 2");
    free(out);
  });

  it("calls silent frames unvoiced, and candidates at or above the ceiling unvoiced", () => {
    const out = allocF64(2);
    path([0, 100, 0, 0, 100, 0], [0, 0.9, 0, 0, 0.9, 0], [2, 2], 0.0, out);
    checkEq(getF64(out, 0), 0, "silent frame 0");
    checkEq(getF64(out, 1), 0, "silent frame 1");
    path([0, 700, 0, 0, 700, 0], [0, 0.99, 0, 0, 0.99, 0], [2, 2], 1.0, out);
    checkEq(getF64(out, 0), 0, "700 Hz ≥ ceiling 600");
    free(out);
  });

  it("handles a single frame", () => {
    const out = allocF64(1);
    path([0, 150, 0], [0, 0.8, 0], [2], 1.0, out);
    checkEq(getF64(out, 0), 150, "one voiced frame");
    checkInt(<i32>getF64(out, 0), 150, "as int");
    free(out);
  });
});
