// Mel filterbank application. librosa's basis is dense [nMels][1 + nFft/2] but each row is a
// triangle a few bins wide, so the plan stores rows sparsely: i32 (firstBin, count) per mel band,
// then the non-zero f32 weights of every row back to back. The bindings build the basis (f64, as
// librosa does) and write it here; a row may be empty (count 0, e.g. HTK at 8 kHz / 240 points).

import { add, mul, splat, loadSplat } from "../simd";

/**
 * out[m] = Σ_k w[m][k]·S[k] for m < nMels, on lanes of T: S is [nBins] T, out is [nMels] T.
 * Does not allocate.
 */
// @ts-ignore: decorator
@inline export function melLanes<T>(mel: usize, nMels: i32, S: usize, out: usize): void {
  let w = mel + <usize>nMels * 8;
  for (let m = 0; m < nMels; m++) {
    const first = load<i32>(mel + <usize>m * 8), count = load<i32>(mel + <usize>m * 8, 4);
    let acc = splat<T>(0);
    let s = S + <usize>first * sizeof<T>();
    for (let k = 0; k < count; k++, w += 4, s += sizeof<T>()) {
      acc = add<T>(acc, mul<T>(loadSplat<T>(w), load<T>(s)));
    }
    store<T>(out + <usize>m * sizeof<T>(), acc);
  }
}

// A plan may carry a second layout for single frames (melGroupInit): bands in groups of four, each
// group's weights over the union of its bins as one f32x4 per bin (zero where a band has none),
// so one frame's four band sums run in the lanes of one vector. Adding 0·S[k] leaves a sum as it
// was, so every band's sum is melLanes<f32>'s, bit for bit. Layout at G (16-aligned, after the
// sparse weights): per group i32 (first bin, width, byte offset of its weights from G, unused),
// then the weights.

/** Where the grouped layout of a plan starts (just after its sparse weights, 16-aligned). */
function groupedBase(mel: usize, nMels: i32): usize {
  let total = 0;
  for (let m = 0; m < nMels; m++) total += load<i32>(mel + <usize>m * 8, 4);
  return (mel + <usize>nMels * 8 + <usize>total * 4 + 15) & ~15;
}

/** Bytes a plan needs in all, sparse part included, once its (first, count) headers are written. */
export function melPlanBytes(mel: usize, nMels: i32): i32 {
  const G = groupedBase(mel, nMels);
  const nG = (nMels + 3) >> 2;
  let bytes = nG * 16;
  for (let g = 0; g < nG; g++) bytes += groupWidth(mel, nMels, g) * 16;
  return <i32>(G - mel) + bytes;
}

/** The union of group g's bins: first bin and width (0 when all four bands are empty). */
function groupSpan(mel: usize, nMels: i32, g: i32): i64 {
  let lo = i32.MAX_VALUE, hi = 0;
  for (let m = g * 4; m < min(nMels, g * 4 + 4); m++) {
    const first = load<i32>(mel + <usize>m * 8), count = load<i32>(mel + <usize>m * 8, 4);
    if (count == 0) continue;
    lo = min(lo, first);
    hi = max(hi, first + count);
  }
  return hi > 0 ? (<i64>lo << 32) | <i64>(hi - lo) : 0;
}

// @ts-ignore: decorator
@inline function groupWidth(mel: usize, nMels: i32, g: i32): i32 {
  return <i32>(groupSpan(mel, nMels, g) & 0xffffffff);
}

/** Writes the grouped layout of a plan whose sparse part is in place (melPlanBytes bytes at mel). */
export function melGroupInit(mel: usize, nMels: i32): void {
  const G = groupedBase(mel, nMels);
  const nG = (nMels + 3) >> 2;
  let off = nG * 16;
  for (let g = 0; g < nG; g++) {
    const span = groupSpan(mel, nMels, g);
    const lo = <i32>(span >> 32), width = <i32>(span & 0xffffffff);
    const h = G + <usize>g * 16;
    store<i32>(h, lo);
    store<i32>(h, width, 4);
    store<i32>(h, off, 8);
    store<i32>(h, 0, 12);
    const base = G + <usize>off;
    memory.fill(base, 0, <usize>width * 16);
    for (let m = g * 4; m < min(nMels, g * 4 + 4); m++) {
      const first = load<i32>(mel + <usize>m * 8), count = load<i32>(mel + <usize>m * 8, 4);
      let wm = mel + <usize>nMels * 8; // band m's sparse weights: after every earlier band's
      for (let j = 0; j < m; j++) wm += <usize>load<i32>(mel + <usize>j * 8, 4) * 4;
      for (let k = 0; k < count; k++) {
        store<f32>(base + <usize>(first - lo + k) * 16 + <usize>(m - g * 4) * 4, load<f32>(wm + <usize>k * 4));
      }
    }
    off += width * 16;
  }
}

/**
 * One frame's band energies through the grouped layout (melGroupInit): S [nBins] f32 → out
 * [nMels] f32, four bands per vector; equal to melLanes<f32> bit for bit. SIMD build only (the
 * scalar build runs melLanes<f32>). Does not allocate.
 */
export function melOneFrame(mel: usize, nMels: i32, S: usize, out: usize): void {
  if (!ASC_FEATURE_SIMD) {
    melLanes<f32>(mel, nMels, S, out);
    return;
  }
  const G = groupedBase(mel, nMels);
  const nG = (nMels + 3) >> 2;
  for (let g = 0; g < nG; g++) {
    const h = G + <usize>g * 16;
    const lo = load<i32>(h), width = load<i32>(h, 4);
    let w = G + <usize>load<i32>(h, 8);
    let s = S + <usize>lo * 4;
    let acc = f32x4.splat(0);
    for (let k = 0; k < width; k++, w += 16, s += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(w), v128.load32_splat(s)));
    if (g * 4 + 4 <= nMels) v128.store(out + <usize>g * 16, acc);
    else {
      const o = out + <usize>g * 16;
      store<f32>(o, f32x4.extract_lane(acc, 0));
      if (g * 4 + 1 < nMels) store<f32>(o, f32x4.extract_lane(acc, 1), 4);
      if (g * 4 + 2 < nMels) store<f32>(o, f32x4.extract_lane(acc, 2), 8);
    }
  }
}

/**
 * Applies the mel plan to a frame-major spectrogram: S [nFrames][nBins] → out [nFrames][nMels] (f32).
 * Does not allocate.
 */
export function melApply(mel: usize, nMels: i32, S: usize, nBins: i32, nFrames: i32, out: usize): void {
  for (let t = 0; t < nFrames; t++) {
    melLanes<f32>(mel, nMels, S + <usize>t * nBins * 4, out + <usize>t * nMels * 4);
  }
}
