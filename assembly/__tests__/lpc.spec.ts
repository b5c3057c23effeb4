// The pieces of assembly/dsp/lpc.ts: Praat's Gaussian window, Burg against AR processes with known
// coefficients, the root finder on polynomials with known roots, and formantFrames on a synthetic
// all-pole signal with known resonances.
import { gaussianWindow, burg, burgWorkBytes, polyRoots, formantFrames, formantWorkBytes } from "../dsp/lpc";
import { allocBytes, allocF32, free, seed, uniform, checkNear, checkAtMost, checkEq, checkInt } from "./helpers";
import { allocF64, getF64, setF64At } from "./f64-helpers";

/** x[t] = Σ a[j] x[t−1−j] + e[t] (uniform noise), n samples after a 500-sample warm-up, f64. */
function arProcess(a: f64[], n: i32): usize {
  const m = a.length;
  const x = allocF64(n + 500);
  for (let t = 0; t < n + 500; t++) {
    let v = <f64>uniform();
    for (let j = 0; j < m; j++) if (t - 1 - j >= 0) v += a[j] * getF64(x, t - 1 - j);
    setF64At(x, t, v);
  }
  return x + 500 * 8;
}

describe("gaussianWindow", () => {
  it("is Praat's lowered Gaussian: symmetric, 1 − tiny at the centre, ~0 just past the ends", () => {
    const n = 11;
    const w = allocF64(n);
    gaussianWindow(n, w);
    const edge = Math.exp(-12.0);
    for (let i = 1; i <= n; i++) {
      const d = <f64>i - 6.0;
      checkNear(getF64(w, i - 1), (Math.exp(-48.0 * d * d / 144.0) - edge) / (1.0 - edge), 1e-15, "w[" + i.toString() + "]");
    }
    for (let i = 0; i < 5; i++) checkEq(getF64(w, i), getF64(w, n - 1 - i), "symmetry " + i.toString());
    checkEq(getF64(w, 5), 1.0, "centre of an odd window");
    free(w);
  });
});

describe("burg", () => {
  it("estimates an AR(2) process's coefficients", () => {
    seed(5);
    const n = 8000;
    const x = arProcess([1.3, -0.8], n);
    const a = allocF64(2), work = allocBytes(burgWorkBytes(n, 2));
    const err = burg(x, n, 2, a, work);
    checkNear(getF64(a, 0), 1.3, 0.03, "a1");
    checkNear(getF64(a, 1), -0.8, 0.03, "a2");
    // Uniform noise on [-1, 1) has variance 1/3: the prediction error power estimates it.
    checkNear(err, 1.0 / 3.0, 0.03, "prediction error power");
    free(x - 500 * 8); free(a); free(work);
  });

  it("estimates an AR(4) with two resonances, and higher orders add ~0", () => {
    seed(9);
    // Poles 0.95·e^(±0.4i) and 0.9·e^(±1.3i): (1 − 1.9cos0.4 z⁻¹ + 0.9025 z⁻²)(1 − 1.8cos1.3 z⁻¹ + 0.81 z⁻²).
    const p1 = 2.0 * 0.95 * Math.cos(0.4), q1 = 0.9025, p2 = 2.0 * 0.9 * Math.cos(1.3), q2 = 0.81;
    const a1 = p1 + p2, a2 = -(q1 + q2 + p1 * p2), a3 = p1 * q2 + p2 * q1, a4 = -q1 * q2;
    const n = 20000;
    const x = arProcess([a1, a2, a3, a4], n);
    const a = allocF64(6), work = allocBytes(burgWorkBytes(n, 6));
    burg(x, n, 6, a, work);
    checkNear(getF64(a, 0), a1, 0.03, "a1");
    checkNear(getF64(a, 1), a2, 0.05, "a2");
    checkNear(getF64(a, 2), a3, 0.05, "a3");
    checkNear(getF64(a, 3), a4, 0.03, "a4");
    checkAtMost(Math.abs(getF64(a, 4)) + Math.abs(getF64(a, 5)), 0.05, "a5, a6 ≈ 0");
    free(x - 500 * 8); free(a); free(work);
  });

  it("returns zeros for an all-zero signal", () => {
    const x = allocF64(50), a = allocF64(4), work = allocBytes(burgWorkBytes(50, 4));
    setF64At(a, 2, 9.0);
    checkEq(burg(x, 50, 4, a, work), 0, "error power");
    for (let j = 0; j < 4; j++) checkEq(getF64(a, j), 0, "a" + (j + 1).toString());
    free(x); free(a); free(work);
  });
});

/** Multiplies the ascending polynomial c [deg+1] by (z − (re + i·im)) in place over complex pairs. */
function mulRoot(cr: f64[], ci: f64[], re: f64, im: f64): void {
  const n = cr.length;
  cr.push(0); ci.push(0);
  for (let k = n; k >= 1; k--) {
    // new c[k] = c[k−1] − root·c[k]
    const r = cr[k - 1] - (re * cr[k] - im * ci[k]);
    const i = ci[k - 1] - (re * ci[k] + im * cr[k]);
    cr[k] = r; ci[k] = i;
  }
  const r0 = -(re * cr[0] - im * ci[0]), i0 = -(re * ci[0] + im * cr[0]);
  cr[0] = r0; ci[0] = i0;
}

/** polyRoots on the polynomial with the given roots (times `lead`) finds them all within tol. */
function checkRoots(res: f64[], ims: f64[], lead: f64, tol: f64, what: string): void {
  const cr: f64[] = [1.0], ci: f64[] = [0.0];
  for (let k = 0; k < res.length; k++) mulRoot(cr, ci, res[k], ims[k]);
  const deg = res.length;
  const c = allocF64(deg + 1), z = allocF64(2 * deg);
  for (let k = 0; k <= deg; k++) setF64At(c, k, lead * cr[k]);
  const it = polyRoots(c, deg, z);
  checkAtMost(-<f64>it, 0, what + ": converged");
  // Every expected root has a found root within tol (roots are distinct here).
  let worst: f64 = 0;
  for (let k = 0; k < deg; k++) {
    let best: f64 = Infinity;
    for (let j = 0; j < deg; j++) best = Math.min(best, Math.hypot(getF64(z, 2 * j) - res[k], getF64(z, 2 * j + 1) - ims[k]));
    worst = Math.max(worst, best);
  }
  checkAtMost(worst, tol, what + ": worst root distance");
  free(c); free(z);
}

describe("polyRoots", () => {
  it("finds real and complex roots of a quartic", () => {
    const th = 0.7;
    checkRoots([0.5, -0.25, 0.9 * Math.cos(th), 0.9 * Math.cos(th)], [0, 0, 0.9 * Math.sin(th), -0.9 * Math.sin(th)], 1.0, 1e-12, "quartic");
  });

  it("finds LPC-like pole pairs near the unit circle (degree 10), any leading coefficient", () => {
    const res: f64[] = [], ims: f64[] = [];
    const radii: f64[] = [0.97, 0.95, 0.93, 0.9, 0.85], angles: f64[] = [0.35, 0.8, 1.6, 2.2, 2.8];
    for (let k = 0; k < 5; k++) {
      res.push(radii[k] * Math.cos(angles[k])); ims.push(radii[k] * Math.sin(angles[k]));
      res.push(radii[k] * Math.cos(angles[k])); ims.push(-radii[k] * Math.sin(angles[k]));
    }
    checkRoots(res, ims, 1.0, 1e-11, "degree 10");
    checkRoots(res, ims, -3.5, 1e-11, "degree 10, leading −3.5");
  });

  it("handles a zero root, a root outside the unit circle and degree 1", () => {
    checkRoots([0.0, 2.0, -1.5], [0, 0, 0], 1.0, 1e-12, "0, 2, −1.5");
    checkRoots([0.3], [0], 2.0, 1e-15, "degree 1");
  });

  it("approaches a double root (to ~sqrt(eps))", () => {
    const c = allocF64(3), z = allocF64(4);
    setF64At(c, 0, 0.25); setF64At(c, 1, -1.0); setF64At(c, 2, 1.0); // (z − 0.5)²
    polyRoots(c, 2, z);
    checkNear(getF64(z, 0), 0.5, 1e-7, "root 1"); checkNear(getF64(z, 2), 0.5, 1e-7, "root 2");
    free(c); free(z);
  });
});

describe("formantFrames", () => {
  it("finds the resonances of an AR(4) signal at 10 kHz: 500 and 1500 Hz", () => {
    seed(3);
    const sr = 10000.0, n = 12000;
    // Poles at 500 Hz (bandwidth 60 Hz) and 1500 Hz (bandwidth 100 Hz), white uniform excitation.
    const r1 = Math.exp(-Math.PI * 60.0 / sr), r2 = Math.exp(-Math.PI * 100.0 / sr);
    const p1 = 2.0 * r1 * Math.cos(2.0 * Math.PI * 500.0 / sr), q1 = r1 * r1;
    const p2 = 2.0 * r2 * Math.cos(2.0 * Math.PI * 1500.0 / sr), q2 = r2 * r2;
    const x64 = arProcess([p1 + p2, -(q1 + q2 + p1 * p2), p1 * q2 + p2 * q1, -q1 * q2], n);
    const x = allocF32(n);
    for (let i = 0; i < n; i++) store<f32>(x + <usize>i * 4, <f32>(getF64(x64, i) * 0.01));
    // 1000-sample frames: a single frame's estimate scatters by ~18 Hz (random excitation), so the
    // check is on the mean of 10 frames (±15 Hz), with a loose bound on every frame (±100 Hz).
    const nWindow = 1000, m = 4, nFrames = 10, K = 2;
    const window = allocF64(nWindow);
    gaussianWindow(nWindow, window);
    const freq = allocF64(nFrames * K), bw = allocF64(nFrames * K), count = allocBytes(nFrames * 4);
    const work = allocBytes(formantWorkBytes(nWindow, m));
    const dx = 1.0 / sr;
    const fails = formantFrames(x, n, dx, 0.5 * dx, 0.1, 0.1, nFrames, nWindow, m, 0.0, 50.0, K, window, freq, bw, count, work);
    checkInt(fails, 0, "root finder converged");
    let m1: f64 = 0, m2: f64 = 0;
    for (let f = 0; f < nFrames; f++) {
      checkInt(load<i32>(count + <usize>f * 4), 2, "two formants in frame " + f.toString());
      checkNear(getF64(freq, f * K), 500.0, 100.0, "F1 frame " + f.toString());
      checkNear(getF64(freq, f * K + 1), 1500.0, 100.0, "F2 frame " + f.toString());
      checkAtMost(getF64(bw, f * K), 300.0, "B1 frame " + f.toString());
      m1 += getF64(freq, f * K) / <f64>nFrames;
      m2 += getF64(freq, f * K + 1) / <f64>nFrames;
    }
    checkNear(m1, 500.0, 15.0, "mean F1");
    checkNear(m2, 1500.0, 15.0, "mean F2");
    free(x64 - 500 * 8); free(x); free(window); free(freq); free(bw); free(count); free(work);
  });

  it("gives no formants in a frame of zeros", () => {
    const n = 600, nWindow = 200, m = 4;
    const x = allocF32(n), window = allocF64(nWindow);
    gaussianWindow(nWindow, window);
    const freq = allocF64(2), bw = allocF64(2), count = allocBytes(4), work = allocBytes(formantWorkBytes(nWindow, m));
    store<i32>(count, 7);
    formantFrames(x, n, 1e-4, 0.5e-4, 0.03, 0.01, 1, nWindow, m, 0.97, 50.0, 2, window, freq, bw, count, work);
    checkInt(load<i32>(count), 0, "no formants in silence");
    free(x); free(window); free(freq); free(bw); free(count); free(work);
  });
});
