// Burg LPC → formants, as Praat's "Sound: To Formant (burg)..." measures them.
//
// Per frame (Praat's Sound_to_Formant.cpp, re-derived here): the pre-emphasised signal
// y[i] = x[i] − a·x[i−1] (a = exp(−2π·F_pre/sr)) under a Gaussian window of the frame's length;
// Burg's method gives the order-m predictor x[t] ≈ Σ_j a_j x[t−j]; the m roots of
// z^m − a_1 z^(m−1) − … − a_m (poles of the all-pole model) are reflected into the unit circle, and
// each root z = r·e^(iθ) with θ ≥ 0 gives a formant F = θ·sr/(2π) and bandwidth B = −ln(r)·sr/π,
// kept when safetyMargin ≤ F ≤ sr/2 − safetyMargin (Praat: 50 Hz); formants are sorted by frequency.
//
// Roots: Aberth–Ehrlich simultaneous iteration (all roots at once, cubic convergence, no deflation),
// then a Newton polish of each root on the original polynomial. All arithmetic is f64 (Praat: double,
// its Burg sums in long double).

// ---- complex helpers: results in module globals (no tuples cross a call) ------------------------

let cre: f64 = 0;
let cim: f64 = 0;

/** (ar + i·ai) / (br + i·bi) → (cre, cim), scaled to avoid overflow (Smith's method). */
// @ts-ignore: decorator
@inline function cdiv(ar: f64, ai: f64, br: f64, bi: f64): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br, d = br + bi * r;
    cre = (ar + ai * r) / d;
    cim = (ai - ar * r) / d;
  } else {
    const r = br / bi, d = bi + br * r;
    cre = (ar * r + ai) / d;
    cim = (ai * r - ar) / d;
  }
}

let pre_: f64 = 0, pim_: f64 = 0, dre_: f64 = 0, dim_: f64 = 0;

/** p(z) → (pre_, pim_) and p'(z) → (dre_, dim_) by Horner, c [deg+1] ascending powers. */
function hornerDeriv(c: usize, deg: i32, zr: f64, zi: f64): void {
  let pr = load<f64>(c + <usize>deg * 8), pi: f64 = 0, dr: f64 = 0, di: f64 = 0;
  for (let i = deg - 1; i >= 0; i--) {
    const tr = dr * zr - di * zi + pr;
    di = dr * zi + di * zr + pi;
    dr = tr;
    const qr = pr * zr - pi * zi + load<f64>(c + <usize>i * 8);
    pi = pr * zi + pi * zr;
    pr = qr;
  }
  pre_ = pr; pim_ = pi; dre_ = dr; dim_ = di;
}

// ---- windows ------------------------------------------------------------------------------------

/**
 * out [n] f64 = Praat's Gaussian window, i = 1..n: (e^(−48 (i − m)² / (n + 1)²) − e^(−12)) / (1 − e^(−12)),
 * m = (n + 1)/2 — a Gaussian of σ = (n+1)/√96, lowered to reach 0 one sample past each end.
 * Does not allocate.
 */
export function gaussianWindow(n: i32, out: usize): void {
  const mid = 0.5 * <f64>(n + 1), edge = Math.exp(-12.0), np1 = <f64>(n + 1);
  for (let i = 1; i <= n; i++) {
    const d = <f64>i - mid;
    store<f64>(out + <usize>(i - 1) * 8, (Math.exp(-48.0 * d * d / np1 / np1) - edge) / (1.0 - edge));
  }
}

// ---- Burg ---------------------------------------------------------------------------------------

/**
 * Burg's method: a [m] f64 = predictor coefficients of x [n] f64 (x[t] ≈ Σ_{j=1..m} a[j−1]·x[t−j]),
 * each stage choosing the reflection coefficient k = 2·Σ f·b / Σ (f² + b²) that minimises the sum of
 * forward (f) and backward (b) prediction error powers. Returns the final mean-square prediction
 * error (0 when x is all zeros; stages whose error vanished leave their coefficients 0).
 * work: burgWorkBytes(n, m) bytes. Does not allocate.
 */
export function burg(x: usize, n: i32, m: i32, a: usize, work: usize): f64 {
  for (let j = 0; j < m; j++) store<f64>(a + <usize>j * 8, 0);
  let p: f64 = 0;
  for (let t = 0; t < n; t++) {
    const v = load<f64>(x + <usize>t * 8);
    p += v * v;
  }
  let xms = p / <f64>n;
  if (!(xms > 0)) return 0;
  const ef = work, eb = work + <usize>n * 8, prev = eb + <usize>n * 8;
  memory.copy(ef, x, <usize>n * 8);
  memory.copy(eb, x, <usize>n * 8);
  for (let i = 1; i <= m; i++) {
    // Pairs (f[t], b[t−1]) for t = i .. n−1.
    let num: f64 = 0, den: f64 = 0;
    let t = i;
    if (ASC_FEATURE_SIMD) {
      let vn = f64x2.splat(0), vd = f64x2.splat(0);
      for (; t + 2 <= n; t += 2) {
        const f = v128.load(ef + <usize>t * 8), b = v128.load(eb + <usize>(t - 1) * 8);
        vn = f64x2.add(vn, f64x2.mul(f, b));
        vd = f64x2.add(vd, f64x2.add(f64x2.mul(f, f), f64x2.mul(b, b)));
      }
      num = f64x2.extract_lane(vn, 0) + f64x2.extract_lane(vn, 1);
      den = f64x2.extract_lane(vd, 0) + f64x2.extract_lane(vd, 1);
    }
    for (; t < n; t++) {
      const f = load<f64>(ef + <usize>t * 8), b = load<f64>(eb + <usize>(t - 1) * 8);
      num += f * b;
      den += f * f + b * b;
    }
    if (!(den > 0)) break;
    const k = 2.0 * num / den;
    xms *= 1.0 - k * k;
    // Levinson step: a_i[j] = a_{i−1}[j] − k·a_{i−1}[i−j], a_i[i] = k.
    memory.copy(prev, a, <usize>(i - 1) * 8);
    for (let j = 1; j < i; j++) {
      store<f64>(a + <usize>(j - 1) * 8, load<f64>(prev + <usize>(j - 1) * 8) - k * load<f64>(prev + <usize>(i - j - 1) * 8));
    }
    store<f64>(a + <usize>(i - 1) * 8, k);
    if (i == m) break;
    // Errors of order i, in place; descending t reads b[t−1] before this stage overwrites it.
    for (let s = n - 1; s >= i; s--) {
      const f = load<f64>(ef + <usize>s * 8), b = load<f64>(eb + <usize>(s - 1) * 8);
      store<f64>(ef + <usize>s * 8, f - k * b);
      store<f64>(eb + <usize>s * 8, b - k * f);
    }
  }
  return xms;
}

/** Scratch bytes `burg` needs for n samples and order m. */
export function burgWorkBytes(n: i32, m: i32): i32 {
  return (2 * n + m) * 8 + 16;
}

// ---- polynomial roots ---------------------------------------------------------------------------

const MAX_ABERTH: i32 = 500;
const MAX_POLISH: i32 = 80;

/**
 * All deg complex roots of c[0] + c[1]·z + … + c[deg]·z^deg (c [deg+1] f64, c[deg] ≠ 0, deg ≥ 1)
 * into z [deg][2] f64 (re, im), in no particular order. Aberth–Ehrlich from a circle of radius
 * (|c0/c_deg|)^(1/deg) (rotated off the real axis), until every step is below 1e-14 relative,
 * then Newton steps on each root while |p| keeps decreasing. Returns the Aberth iterations used,
 * or −1 when they did not converge (the roots are then the last iterates, polished).
 * Does not allocate.
 */
export function polyRoots(c: usize, deg: i32, z: usize): i32 {
  const lead = load<f64>(c + <usize>deg * 8);
  const c0 = Math.abs(load<f64>(c));
  let radius = c0 > 0 ? Math.pow(c0 / Math.abs(lead), 1.0 / <f64>deg) : 1.0;
  if (!(radius > 0) || !isFinite(radius)) radius = 1.0;
  for (let k = 0; k < deg; k++) {
    const angle = 2.0 * Math.PI * <f64>k / <f64>deg + 0.4;
    store<f64>(z + <usize>k * 16, radius * Math.cos(angle));
    store<f64>(z + <usize>k * 16 + 8, radius * Math.sin(angle));
  }
  let iterations = -1;
  for (let iter = 1; iter <= MAX_ABERTH; iter++) {
    let worst: f64 = 0;
    for (let k = 0; k < deg; k++) {
      const zr = load<f64>(z + <usize>k * 16), zi = load<f64>(z + <usize>k * 16 + 8);
      hornerDeriv(c, deg, zr, zi);
      if (pre_ == 0 && pim_ == 0) continue; // exactly on a root
      const pr = pre_, pi = pim_, dr = dre_, di = dim_;
      // Newton ratio N = p / p'.
      let nr: f64, ni: f64;
      if (dr == 0 && di == 0) { nr = pr; ni = pi; } else { cdiv(pr, pi, dr, di); nr = cre; ni = cim; }
      // S = Σ_{j≠k} 1 / (z_k − z_j).
      let sr: f64 = 0, si: f64 = 0;
      for (let j = 0; j < deg; j++) {
        if (j == k) continue;
        const ar = zr - load<f64>(z + <usize>j * 16), ai = zi - load<f64>(z + <usize>j * 16 + 8);
        const q = ar * ar + ai * ai;
        if (q == 0) continue;
        sr += ar / q;
        si -= ai / q;
      }
      // w = N / (1 − N·S).
      const br = 1.0 - (nr * sr - ni * si), bi = -(nr * si + ni * sr);
      cdiv(nr, ni, br, bi);
      const wr = cre, wi = cim;
      if (!isFinite(wr) || !isFinite(wi)) continue;
      const newr = zr - wr, newi = zi - wi;
      store<f64>(z + <usize>k * 16, newr);
      store<f64>(z + <usize>k * 16 + 8, newi);
      const rel = Math.sqrt(wr * wr + wi * wi) / max(1.0, Math.sqrt(newr * newr + newi * newi));
      if (rel > worst) worst = rel;
    }
    if (worst <= 1e-14) {
      iterations = iter;
      break;
    }
  }
  // Newton polish, keeping the best iterate.
  for (let k = 0; k < deg; k++) {
    let zr = load<f64>(z + <usize>k * 16), zi = load<f64>(z + <usize>k * 16 + 8);
    let bestR = zr, bestI = zi, bestAbs: f64 = Infinity;
    for (let it = 0; it < MAX_POLISH; it++) {
      hornerDeriv(c, deg, zr, zi);
      const a = Math.sqrt(pre_ * pre_ + pim_ * pim_);
      if (!(a < bestAbs)) break;
      bestAbs = a; bestR = zr; bestI = zi;
      if (a == 0 || (dre_ == 0 && dim_ == 0)) break;
      cdiv(pre_, pim_, dre_, dim_);
      zr -= cre;
      zi -= cim;
    }
    store<f64>(z + <usize>k * 16, bestR);
    store<f64>(z + <usize>k * 16 + 8, bestI);
  }
  return iterations;
}

// ---- formant frames -----------------------------------------------------------------------------

/** Scratch bytes `formantFrames` needs for frames of nWindow samples and an order-m predictor. */
export function formantWorkBytes(nWindow: i32, m: i32): i32 {
  return (nWindow + burgWorkBytes(nWindow, m) / 8 + 1 + m + (m + 1) + 2 * m + 2 * m) * 8 + 64;
}

/**
 * Formant tracks of x [n] f32 (already resampled so that sr/2 is the highest formant sought), frames
 * centred at t1 + f·dt (seconds; sample i sits at x1 + i·dx), each nWindow samples (fewer at the
 * signal's ends) under `window` [nWindow] f64, pre-emphasised by `preEmphasis` (the coefficient a,
 * 0 for none), order-m Burg. Writes, per frame f:
 *   count [nFrames] i32            number of formants found (≤ maxFormants)
 *   freq, bw [nFrames][maxFormants] f64   frequencies and bandwidths in Hz, ascending by frequency;
 *                                   slots past count are left untouched.
 * Roots are kept when safetyMargin ≤ F ≤ sr/2 − safetyMargin. A frame of zeros has no formants.
 * Returns the number of frames whose root finder did not converge.
 * work: formantWorkBytes(nWindow, m) bytes. Does not allocate.
 */
export function formantFrames(
  x: usize, n: i32, dx: f64, x1: f64, t1: f64, dt: f64, nFrames: i32, nWindow: i32, m: i32,
  preEmphasis: f64, safetyMargin: f64, maxFormants: i32, window: usize,
  freq: usize, bw: usize, count: usize, work: usize
): i32 {
  const half = nWindow / 2;
  const nyquist = 0.5 / dx;
  const frame = (work + 15) & ~<usize>15;
  const bwork = frame + <usize>nWindow * 8;
  const a = bwork + <usize>(burgWorkBytes(nWindow, m) & ~15);
  const poly = a + <usize>m * 8;
  const roots = poly + <usize>(m + 1) * 8;
  const found = roots + <usize>m * 16; // [m][2] (F, B) before sorting
  let failures = 0;
  for (let f = 0; f < nFrames; f++) {
    store<i32>(count + <usize>f * 4, 0);
    const t = t1 + <f64>f * dt;
    const left1 = <i32>Math.floor((t - x1) / dx + 1.0); // 1-based, as Praat indexes samples
    let start1 = left1 + 1 - half, end1 = left1 + half;
    if (start1 < 1) start1 = 1;
    if (end1 > n) end1 = n;
    if (end1 < start1) continue;
    let peak: f64 = 0;
    for (let i1 = start1; i1 <= end1; i1++) {
      const v = emphasised(x, i1 - 1, preEmphasis);
      if (v * v > peak) peak = v * v;
    }
    if (peak == 0) continue; // Burg cannot fit all zeros
    const len = end1 - start1 + 1;
    for (let j = 0; j < len; j++) {
      store<f64>(frame + <usize>j * 8, emphasised(x, start1 - 1 + j, preEmphasis) * load<f64>(window + <usize>j * 8));
    }
    burg(frame, len, m, a, bwork);
    // z^m − a_1 z^(m−1) − … − a_m, ascending: c[k] = −a_(m−k), c[m] = 1.
    for (let k = 0; k < m; k++) store<f64>(poly + <usize>k * 8, -load<f64>(a + <usize>(m - 1 - k) * 8));
    store<f64>(poly + <usize>m * 8, 1.0);
    if (polyRoots(poly, m, roots) < 0) failures++;
    let nf = 0;
    for (let k = 0; k < m; k++) {
      let zr = load<f64>(roots + <usize>k * 16), zi = load<f64>(roots + <usize>k * 16 + 8);
      let r2 = zr * zr + zi * zi;
      if (r2 > 1.0) {
        // Reflect into the unit circle: 1 / conj(z) = z / |z|².
        zr /= r2;
        zi /= r2;
        r2 = 1.0 / r2;
      }
      if (zi < 0) continue; // one of each conjugate pair
      const F = Math.abs(Math.atan2(zi, zr)) * nyquist / Math.PI;
      if (F >= safetyMargin && F <= nyquist - safetyMargin) {
        store<f64>(found + <usize>nf * 16, F);
        store<f64>(found + <usize>nf * 16 + 8, -Math.log(r2) * nyquist / Math.PI);
        nf++;
      }
    }
    // Insertion sort by frequency.
    for (let i = 1; i < nf; i++) {
      const F = load<f64>(found + <usize>i * 16), B = load<f64>(found + <usize>i * 16 + 8);
      let j = i - 1;
      while (j >= 0 && load<f64>(found + <usize>j * 16) > F) {
        store<f64>(found + <usize>(j + 1) * 16, load<f64>(found + <usize>j * 16));
        store<f64>(found + <usize>(j + 1) * 16 + 8, load<f64>(found + <usize>j * 16 + 8));
        j--;
      }
      store<f64>(found + <usize>(j + 1) * 16, F);
      store<f64>(found + <usize>(j + 1) * 16 + 8, B);
    }
    const keep = min(nf, maxFormants);
    const row = <usize>f * maxFormants * 8;
    for (let i = 0; i < keep; i++) {
      store<f64>(freq + row + <usize>i * 8, load<f64>(found + <usize>i * 16));
      store<f64>(bw + row + <usize>i * 8, load<f64>(found + <usize>i * 16 + 8));
    }
    store<i32>(count + <usize>f * 4, keep);
  }
  return failures;
}

/** Pre-emphasised sample i (0-based): x[i] − a·x[i−1], and x[0] itself. */
// @ts-ignore: decorator
@inline function emphasised(x: usize, i: i32, a: f64): f64 {
  const v = <f64>load<f32>(x + <usize>i * 4);
  return i > 0 ? v - a * <f64>load<f32>(x + <usize>(i - 1) * 4) : v;
}
