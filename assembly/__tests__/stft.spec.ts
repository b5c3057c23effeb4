// padSignal and spectrogram (assembly/dsp/stft.ts). spectrogram must equal the standalone kernels
// it fuses (rfft per frame, melApply, powerToDbInPlace) bit for bit, one frame a direct f64 DFT, and itself
// run one frame at a time (bit for bit: what streams rely on). On the SIMD build it must also equal
// spectrogramScalar (the same code on T = f32): bit for bit where frames go four to the lanes of an
// f32x4 (plans without a lane split), to f32 rounding where each frame takes rfft's lane split; on
// the scalar build that comparison is skipped, because there spectrogram *is* spectrogramScalar.
import { padSignal, spectrogram, spectrogramScalar, spectrogramWorkBytes } from "../dsp/stft";
import { rfft, rfftPlanBytes, rfftPlanInit } from "../dsp/fft";
import { melApply, melGroupInit, melPlanBytes } from "../dsp/mel";
import { powerToDbInPlace } from "../dsp/db";
import { simdEnabled, PAD_CONSTANT, PAD_REFLECT, PAD_EDGE } from "../abi";
import {
  allocF32, allocBytes, free, setF32, getF32, seed, fillRandom, fillF32,
  checkEq, checkBits, checkBitsN, checkAtMost, checkInt, checkF32s, checkFilled,
} from "./helpers";

const SENTINEL: f32 = 12345.5;

/** padSignal(values, pad, mode) compared with the expected output, and the sentinel past its end. */
function checkPad(values: f64[], pad: i32, mode: i32, expected: f64[], what: string): void {
  const n = values.length;
  const y = allocF32(n), out = allocF32(n + 2 * pad + 4);
  setF32(y, values);
  fillF32(out, n + 2 * pad + 4, SENTINEL);
  padSignal(y, n, pad, mode, out);
  checkInt(expected.length, n + 2 * pad, what + ": expected length");
  checkF32s(out, expected, what);
  checkFilled(out, n + 2 * pad, n + 2 * pad + 4, SENTINEL, what + ": wrote past the end");
  checkF32s(y, values, what + ": input untouched");
  free(y); free(out);
}

describe("padSignal", () => {
  it("pads [1,2,3,4] by 2", () => {
    checkPad([1, 2, 3, 4], 2, PAD_CONSTANT, [0, 0, 1, 2, 3, 4, 0, 0], "constant, pad 2");
    checkPad([1, 2, 3, 4], 2, PAD_REFLECT, [3, 2, 1, 2, 3, 4, 3, 2], "reflect, pad 2");
    checkPad([1, 2, 3, 4], 2, PAD_EDGE, [1, 1, 1, 2, 3, 4, 4, 4], "edge, pad 2");
  });

  it("pads [1,2,3,4] by 5 (longer than the signal)", () => {
    checkPad([1, 2, 3, 4], 5, PAD_CONSTANT, [0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0], "constant, pad 5");
    // Reflect without repeating the edge = periodic extension with period 2(n−1) = 6 of
    // [1,2,3,4,3,2]: index −5..−1 → 2,3,4,3,2 and 4..8 → 3,2,1,2,3 (numpy.pad(…, 5, 'reflect')).
    checkPad([1, 2, 3, 4], 5, PAD_REFLECT, [2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3], "reflect, pad 5");
    checkPad([1, 2, 3, 4], 5, PAD_EDGE, [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4], "edge, pad 5");
  });

  it("pads a 2-sample signal by 3 (period 2)", () => {
    checkPad([1, 2], 3, PAD_REFLECT, [2, 1, 2, 1, 2, 1, 2, 1], "reflect [1,2], pad 3");
  });

  it("pads a 1-sample signal (reflect falls back to edge, as numpy does)", () => {
    checkPad([7], 3, PAD_CONSTANT, [0, 0, 0, 7, 0, 0, 0], "constant n=1");
    checkPad([7], 3, PAD_REFLECT, [7, 7, 7, 7, 7, 7, 7], "reflect n=1");
    checkPad([7], 3, PAD_EDGE, [7, 7, 7, 7, 7, 7, 7], "edge n=1");
  });

  it("copies the signal when pad is 0", () => {
    checkPad([1, 2, 3, 4], 0, PAD_REFLECT, [1, 2, 3, 4], "reflect, pad 0");
  });
});

// ---- spectrogram -------------------------------------------------------------------------------

/**
 * A sparse mel plan over nBins bins: nMels triangular bands, band 1 empty (count 0), the last band
 * running to the final bin. Layout: i32 (firstBin, count) per band, then the weights back to back.
 */
function buildMel(nBins: i32, nMels: i32): usize {
  const firsts = new Array<i32>(nMels), counts = new Array<i32>(nMels);
  let total = 0;
  const step = max(1, nBins / (nMels + 1));
  for (let j = 0; j < nMels; j++) {
    const first = min(j * step, nBins - 1);
    const count = j == 1 ? 0 : (j == nMels - 1 ? nBins - first : min(2 * step + 1, nBins - first));
    firsts[j] = first;
    counts[j] = count;
    total += count;
  }
  // The headers first, so that melPlanBytes can size the grouped (single-frame) layout too.
  const head = allocBytes(nMels * 8);
  for (let j = 0; j < nMels; j++) {
    store<i32>(head + <usize>j * 8, firsts[j]);
    store<i32>(head + <usize>j * 8, counts[j], 4);
  }
  const plan = allocBytes(melPlanBytes(head, nMels));
  free(head);
  let w = plan + <usize>nMels * 8;
  for (let j = 0; j < nMels; j++) {
    store<i32>(plan + <usize>j * 8, firsts[j]);
    store<i32>(plan + <usize>j * 8, counts[j], 4);
    for (let k = 0; k < counts[j]; k++, w += 4) {
      const c = <f64>(counts[j] - 1) * 0.5;
      store<f32>(w, <f32>(1.0 - Math.abs(<f64>k - c) / (c + 1.0)));
    }
  }
  melGroupInit(plan, nMels);
  return plan;
}

/** Periodic Hann window [n] f32. */
function hann(n: i32): usize {
  const w = allocF32(n);
  for (let i = 0; i < n; i++) store<f32>(w + <usize>i * 4, <f32>(0.5 - 0.5 * Math.cos(2.0 * Math.PI * <f64>i / <f64>n)));
  return w;
}

/** Whether the SIMD build's plan has rfft's lane split (then every frame takes the single transform). */
function laneSplit(plan: usize): bool {
  return ASC_FEATURE_SIMD && load<i32>(plan, 24) != 0;
}

/**
 * max_i |a_i − b_i| ≤ tol · max_i |b_i| over n values (normwise: what a reordered sum or another FFT
 * decomposition changes), or, with `db`, |a_i − b_i| ≤ tol dB everywhere.
 */
function checkNearN(a: usize, b: usize, n: i32, tol: f64, db: bool, what: string): void {
  let peak = 0.0, err = 0.0;
  for (let i = 0; i < n; i++) {
    const x = <f64>getF32(a, i), y = <f64>getF32(b, i);
    peak = Math.max(peak, Math.abs(y));
    err = Math.max(err, Math.abs(x - y));
  }
  checkAtMost(db ? err : err / Math.max(peak, 1e-30), tol, what);
}

/**
 * spectrogram vs spectrogramScalar, including the sentinels past the output and the returned max:
 * bit for bit without a lane split; with one (SIMD build, frames one at a time through rfft's lane
 * split), to f32 rounding. Only on the SIMD build: on the scalar build both are
 * spectrogramLanes<f32>, and the comparison would hold whatever the kernel computed.
 */
function checkLanesVsScalar(nFft: i32, plan: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32,
  window: usize, power: i32, amin: f32, outV: usize, bv: f32, size: i32, what: string): void {
  if (!ASC_FEATURE_SIMD) return;
  const workS = allocBytes(spectrogramWorkBytes(nFft, nMels)), outS = allocF32(size);
  fillF32(outS, size, SENTINEL);
  const bs = spectrogramScalar(plan, mel, nMels, padded, nFrames, hop, window, power, amin, workS, outS);
  const n = nFrames * (mel ? nMels : power == 0 ? 2 * ((nFft >> 1) + 1) : (nFft >> 1) + 1);
  if (laneSplit(plan)) {
    checkNearN(outV, outS, n, amin > 0 ? 1e-3 : 2e-6, amin > 0, what + ": SIMD (lane split) vs scalar");
    checkFilled(outV, n, size, SENTINEL, what + ": wrote past the end");
  } else {
    checkBitsN(outV, outS, size, what + ": SIMD vs scalar");
    checkBits(bv, bs, what + ": returned value, SIMD vs scalar");
  }
  free(workS); free(outS);
}

/**
 * spectrogram over nFrames at once = spectrogram called once per frame, bit for bit, returned max
 * included: a frame's arithmetic must not depend on which frames share its call (streams).
 */
function checkFrameByFrame(nFft: i32, plan: usize, mel: usize, nMels: i32, padded: usize, nFrames: i32, hop: i32,
  window: usize, power: i32, amin: f32, outV: usize, bv: f32, what: string): void {
  const w = mel ? nMels : power == 0 ? 2 * ((nFft >> 1) + 1) : (nFft >> 1) + 1;
  const work1 = allocBytes(spectrogramWorkBytes(nFft, nMels)), out1 = allocF32(nFrames * w);
  let best: f32 = -Infinity;
  for (let t = 0; t < nFrames; t++) {
    best = max(best, spectrogram(plan, mel, nMels, padded + <usize>(t * hop) * 4, 1, hop, window, power, amin, work1, out1 + <usize>(t * w) * 4));
  }
  checkBitsN(outV, out1, nFrames * w, what + ": all frames at once vs one at a time");
  checkBits(bv, best, what + ": returned max, at once vs one at a time");
  free(work1); free(out1);
}

/**
 * One STFT configuration: nFft, hop, nFrames over a random padded signal. Compares spectrogram
 * with rfftScalar per frame (each SIMD lane runs its arithmetic, bit for bit; rfft's lane split
 * does not), melApply and powerToDbInPlace (and, on the SIMD build, spectrogramScalar), and one
 * frame with a direct f64 DFT.
 */
function checkSpectrogram(nFft: i32, hop: i32, nFrames: i32, nMels: i32): void {
  const tag = "nFft=" + nFft.toString() + " hop=" + hop.toString() + " frames=" + nFrames.toString();
  const nBins = (nFft >> 1) + 1;
  const plan = allocBytes(rfftPlanBytes(nFft));
  rfftPlanInit(nFft, plan);
  const mel = buildMel(nBins, nMels);
  const window = hann(nFft);
  const nPadded = (nFrames - 1) * hop + nFft;
  const padded = allocF32(nPadded);
  seed(<u32>(31 * nFft + hop + 977 * nFrames));
  fillRandom(padded, nPadded);
  const workBytes = spectrogramWorkBytes(nFft, nMels);
  const work = allocBytes(workBytes);
  const width = max(2 * nBins, nMels);
  const size = nFrames * width + 4; // 4 sentinels past the largest output
  const outV = allocF32(size), ref = allocF32(size);
  const frame = allocF32(nFft), fftWork = allocF32(4 * nFft);
  const powS = allocF32(nFrames * nBins); // the power spectrogram by rfftScalar per frame: melApply's input

  // mel == 0: power 0 (complex), 1, 2 — vs one rfft per frame (and SIMD lanes vs scalar).
  for (let power = 0; power <= 2; power++) {
    const what = tag + " power " + power.toString();
    const w = power == 0 ? 2 * nBins : nBins;
    fillF32(outV, size, SENTINEL);
    const bv = spectrogram(plan, 0, 0, padded, nFrames, hop, window, power, 0, work, outV);
    checkLanesVsScalar(nFft, plan, 0, 0, padded, nFrames, hop, window, power, 0, outV, bv, size, what);
    checkFrameByFrame(nFft, plan, 0, 0, padded, nFrames, hop, window, power, 0, outV, bv, what);
    checkEq(bv, -Infinity, what + ": no log, returns -Inf");
    checkFilled(outV, nFrames * w, size, SENTINEL, what + ": wrote past the end");
    for (let t = 0; t < nFrames; t++) {
      for (let i = 0; i < nFft; i++) {
        store<f32>(frame + <usize>i * 4, getF32(padded, t * hop + i) * getF32(window, i));
      }
      rfft(plan, frame, ref + <usize>(t * w) * 4, fftWork, power);
    }
    checkBitsN(outV, ref, nFrames * w, what + ": vs rfft per frame");
    if (power == 2) memory.copy(powS, ref, <usize>(nFrames * nBins) * 4);
  }

  // Frame nFrames−1 (a lane past a multiple of 4 when nFrames % 4 != 0) against a direct DFT.
  {
    const t = nFrames - 1;
    let peak = 0.0, err = 0.0;
    for (let k = 0; k < nBins; k++) {
      let sr = 0.0, si = 0.0;
      for (let j = 0; j < nFft; j++) {
        const a = -2.0 * Math.PI * <f64>(<i64>j * <i64>k % <i64>nFft) / <f64>nFft;
        const v = <f64>getF32(padded, t * hop + j) * <f64>getF32(window, j);
        sr += v * Math.cos(a);
        si += v * Math.sin(a);
      }
      const p = sr * sr + si * si;
      peak = Math.max(peak, p);
      err = Math.max(err, Math.abs(<f64>getF32(outV, t * nBins + k) - p)); // outV: power 2, the loop's last
    }
    checkAtMost(err / peak, 1e-5, tag + ": last frame's power vs f64 DFT (relative to its peak)");
  }

  // mel != 0, no log: vs melApply on the rfftScalar power spectrogram (and SIMD lanes vs scalar).
  {
    const what = tag + " mel, no log";
    fillF32(outV, size, SENTINEL);
    const bv = spectrogram(plan, mel, nMels, padded, nFrames, hop, window, 2, 0, work, outV);
    checkLanesVsScalar(nFft, plan, mel, nMels, padded, nFrames, hop, window, 2, 0, outV, bv, size, what);
    checkFrameByFrame(nFft, plan, mel, nMels, padded, nFrames, hop, window, 2, 0, outV, bv, what);
    checkEq(bv, -Infinity, what + ": returns -Inf");
    melApply(mel, nMels, powS, nBins, nFrames, ref);
    checkBitsN(outV, ref, nFrames * nMels, what + ": vs melApply");
    for (let t = 0; t < nFrames; t++) checkEq(getF32(outV, t * nMels + 1), 0, what + ": empty band is 0");
    checkFilled(outV, nFrames * nMels, size, SENTINEL, what + ": wrote past the end");
  }

  // mel != 0, log (amin 1e-10): vs powerToDbInPlace(melApply(·), refDb 0) (and SIMD lanes vs scalar).
  {
    const what = tag + " mel, log";
    const amin: f32 = 1e-10;
    fillF32(outV, size, SENTINEL);
    const bv = spectrogram(plan, mel, nMels, padded, nFrames, hop, window, 2, amin, work, outV);
    checkLanesVsScalar(nFft, plan, mel, nMels, padded, nFrames, hop, window, 2, amin, outV, bv, size, what);
    checkFrameByFrame(nFft, plan, mel, nMels, padded, nFrames, hop, window, 2, amin, outV, bv, what);
    melApply(mel, nMels, powS, nBins, nFrames, ref);
    const bref = powerToDbInPlace(ref, nFrames * nMels, amin, 0);
    checkBitsN(outV, ref, nFrames * nMels, what + ": vs powerToDbInPlace");
    checkBits(bv, bref, what + ": returned max vs powerToDbInPlace");
    let m: f32 = -Infinity;
    for (let i = 0; i < nFrames * nMels; i++) m = max(m, getF32(outV, i));
    checkBits(bv, m, what + ": returns the largest value written");
    for (let t = 0; t < nFrames; t++) checkEq(getF32(outV, t * nMels + 1), -100, what + ": empty band is 10·log10(amin)");
    checkFilled(outV, nFrames * nMels, size, SENTINEL, what + ": wrote past the end");
  }

  free(powS);
  free(plan); free(mel); free(window); free(padded); free(work);
  free(outV); free(ref); free(frame); free(fftWork);
}

describe("spectrogram", () => {
  it("runs on the build simdEnabled() reports (SIMD: the f32x4 lanes; SPEC_SCALAR: plain f32)", () => {
    // The scalar run (-a assembly/__tests__/as-pect.scalar.asconfig.json) defines SPEC_SCALAR.
    checkInt(simdEnabled(), isDefined(SPEC_SCALAR) ? 0 : 1, "simdEnabled()");
  });

  it("equals the unfused kernels (and spectrogramScalar on SIMD), 7 frames (not a multiple of 4)", () => {
    checkSpectrogram(16, 4, 7, 4);
    checkSpectrogram(15, 5, 7, 4);   // odd nFft: complex FFT path
    checkSpectrogram(400, 160, 7, 40);
    checkSpectrogram(240, 120, 7, 26);
    checkSpectrogram(200, 80, 7, 40);   // the recogniser's front end at 8 kHz
    checkSpectrogram(242, 80, 5, 20);   // m = 121: no lane split, frames four to the lanes
  });

  it("handles 1, 4, 5 and 9 frames", () => {
    checkSpectrogram(16, 4, 1, 4);
    checkSpectrogram(16, 4, 4, 4);
    checkSpectrogram(16, 4, 5, 4);
    checkSpectrogram(30, 7, 9, 6);
  });
});
