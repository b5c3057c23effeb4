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

/**
 * melLanes for one frame, vectorised along each band's bins instead of across frames (SIMD build):
 * S is [nBins] f32, out [nMels] f32. The sums run in another order than melLanes<f32>, so results
 * differ by f32 rounding. Does not allocate.
 */
export function melOneFrame(mel: usize, nMels: i32, S: usize, out: usize): void {
  let w = mel + <usize>nMels * 8;
  for (let m = 0; m < nMels; m++) {
    const first = load<i32>(mel + <usize>m * 8), count = load<i32>(mel + <usize>m * 8, 4);
    const s = S + <usize>first * 4;
    let k = 0;
    let sum: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      let acc = f32x4.splat(0);
      for (; k + 4 <= count; k += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(w + <usize>k * 4), v128.load(s + <usize>k * 4)));
      sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
    for (; k < count; k++) sum += load<f32>(w + <usize>k * 4) * load<f32>(s + <usize>k * 4);
    store<f32>(out + <usize>m * 4, sum);
    w += <usize>count * 4;
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
