// Autocorrelation pitch, as Praat's "Sound: To Pitch (ac)..." measures it (Boersma 1993, "Accurate
// short-term analysis of the fundamental frequency and the harmonics-to-noise ratio of a sampled
// sound"), re-derived from the paper and Praat 6.3's documented behaviour:
//
//  1. Per frame: subtract the local mean (one longest period, 1/floor, each side), window the
//     nWindow samples (Hanning over 3 periods of the floor, or Gaussian over 6), and measure the local
//     peak |x| within half a longest period of the centre; intensity = local peak / global peak.
//  2. r(τ) = autocorrelation of the windowed frame / (r(0) · autocorrelation of the window): the
//     window's own taper is divided out, so a periodic signal gives r(T0) ≈ 1.
//  3. Candidates: local maxima of r above voicingThreshold/2 at lags 2 .. min(maximumLag, B) − 1;
//     frequency from a parabola through three lags, strength from sinc interpolation (depth 30),
//     strengths above 1 (short-window artefacts) reflected to 1/r. When more maxima than slots,
//     the weakest by strength − octaveCost·log2(floor/F) gives way. Then every candidate is refined to
//     the maximum of the sinc-interpolated r (Brent's method, depth 70 or 700).
//  4. Path (pitchPath): Viterbi over candidates plus the always-present unvoiced one, scoring
//     voiced candidates strength − octaveCost·log2(ceiling/F), the unvoiced one
//     voicingThreshold + max(0, 2 − intensity/(silenceThreshold/(1 + voicingThreshold))), and
//     transitions octaveJumpCost·|log2(F1/F2)| between voiced frames, voicedUnvoicedCost on a
//     voicing change (both costs × 0.01 s / dt, so they do not depend on the time step).
//
// The autocorrelation is direct (not FFT) in f64: frames are short (640 samples at 16 kHz, 75 Hz)
// and only lags up to half the window are used, so it costs ~1e5 multiply-adds per frame, in f64x2
// lanes on the SIMD build. Samples come in as f32; everything after is f64, as in Praat.

import { gaussianWindow } from "./lpc";

// ---- autocorrelation ----------------------------------------------------------------------------

/**
 * r [maxLag+1] f64: r[k] = Σ_{i=0}^{n−1−k} x[i]·x[i+k] for x [n] f64 (0 for k ≥ n).
 * f64x2 main loop + scalar tail on the SIMD build. Does not allocate.
 */
export function autocorrelation(x: usize, n: i32, maxLag: i32, r: usize): void {
  for (let k = 0; k <= maxLag; k++) {
    const len = n - k;
    let s: f64 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      const y = x + <usize>k * 8;
      for (; i + 4 <= len; i += 4) {
        const o = <usize>i * 8;
        a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o + 16), v128.load(y + o + 16)));
      }
      const a = f64x2.add(a0, a1);
      s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    }
    for (; i < len; i++) s += load<f64>(x + <usize>i * 8) * load<f64>(x + <usize>(i + k) * 8);
    store<f64>(r + <usize>k * 8, len > 0 ? s : 0);
  }
}

// ---- sinc interpolation and its maximum ---------------------------------------------------------

/**
 * Σ over `count` samples from index `start` stepping by `step` (±1) of y·sinc·raised-cosine window,
 * the first at distance `d0` from x, the window `width` long. sin(π d) flips sign per sample and the
 * window phase π d / width advances by rotation, so the loop has no sin/cos calls.
 */
// @ts-ignore: decorator
@inline function sincSide(y: usize, start: i32, step: i32, count: i32, d0: f64, width: f64): f64 {
  let result: f64 = 0;
  let phase = Math.PI * d0;
  let halfSin = 0.5 * Math.sin(phase);
  let wc = Math.cos(phase / width), ws = Math.sin(phase / width);
  const cs = Math.cos(Math.PI / width), ss = Math.sin(Math.PI / width);
  for (let i = 0, ix = start; i < count; i++, ix += step) {
    result += load<f64>(y + <usize>ix * 8) * (halfSin / phase) * (1.0 + wc);
    phase += Math.PI;
    halfSin = -halfSin;
    const nc = wc * cs - ws * ss;
    ws = ws * cs + wc * ss;
    wc = nc;
  }
  return result;
}

/**
 * y [n] f64 interpolated at fractional index x: a sinc under a raised-cosine window reaching `depth`
 * samples to each side (clipped at the array ends; the window on each side falls to zero one sample
 * past the last sample used). Outside [0, n−1] the end value; on a sample the sample; depth 0:
 * nearest, 1: linear, 2: cubic. This is the interpolation Praat uses for autocorrelation peaks.
 * Does not allocate.
 */
export function sincInterpolate(y: usize, n: i32, x: f64, depth: i32): f64 {
  if (n < 1) return NaN;
  if (x < 0) return load<f64>(y);
  if (x > <f64>(n - 1)) return load<f64>(y + <usize>(n - 1) * 8);
  const ml = <i32>Math.floor(x), mr = ml + 1;
  if (x == <f64>ml) return load<f64>(y + <usize>ml * 8);
  depth = min(depth, min(ml + 1, n - 1 - ml));
  const yl = load<f64>(y + <usize>ml * 8), yr = load<f64>(y + <usize>mr * 8);
  if (depth <= 0) return load<f64>(y + <usize>(<i32>Math.floor(x + 0.5)) * 8);
  if (depth == 1) return yl + (x - <f64>ml) * (yr - yl);
  if (depth == 2) {
    // Cubic through yl, yr with central-difference slopes.
    const dyl = 0.5 * (yr - load<f64>(y + <usize>(ml - 1) * 8)), dyr = 0.5 * (load<f64>(y + <usize>(mr + 1) * 8) - yl);
    const fl = x - <f64>ml, fr = <f64>mr - x;
    return yl * fr + yr * fl - fl * fr * (0.5 * (dyr - dyl) + (fl - 0.5) * (dyl + dyr - 2 * (yr - yl)));
  }
  const left = mr - depth, right = ml + depth;
  // Left half: samples ml down to left at distance x − ix; right half: mr up to right at ix − x.
  return sincSide(y, ml, -1, depth, x - <f64>ml, x - <f64>left + 1.0) +
    sincSide(y, mr, 1, depth, <f64>mr - x, <f64>right - x + 1.0);
}

/** Where the last `sincMaximum` found its maximum (fractional index). */
let argmax: f64 = 0;

/** The fractional index of the last `sincMaximum` call's maximum. */
export function sincMaximumAt(): f64 {
  return argmax;
}

const GOLDEN: f64 = 0.3819660112501051; // (3 − √5) / 2

/**
 * Maximum of sincInterpolate(y, n, ·, depth) near sample i: i itself at the array ends, else the
 * maximum over [i−1, i+1] by Brent's method (golden sections with parabolic steps), relative
 * tolerance 1e-10. Returns the value; sincMaximumAt() gives the index. Does not allocate.
 */
export function sincMaximum(y: usize, n: i32, i: i32, depth: i32): f64 {
  if (i <= 0) { argmax = 0; return load<f64>(y); }
  if (i >= n - 1) { argmax = <f64>(n - 1); return load<f64>(y + <usize>(n - 1) * 8); }
  // Minimise g = −interpolant on [a, b].
  let a = <f64>(i - 1), b = <f64>(i + 1);
  let x = a + GOLDEN * (b - a), w = x, v = x;
  let gx = -sincInterpolate(y, n, x, depth), gw = gx, gv = gx;
  let d: f64 = 0, e: f64 = 0;
  const tol: f64 = 1e-10, tiny: f64 = 1e-20;
  for (let iter = 0; iter < 100; iter++) {
    const xm = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + tiny, tol2 = 2.0 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      // Parabola through (v, gv), (w, gw), (x, gx).
      const r = (x - w) * (gx - gv);
      let q = (x - v) * (gx - gw);
      let p = (x - v) * q - (x - w) * r;
      q = 2.0 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const eOld = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x >= xm ? a - x : b - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const gu = -sincInterpolate(y, n, u, depth);
    if (gu <= gx) {
      if (u >= x) a = x; else b = x;
      v = w; gv = gw;
      w = x; gw = gx;
      x = u; gx = gu;
    } else {
      if (u < x) a = u; else b = u;
      if (gu <= gw || w == x) {
        v = w; gv = gw;
        w = u; gw = gu;
      } else if (gu <= gv || v == x || v == w) {
        v = u; gv = gu;
      }
    }
  }
  argmax = x;
  return -gx;
}

// ---- plan: window and its normalised autocorrelation -------------------------------------------

/** Bytes of a pitch plan for windows of nWindow samples and lags up to maxLag. */
export function pitchPlanBytes(nWindow: i32, maxLag: i32): i32 {
  return ((nWindow + maxLag + 1) * 8 + 15) & ~15;
}

/**
 * Fills a pitch plan: window [nWindow] f64 (gaussian 0: Praat's Hanning 0.5 − 0.5·cos(2πi/(n+1)),
 * i = 1..n; 1: Praat's Gaussian, see gaussianWindow), then windowR [maxLag+1] f64, the window's
 * autocorrelation normalised to windowR[0] = 1. nWindow even. Does not allocate.
 */
export function pitchPlanInit(nWindow: i32, gaussian: i32, maxLag: i32, plan: usize): void {
  if (gaussian) gaussianWindow(nWindow, plan);
  else {
    for (let i = 1; i <= nWindow; i++) {
      store<f64>(plan + <usize>(i - 1) * 8, 0.5 - 0.5 * Math.cos(<f64>i * 2.0 * Math.PI / <f64>(nWindow + 1)));
    }
  }
  const wr = plan + <usize>nWindow * 8;
  autocorrelation(plan, nWindow, maxLag, wr);
  const r0 = load<f64>(wr);
  for (let k = 1; k <= maxLag; k++) store<f64>(wr + <usize>k * 8, load<f64>(wr + <usize>k * 8) / r0);
  store<f64>(wr, 1.0);
}

// ---- frames -------------------------------------------------------------------------------------

/** Scratch bytes `pitchFrames` needs. */
export function pitchWorkBytes(nWindow: i32, maxLag: i32, maxCandidates: i32): i32 {
  return (nWindow + 2 * maxLag + 2) * 8 + maxCandidates * 4 + 32;
}

/**
 * Pitch candidates of y [n] f32 (sample i at time x1 + i·dx) in nFrames frames centred at t1 + f·dt:
 *   freq, strength [nFrames][maxCandidates] f64   candidate 0 is the unvoiced one (0 Hz, strength 0);
 *   nCand [nFrames] i32                          candidates used (1 .. maxCandidates);
 *   intensity [nFrames] f64                       local peak / global peak, in [0, 1].
 * plan: pitchPlanInit(nWindow, ·, B); B = maxLag of the plan (the lags kept for interpolation, half
 * the window for Hanning); maximumLag bounds the lags searched for maxima; nPeriod = samples in the
 * longest period (floor(sr/floor)); depth = sinc depth of the refinement (70; 700 for the Gaussian
 * window and above 0.3·sr). Returns the global peak (max |y − mean(y)|); when it is 0 every frame is
 * unvoiced. work: pitchWorkBytes(nWindow, B, maxCandidates). Does not allocate.
 */
export function pitchFrames(
  y: usize, n: i32, dx: f64, x1: f64, t1: f64, dt: f64, nFrames: i32,
  plan: usize, nWindow: i32, B: i32, maximumLag: i32, nPeriod: i32,
  maxCandidates: i32, floor: f64, voicingThreshold: f64, octaveCost: f64, depth: i32,
  freq: usize, strength: usize, nCand: usize, intensity: usize, work: usize
): f64 {
  // Global peak about the mean.
  let mean: f64 = 0;
  for (let i = 0; i < n; i++) mean += <f64>load<f32>(y + <usize>i * 4);
  mean /= <f64>n;
  let globalPeak: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(<f64>load<f32>(y + <usize>i * 4) - mean);
    if (v > globalPeak) globalPeak = v;
  }
  for (let f = 0; f < nFrames; f++) {
    store<i32>(nCand + <usize>f * 4, 1);
    store<f64>(freq + <usize>f * maxCandidates * 8, 0);
    store<f64>(strength + <usize>f * maxCandidates * 8, 0);
    store<f64>(intensity + <usize>f * 8, 0);
  }
  if (globalPeak == 0) return 0;

  const window = plan, windowR = plan + <usize>nWindow * 8;
  const frame = (work + 15) & ~<usize>15;
  const rbuf = frame + <usize>nWindow * 8;   // [2B+1]: index B + k holds lag k, both signs
  const rLen = 2 * B + 1;
  const imax = rbuf + <usize>rLen * 8 + 8;   // [maxCandidates] i32: lag of each candidate's maximum
  const half = nWindow / 2;
  const halfPeriod = nPeriod / 2 + 1;
  const rate = 1.0 / dx;
  for (let f = 0; f < nFrames; f++) {
    const t = t1 + <f64>f * dt;
    const left1 = <i32>Math.floor((t - x1) / dx + 1.0); // 1-based, as Praat indexes samples
    // Local mean over one longest period each side: samples left1+1−nPeriod .. left1+nPeriod.
    let s: f64 = 0;
    for (let i1 = left1 + 1 - nPeriod; i1 <= left1 + nPeriod; i1++) s += sample(y, n, i1 - 1);
    const localMean = s / <f64>(2 * nPeriod);
    // Windowed frame: samples left1+1−half .. left1+half.
    const first = left1 - half; // 0-based index of the frame's first sample
    for (let j = 0; j < nWindow; j++) {
      const i = first + j;
      const v = i >= 0 && i < n ? <f64>load<f32>(y + <usize>i * 4) - localMean : 0.0;
      store<f64>(frame + <usize>j * 8, v * load<f64>(window + <usize>j * 8));
    }
    // Local peak within half a longest period of the centre.
    const p0 = max(half - halfPeriod, 0), p1 = min(half + halfPeriod - 1, nWindow - 1);
    let localPeak: f64 = 0;
    for (let j = p0; j <= p1; j++) {
      const v = Math.abs(load<f64>(frame + <usize>j * 8));
      if (v > localPeak) localPeak = v;
    }
    store<f64>(intensity + <usize>f * 8, localPeak > globalPeak ? 1.0 : localPeak / globalPeak);
    if (localPeak == 0) continue; // silence is unvoiced

    // Normalised autocorrelation, mirrored to negative lags for interpolation near lag 0.
    const r = rbuf + <usize>B * 8;
    autocorrelation(frame, nWindow, B, r);
    const r0 = load<f64>(r);
    for (let k = 1; k <= B; k++) {
      const v = load<f64>(r + <usize>k * 8) / (r0 * load<f64>(windowR + <usize>k * 8));
      store<f64>(r + <usize>k * 8, v);
      store<f64>(r - <usize>k * 8, v);
    }
    store<f64>(r, 1.0);

    const F = freq + <usize>f * maxCandidates * 8, S = strength + <usize>f * maxCandidates * 8;
    let count = 1;
    for (let i = 2; i < maximumLag && i < B; i++) {
      const ri = load<f64>(r + <usize>i * 8), rl = load<f64>(r + <usize>(i - 1) * 8), rr = load<f64>(r + <usize>(i + 1) * 8);
      if (!(ri > 0.5 * voicingThreshold && ri > rl && ri >= rr)) continue;
      const dr = 0.5 * (rr - rl), d2r = 2.0 * ri - rl - rr;
      const fMax = rate / (<f64>i + dr / d2r);
      let sMax = sincInterpolate(rbuf, rLen, rate / fMax + <f64>B, 30);
      if (sMax > 1.0) sMax = 1.0 / sMax;
      let place = -1;
      if (count < maxCandidates) {
        place = count++;
      } else {
        // Replace the weakest, favouring high frequencies by the octave cost.
        let weakest: f64 = 2;
        for (let c = 1; c < maxCandidates; c++) {
          const local = load<f64>(S + <usize>c * 8) - octaveCost * Math.log2(floor / load<f64>(F + <usize>c * 8));
          if (local < weakest) { weakest = local; place = c; }
        }
        if (sMax - octaveCost * Math.log2(floor / fMax) <= weakest) place = -1;
      }
      if (place >= 0) {
        store<f64>(F + <usize>place * 8, fMax);
        store<f64>(S + <usize>place * 8, sMax);
        store<i32>(imax + <usize>place * 4, i);
      }
    }
    // Refine each candidate to the maximum of the sinc-interpolated autocorrelation.
    for (let c = 1; c < count; c++) {
      const d = load<f64>(F + <usize>c * 8) > 0.3 * rate ? 700 : depth;
      let yMax = sincMaximum(rbuf, rLen, load<i32>(imax + <usize>c * 4) + B, d);
      store<f64>(F + <usize>c * 8, rate / (argmax - <f64>B));
      if (yMax > 1.0) yMax = 1.0 / yMax;
      store<f64>(S + <usize>c * 8, yMax);
    }
    store<i32>(nCand + <usize>f * 4, count);
  }
  return globalPeak;
}

/** Sample i of y as f64, 0 outside [0, n). */
// @ts-ignore: decorator
@inline function sample(y: usize, n: i32, i: i32): f64 {
  return i >= 0 && i < n ? <f64>load<f32>(y + <usize>i * 4) : 0.0;
}

// ---- path ---------------------------------------------------------------------------------------

/**
 * Viterbi path through the candidates of pitchFrames: f0 [nFrames] f64 = the chosen candidate's
 * frequency, 0 when the chosen one is unvoiced (0 Hz or ≥ ceiling). Costs as in the file header;
 * ties keep the lower candidate index. delta [nFrames][maxCandidates] f64 and
 * psi [nFrames][maxCandidates] i32 are scratch. Does not allocate.
 */
export function pitchPath(
  freq: usize, strength: usize, nCand: usize, intensity: usize, nFrames: i32, maxCandidates: i32,
  silenceThreshold: f64, voicingThreshold: f64, octaveCost: f64, octaveJumpCost: f64,
  voicedUnvoicedCost: f64, ceiling: f64, dt: f64, delta: usize, psi: usize, f0: usize
): void {
  if (nFrames < 1) return;
  const perStep = 0.01 / dt;
  const jumpCost = octaveJumpCost * perStep, vuCost = voicedUnvoicedCost * perStep;
  const M = <usize>maxCandidates;
  for (let f = 0; f < nFrames; f++) {
    let unvoiced = silenceThreshold <= 0 ? 0.0
      : 2.0 - load<f64>(intensity + <usize>f * 8) / (silenceThreshold / (1.0 + voicingThreshold));
    unvoiced = voicingThreshold + max(0.0, unvoiced);
    const nc = load<i32>(nCand + <usize>f * 4);
    for (let c = 0; c < nc; c++) {
      const o = (<usize>f * M + c) * 8;
      const F = load<f64>(freq + o);
      store<f64>(delta + o, isVoiced(F, ceiling)
        ? load<f64>(strength + o) - octaveCost * Math.log2(ceiling / F)
        : unvoiced);
    }
  }
  for (let f = 1; f < nFrames; f++) {
    const prev = <usize>(f - 1) * M, cur = <usize>f * M;
    const np = load<i32>(nCand + <usize>(f - 1) * 4), nc = load<i32>(nCand + <usize>f * 4);
    for (let c2 = 0; c2 < nc; c2++) {
      const f2 = load<f64>(freq + (cur + c2) * 8);
      const v2 = isVoiced(f2, ceiling);
      const here = load<f64>(delta + (cur + c2) * 8);
      let best: f64 = -1e30;
      let place = 0;
      for (let c1 = 0; c1 < np; c1++) {
        const f1 = load<f64>(freq + (prev + c1) * 8);
        const v1 = isVoiced(f1, ceiling);
        const cost = v1 && v2 ? jumpCost * Math.abs(Math.log2(f1 / f2)) : v1 != v2 ? vuCost : 0.0;
        const value = load<f64>(delta + (prev + c1) * 8) - cost + here;
        if (value > best) { best = value; place = c1; }
      }
      store<f64>(delta + (cur + c2) * 8, best);
      store<i32>(psi + (cur + c2) * 4, place);
    }
  }
  const last = <usize>(nFrames - 1) * M;
  let place = 0;
  let best = load<f64>(delta + last * 8);
  const nl = load<i32>(nCand + <usize>(nFrames - 1) * 4);
  for (let c = 1; c < nl; c++) {
    const v = load<f64>(delta + (last + c) * 8);
    if (v > best) { best = v; place = c; }
  }
  for (let f = nFrames - 1; f >= 0; f--) {
    const F = load<f64>(freq + (<usize>f * M + place) * 8);
    store<f64>(f0 + <usize>f * 8, isVoiced(F, ceiling) ? F : 0.0);
    if (f > 0) place = load<i32>(psi + (<usize>f * M + place) * 4);
  }
}

// @ts-ignore: decorator
@inline function isVoiced(f: f64, ceiling: f64): bool {
  return f > 0 && f < ceiling;
}
