// STFT framing and the fused spectrogram path.
//
// The signal is padded once (center=True: nFft/2 samples each side), then frames are gathered
// LANES at a time (4 in the SIMD build) into a lane-interleaved buffer, windowed, transformed by
// the FFT in fft.ts, turned into power, and — in the fused path — projected onto the mel basis and
// converted to dB while still interleaved, so one pass over the data produces log-mel frames.
// Outputs are frame-major ([frame][bin] or [frame][mel]), the project's boundary layout.

import { lanes, storeLane, storeTransposed4, hmax, vmax, splat } from "../simd";
import { cfftLanes, realSplitLanes, oddSpectrumLanes, rfft } from "./fft";
import { melLanes, melOneFrame } from "./mel";
import { dbLanes } from "./db";
import { PAD_REFLECT, PAD_EDGE } from "../abi";

/**
 * out [n + 2·pad] f32 = y [n] padded by `pad` samples on both sides (modes: PAD_* in abi.ts):
 * PAD_CONSTANT zeros, PAD_REFLECT (numpy 'reflect', repeated for pads longer than the signal),
 * PAD_EDGE (repeat the end samples).
 * n ≥ 1. Does not allocate.
 */
export function padSignal(y: usize, n: i32, pad: i32, mode: i32, out: usize): void {
  memory.copy(out + <usize>pad * 4, y, <usize>n * 4);
  const period = 2 * (n - 1);
  for (let i = 0; i < pad; i++) {
    let lo: f32 = 0, hi: f32 = 0;
    if (mode == PAD_EDGE || (mode == PAD_REFLECT && n == 1)) {
      lo = load<f32>(y);
      hi = load<f32>(y + <usize>(n - 1) * 4);
    } else if (mode == PAD_REFLECT) {
      lo = load<f32>(y + <usize>reflectIndex(-pad + i, n, period) * 4);
      hi = load<f32>(y + <usize>reflectIndex(n + i, n, period) * 4);
    }
    store<f32>(out + <usize>i * 4, lo);
    store<f32>(out + <usize>(pad + n + i) * 4, hi);
  }
}

// @ts-ignore: decorator
@inline function reflectIndex(j: i32, n: i32, period: i32): i32 {
  let r = j % period;
  if (r < 0) r += period;
  return r >= n ? period - r : r;
}

/**
 * Gathers LANES frames starting at frame t0 (clamped to the last frame, whose duplicate lanes are
 * discarded by the caller) from the padded signal, multiplied by window [nFft], into x
 * [nFft][LANES] (odd nFft: complex slots [nFft][2][LANES] with zero imaginary parts).
 */
function gather<T>(padded: usize, t0: i32, nFrames: i32, hop: i32, nFft: i32, window: usize, odd: i32, x: usize): void {
  const step: usize = odd ? 2 * sizeof<T>() : sizeof<T>();
  if (isVector<T>()) {
    const f0 = padded + <usize>(min(t0, nFrames - 1) * hop) * 4;
    const f1 = padded + <usize>(min(t0 + 1, nFrames - 1) * hop) * 4;
    const f2 = padded + <usize>(min(t0 + 2, nFrames - 1) * hop) * 4;
    const f3 = padded + <usize>(min(t0 + 3, nFrames - 1) * hop) * 4;
    let i = 0;
    // Window four consecutive samples of each frame at once, then transpose them into lanes.
    for (; i + 4 <= nFft; i += 4) {
      const o: usize = <usize>i * 4;
      const w = v128.load(window + o);
      const p = x + <usize>i * step;
      storeTransposed4(
        f32x4.mul(v128.load(f0 + o), w), f32x4.mul(v128.load(f1 + o), w),
        f32x4.mul(v128.load(f2 + o), w), f32x4.mul(v128.load(f3 + o), w),
        p, p + step, p + 2 * step, p + 3 * step);
    }
    for (; i < nFft; i++) {
      const o: usize = <usize>i * 4;
      let v = f32x4.splat(load<f32>(f0 + o));
      v = f32x4.replace_lane(v, 1, load<f32>(f1 + o));
      v = f32x4.replace_lane(v, 2, load<f32>(f2 + o));
      v = f32x4.replace_lane(v, 3, load<f32>(f3 + o));
      v128.store(x + <usize>i * step, f32x4.mul(v, v128.load32_splat(window + o)));
    }
    if (odd) {
      const zero = f32x4.splat(0);
      for (i = 0; i < nFft; i++) v128.store(x + <usize>i * step + 16, zero);
    }
  } else {
    const f = padded + <usize>(t0 * hop) * 4;
    for (let i = 0; i < nFft; i++) {
      store<f32>(x + <usize>i * step, load<f32>(f + <usize>i * 4) * load<f32>(window + <usize>i * 4));
      if (odd) store<f32>(x + <usize>i * step, 0, 4);
    }
  }
}

/**
 * Writes lane-interleaved values src [width][LANES] as frame-major rows out[t0 + f][0..width) for
 * the first `valid` lanes.
 */
function storeFrames<T>(src: usize, width: i32, out: usize, t0: i32, valid: i32): void {
  const S = sizeof<T>();
  let k = 0;
  if (isVector<T>()) {
    if (valid == 4) {
      const row: usize = <usize>width * 4;
      const o0 = out + <usize>t0 * row;
      for (; k + 4 <= width; k += 4) {
        const s = src + <usize>k * 16;
        const o = o0 + <usize>k * 4;
        storeTransposed4(v128.load(s), v128.load(s + 16), v128.load(s + 32), v128.load(s + 48), o, o + row, o + 2 * row, o + 3 * row);
      }
    }
  }
  for (; k < width; k++) {
    const v = load<T>(src + <usize>k * S);
    for (let f = 0; f < valid; f++) storeLane<T>(out + (<usize>(t0 + f) * width + k) * 4, v, f);
  }
}

function spectrogramLanes<T>(
  fft: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32, window: usize,
  power: i32, amin: f32, work: usize, out: usize
): f32 {
  const L = lanes<T>();
  const n = load<i32>(fft), m = load<i32>(fft, 4), odd = load<i32>(fft, 8);
  const nBins = (n >> 1) + 1;
  const S = sizeof<T>();
  const a = work, b = work + <usize>m * 2 * S;
  const pow = b + <usize>m * 2 * S;       // [nBins] T
  const melOut = pow + <usize>nBins * 2 * S;  // [nMels] T
  const doLog = amin > 0;
  const am = splat<T>(amin), zero = splat<T>(0);
  let best = splat<T>(-Infinity);
  for (let t0 = 0; t0 < nFrames; t0 += L) {
    gather<T>(padded, t0, nFrames, hop, n, window, odd, a);
    const z = cfftLanes<T>(fft, a, b);
    if (odd) oddSpectrumLanes<T>(fft, z, pow, power);
    else realSplitLanes<T>(fft, z, pow, power);
    const valid = min(L, nFrames - t0);
    if (mel == 0) {
      storeFrames<T>(pow, power == 0 ? 2 * nBins : nBins, out, t0, valid); // power 0: (re, im) pairs
      continue;
    }
    melLanes<T>(mel, nMels, pow, melOut);
    if (doLog) {
      for (let j = 0; j < nMels; j++) {
        const p = melOut + <usize>j * S;
        const v = dbLanes<T>(load<T>(p), am, zero);
        store<T>(p, v);
        best = vmax<T>(best, v);
      }
    }
    storeFrames<T>(melOut, nMels, out, t0, valid);
  }
  return hmax<T>(best);
}

/**
 * Spectrogram of a padded signal, frame-major.
 *   mel == 0: out [nFrames][nFft/2+1] = |X|^power (power 1 or 2), or the complex X as
 *             [nFrames][nFft/2+1][2] (re, im) when power is 0.
 *   mel != 0: out [nFrames][nMels]   = mel basis · |X|^power, and when amin > 0 also
 *             10·log10(max(amin, ·)) (no ref, no top-db: the caller finishes power_to_db).
 * padded: [(nFrames−1)·hop + nFft] f32 (see padSignal); window: [nFft] f32;
 * work: spectrogramWorkBytes(nFft, nMels) bytes. Returns the largest dB value written (−Inf if no
 * log). Does not allocate.
 */
export function spectrogram(
  fft: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32, window: usize,
  power: i32, amin: f32, work: usize, out: usize
): f32 {
  if (ASC_FEATURE_SIMD) {
    // With a lane split in the plan, every frame takes the single transform (itself SIMD): a
    // frame's arithmetic is then the same however frames are grouped, so a stream that computes
    // one frame at a time gives batch's result exactly, and a lone frame costs one transform, not
    // a group of four with three lanes wasted. (Groups of four on v128 lanes are ~20 % faster per
    // frame in bulk; that is the price of the equality.)
    const rest = load<i32>(fft, 24) != 0 ? nFrames : 0;
    const full = nFrames - rest;
    let best: f32 = -Infinity;
    if (full > 0) best = spectrogramLanes<v128>(fft, mel, nMels, padded, full, hop, window, power, amin, work, out);
    if (rest > 0) {
      const n = load<i32>(fft), nBins = (n >> 1) + 1;
      const width = mel ? nMels : power == 0 ? 2 * nBins : nBins;
      best = max(best, spectrogramSingle(fft, mel, nMels, padded + <usize>(full * hop) * 4, rest, hop, window, power, amin, work,
        out + <usize>full * <usize>width * 4));
    }
    return best;
  }
  return spectrogramLanes<f32>(fft, mel, nMels, padded, nFrames, hop, window, power, amin, work, out);
}

/**
 * spectrogram for a few frames, one transform at a time (rfft: the lane split in the SIMD build).
 * Same arguments; work: spectrogramWorkBytes(nFft, nMels) of the SIMD build is more than enough
 * (x [n], rfft's 4·n, power [2·nBins], all f32).
 */
function spectrogramSingle(
  fft: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32, window: usize,
  power: i32, amin: f32, work: usize, out: usize
): f32 {
  const n = load<i32>(fft), nBins = (n >> 1) + 1;
  const x = work, w = x + <usize>n * 4, pow = w + <usize>n * 16;
  const width = mel ? nMels : power == 0 ? 2 * nBins : nBins;
  const doLog = amin > 0;
  let best: f32 = -Infinity;
  for (let t = 0; t < nFrames; t++) {
    const f = padded + <usize>(t * hop) * 4;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * 4;
      v128.store(x + o, f32x4.mul(v128.load(f + o), v128.load(window + o)));
    }
    for (; i < n; i++) store<f32>(x + <usize>i * 4, load<f32>(f + <usize>i * 4) * load<f32>(window + <usize>i * 4));
    const row = out + <usize>t * <usize>width * 4;
    if (mel == 0) {
      rfft(fft, x, row, w, power);
      continue;
    }
    rfft(fft, x, pow, w, power);
    melOneFrame(mel, nMels, pow, row);
    if (!doLog) continue;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const am = f32x4.splat(amin), zero = f32x4.splat(0);
      let top = f32x4.splat(-Infinity);
      for (; j + 4 <= nMels; j += 4) {
        const v = dbLanes<v128>(v128.load(row + <usize>j * 4), am, zero);
        top = f32x4.max(top, v);
        v128.store(row + <usize>j * 4, v);
      }
      best = max(best, max(max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)), max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3))));
    }
    for (; j < nMels; j++) {
      const v = dbLanes<f32>(load<f32>(row + <usize>j * 4), amin, 0);
      best = max(best, v);
      store<f32>(row + <usize>j * 4, v);
    }
  }
  return best;
}

/** Scratch bytes `spectrogram` needs for an nFft-point transform and nMels bands. */
export function spectrogramWorkBytes(nFft: i32, nMels: i32): i32 {
  const L = ASC_FEATURE_SIMD ? 4 : 1;
  const m = nFft & 1 ? nFft : nFft >> 1;
  return (16 * m + 4 * (2 * ((nFft >> 1) + 1) + nMels) + 16) * L;
}

/**
 * Reference path for the specs (not an export of index.ts): the same spectrogram on the scalar
 * lane type in any build. On the scalar build it is `spectrogram` itself.
 */
export function spectrogramScalar(
  fft: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32, window: usize,
  power: i32, amin: f32, work: usize, out: usize
): f32 {
  return spectrogramLanes<f32>(fft, mel, nMels, padded, nFrames, hop, window, power, amin, work, out);
}

