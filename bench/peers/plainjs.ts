/**
 * Reference MFCC pipeline in plain JS around pffft's scalar N=240 real FFT:
 * the realistic "no special engine" baseline. Matches
 * `librosa.feature.mfcc(y, sr, n_mfcc=13, n_fft=240, hop_length=120)`
 * (librosa 0.10.1 defaults: centre zero padding, periodic Hann, power 2,
 * Slaney mel scale + Slaney area norm, fmax = sr/2, power_to_db with ref 1,
 * amin 1e-10, top_db 80 over the whole utterance, ortho DCT-II) to ~1e-4.
 *
 * Written for speed: all tables precomputed, typed arrays only, scratch
 * reused across calls, mel bands stored sparsely (each is one contiguous
 * run of FFT bins), and the only per-call allocation is the result.
 *
 * @module
 */
import type { PffftModule } from '@echogarden/pffft-wasm';
import { MFCC_HOP, MFCC_N_COEFFS, MFCC_N_FFT, MFCC_N_MELS, centredFrameCount, periodicHann } from './common.ts';
import { type PffftRealPlan, createPffftRealPlan, loadPffft, pffftOrderedPower } from './pffft.ts';
import type { MfccPeer } from './types.ts';

const N_BINS = (MFCC_N_FFT >> 1) + 1;
const AMIN = 1e-10;
const TOP_DB = 80;

/** Sparse mel filterbank: band m covers bins [start[m], start[m] + len[m]). */
export interface SparseMel {
  readonly start: Int32Array;
  readonly len: Int32Array;
  /** Offset of band m's first weight in {@link weights}. */
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

// Slaney mel scale as in librosa.hz_to_mel / mel_to_hz (htk=False): linear
// below 1 kHz (200/3 Hz per mel), logarithmic above.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;
const hzToMel = (f: number) => (f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP);
const melToHz = (m: number) => (m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m);

/**
 * librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False,
 * norm='slaney'), computed in float64 with the same operation order
 * (numpy linspace / rfftfreq), then rounded to float32 at the same two points
 * where librosa stores into its float32 weight matrix, so the filter values
 * are bit-compatible rather than merely close.
 */
export function slaneyMel(sr: number, nFft: number, nMels: number): SparseMel {
  const nBins = (nFft >> 1) + 1;
  const binHz = 1 / (nFft * (1 / sr));
  const fftFreqs = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) fftFreqs[k] = k * binHz;

  const minMel = hzToMel(0);
  const maxMel = hzToMel(sr / 2);
  const step = (maxMel - minMel) / (nMels + 1);
  const melF = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHz(i === nMels + 1 ? maxMel : i * step + minMel);

  const start = new Int32Array(nMels);
  const len = new Int32Array(nMels);
  const offset = new Int32Array(nMels);
  const dense: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const fdiffLo = melF[m + 1] - melF[m];
    const fdiffHi = melF[m + 2] - melF[m + 1];
    const enorm = 2 / (melF[m + 2] - melF[m]);
    let first = -1;
    let last = -1;
    const row: number[] = [];
    for (let k = 0; k < nBins; k++) {
      const lower = -(melF[m] - fftFreqs[k]) / fdiffLo;
      const upper = (melF[m + 2] - fftFreqs[k]) / fdiffHi;
      const w = Math.fround(Math.fround(Math.max(0, Math.min(lower, upper))) * enorm);
      row.push(w);
      if (w !== 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    offset[m] = dense.length;
    if (first >= 0) {
      start[m] = first;
      len[m] = last - first + 1;
      for (let k = first; k <= last; k++) dense.push(row[k]);
    }
  }
  return { start, len, offset, weights: Float64Array.from(dense) };
}

/** Orthonormal DCT-II rows 0..nOut−1 of size n (scipy norm='ortho'), row-major. */
export function orthoDct2(n: number, nOut: number): Float64Array {
  const d = new Float64Array(nOut * n);
  for (let c = 0; c < nOut; c++) {
    const scale = c === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) d[c * n + i] = scale * Math.cos((Math.PI * c * (2 * i + 1)) / (2 * n));
  }
  return d;
}

/** The plain-JS + pffft(240) reference MFCC peer. */
export class PlainJsMfcc implements MfccPeer {
  readonly name = 'plain-js+pffft(240)';
  private m: PffftModule | undefined;
  private plan: PffftRealPlan | undefined;
  private readonly window = periodicHann(MFCC_N_FFT);
  private readonly dct = orthoDct2(MFCC_N_MELS, MFCC_N_COEFFS);
  private readonly power = new Float64Array(N_BINS);
  private mel: SparseMel | undefined;
  private melSr = 0;
  /** log-mel scratch, frames × 128 frame-major; grows, never shrinks. */
  private db = new Float64Array(0);

  /** Instantiates its own scalar pffft wasm instance and the N=240 plan. */
  async init(): Promise<void> {
    if (this.plan) return;
    this.m = await loadPffft('scalar');
    this.plan = createPffftRealPlan(this.m, MFCC_N_FFT);
  }

  mfcc(samples: Float32Array, sr: number): Float32Array {
    const m = this.m;
    const plan = this.plan;
    if (!m || !plan) throw new Error(`${this.name}: call init() first`);
    if (sr !== this.melSr || !this.mel) {
      this.mel = slaneyMel(sr, MFCC_N_FFT, MFCC_N_MELS);
      this.melSr = sr;
    }
    const { start: mStart, len: mLen, offset: mOff, weights } = this.mel;
    const { window, power, dct } = this;
    const len = samples.length;
    const nFrames = centredFrameCount(len, MFCC_HOP);
    if (this.db.length < nFrames * MFCC_N_MELS) this.db = new Float64Array(nFrames * MFCC_N_MELS);
    const db = this.db;
    // Read after init's mallocs; nothing in this call allocates on the heap.
    const heap = m.HEAPF32;
    const inIx = plan.inIndex;
    const outIx = plan.outIndex;
    const pad = MFCC_N_FFT >> 1;
    const run = plan.run;

    // Pass 1: window → FFT → power → mel → dB. top_db needs the utterance max,
    // so clipping and the DCT wait for pass 2.
    let maxDb = -Infinity;
    for (let t = 0; t < nFrames; t++) {
      const s0 = t * MFCC_HOP - pad;
      if (s0 >= 0 && s0 + MFCC_N_FFT <= len) {
        for (let i = 0; i < MFCC_N_FFT; i++) heap[inIx + i] = samples[s0 + i] * window[i];
      } else {
        for (let i = 0; i < MFCC_N_FFT; i++) {
          const j = s0 + i;
          heap[inIx + i] = j >= 0 && j < len ? samples[j] * window[i] : 0;
        }
      }
      run();
      pffftOrderedPower(heap, outIx, MFCC_N_FFT, power);
      const row = t * MFCC_N_MELS;
      for (let b = 0; b < MFCC_N_MELS; b++) {
        const k0 = mStart[b];
        const w0 = mOff[b];
        const n = mLen[b];
        let acc = 0;
        for (let j = 0; j < n; j++) acc += weights[w0 + j] * power[k0 + j];
        const v = 10 * Math.log10(acc > AMIN ? acc : AMIN);
        db[row + b] = v;
        if (v > maxDb) maxDb = v;
      }
    }

    // Pass 2: clip to max − top_db, then the 13 ortho DCT-II rows.
    const floor = maxDb - TOP_DB;
    const total = nFrames * MFCC_N_MELS;
    for (let i = 0; i < total; i++) if (db[i] < floor) db[i] = floor;
    const out = new Float32Array(nFrames * MFCC_N_COEFFS);
    for (let t = 0; t < nFrames; t++) {
      const row = t * MFCC_N_MELS;
      for (let c = 0; c < MFCC_N_COEFFS; c++) {
        const d0 = c * MFCC_N_MELS;
        let acc = 0;
        for (let b = 0; b < MFCC_N_MELS; b++) acc += dct[d0 + b] * db[row + b];
        out[t * MFCC_N_COEFFS + c] = acc;
      }
    }
    return out;
  }

  /** Free the wasm-side plan (the instance itself is left to GC). */
  dispose(): void {
    this.plan?.dispose();
    this.plan = undefined;
    this.m = undefined;
  }
}

/** A ready-to-init plain-JS reference MFCC peer. */
export const plainJsMfcc: MfccPeer = new PlainJsMfcc();
