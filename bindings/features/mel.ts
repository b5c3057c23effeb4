/**
 * Mel filterbank and mel spectrogram (twin of assembly/dsp/mel.ts), librosa 0.10.1 semantics:
 * Slaney mel scale (linear below 1 kHz, log above) or HTK (2595·log10(1 + f/700)), triangles on
 * the rfft bin frequencies, and the 'slaney' area norm (2 / band width in Hz) or none.
 */
import type { Engine } from '../engine.ts';
import type { MelPlan, Ptr } from '../abi.ts';
import { ParameterError } from '../errors.ts';
import { checkInt, checkNumber, checkSignal } from './options.ts';
import { resolveFraming, runSpectrogram, type StftOptions } from './stft.ts';
import type { Matrix } from '../matrix.ts';

export interface MelOptions {
  /** Sampling rate in Hz (required: librosa's 22050 default is a trap for 8/16 kHz speech). */
  sr: number;
  /** Mel bands, int ≥ 1 (default 128). */
  nMels?: number;
  /** Lowest band edge in Hz (default 0). */
  fmin?: number;
  /** Highest band edge in Hz (default sr/2). */
  fmax?: number;
  /** HTK mel formula instead of Slaney's (default false). */
  htk?: boolean;
  /** 'slaney' area normalisation (default), null/'none' for peak-1 triangles, or a p-norm per band. */
  norm?: 'slaney' | 'none' | null | number;
  /**
   * Vocal-tract-length perturbation factor α (Jaitly & Hinton 2013), default 1 (librosa has no
   * such option). The band edges move by f → α·f up to a boundary of 0.6·fmax·min(α, 1)/α, then
   * linearly to fmax, so 0 Hz and fmax stay put; with α > 1 a band centred on α·f now does
   * what the band on f did, so formants read as if divided by α (a longer tract). Each distinct α caches its own plan in the engine: draw it from a small set (e.g.
   * steps of 0.02 in [0.9, 1.1]).
   */
  vtlpAlpha?: number;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/** Hz → mel (librosa.hz_to_mel). */
export function hzToMel(f: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + f / 700);
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

/** mel → Hz (librosa.mel_to_hz). */
export function melToHz(m: number, htk = false): number {
  if (htk) return 700 * (10 ** (m / 2595) - 1);
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

/** n frequencies (Hz) evenly spaced on the mel scale from fmin to fmax (librosa.mel_frequencies). */
export function melFrequencies(n: number, fmin: number, fmax: number, htk = false): Float64Array {
  const lo = hzToMel(fmin, htk), hi = hzToMel(fmax, htk);
  const out = new Float64Array(n);
  const step = (hi - lo) / (n - 1); // np.linspace: i·step + start, last point exactly stop
  for (let i = 0; i < n; i++) out[i] = melToHz(i === n - 1 && n > 1 ? hi : i * step + lo, htk);
  return out;
}

interface ResolvedMel { sr: number; nFft: number; nMels: number; fmin: number; fmax: number; htk: boolean; norm: 'slaney' | null | number; vtlpAlpha: number }

/** VTLP's piecewise-linear warp of a frequency f in [0, fmax], Hz. */
export function vtlpWarp(f: number, alpha: number, fmax: number): number {
  const boundary = (0.6 * fmax * Math.min(alpha, 1)) / alpha;
  if (f <= boundary) return f * alpha;
  return fmax - ((fmax - alpha * boundary) / (fmax - boundary)) * (fmax - f);
}

function resolveMel(o: MelOptions & { nFft: number }, normName = 'norm'): ResolvedMel {
  const sr = checkNumber('sr', o.sr, 0, Infinity, true);
  const nFft = checkInt('nFft', o.nFft, 2);
  const nMels = checkInt('nMels', o.nMels ?? 128, 1);
  const fmin = checkNumber('fmin', o.fmin ?? 0, 0);
  const fmax = checkNumber('fmax', o.fmax ?? sr / 2, 0);
  if (fmax <= fmin) throw new ParameterError(`fmax=${fmax} must be greater than fmin=${fmin}`);
  const norm = o.norm === undefined || o.norm === 'slaney' ? 'slaney' : o.norm === null || o.norm === 'none' ? null : o.norm;
  if ((typeof norm === 'number' && !(norm > 0)) || (typeof norm === 'string' && norm !== 'slaney')) {
    throw new ParameterError(`${normName}=${String(o.norm)} must be 'slaney', null or a p-norm > 0`);
  }
  const vtlpAlpha = checkNumber('vtlpAlpha', o.vtlpAlpha ?? 1, 0.5, 2);
  return { sr, nFft, nMels, fmin, fmax, htk: o.htk ?? false, norm, vtlpAlpha };
}

function filterbankValues(r: ResolvedMel): Float32Array {
  const nBins = (r.nFft >> 1) + 1;
  const weights = new Float32Array(r.nMels * nBins);
  const binHz = 1 / (r.nFft * (1 / r.sr)); // numpy.fft.rfftfreq's spacing, bit for bit
  const melF = melFrequencies(r.nMels + 2, r.fmin, r.fmax, r.htk);
  if (r.vtlpAlpha !== 1) for (let i = 0; i < melF.length; i++) melF[i] = vtlpWarp(melF[i], r.vtlpAlpha, r.fmax);
  for (let i = 0; i < r.nMels; i++) {
    const d0 = melF[i + 1] - melF[i], d1 = melF[i + 2] - melF[i + 1];
    for (let k = 0; k < nBins; k++) {
      const f = k * binHz;
      const lower = -(melF[i] - f) / d0, upper = (melF[i + 2] - f) / d1;
      weights[i * nBins + k] = Math.max(0, Math.min(lower, upper));
    }
    // librosa scales the float32 weights by a float64 factor, rounding once more to float32.
    const row = weights.subarray(i * nBins, (i + 1) * nBins);
    if (r.norm === 'slaney') {
      const enorm = 2 / (melF[i + 2] - melF[i]);
      for (let k = 0; k < nBins; k++) row[k] = row[k] * enorm;
    } else if (typeof r.norm === 'number') {
      let s = 0;
      for (let k = 0; k < nBins; k++) s = r.norm === Infinity ? Math.max(s, Math.abs(row[k])) : s + Math.abs(row[k]) ** r.norm;
      const length = r.norm === Infinity ? s : s ** (1 / r.norm);
      if (length > 1.1754943508222875e-38) for (let k = 0; k < nBins; k++) row[k] = row[k] / length;
    }
  }
  return weights;
}

/**
 * The mel filterbank, [nMels][1 + nFft/2] f32 (librosa's orientation: it is a basis, not frames).
 * Bands that cover no FFT bin are all zero (librosa warns "Empty filters detected").
 * @see librosa.filters.mel
 * @example melFilterbank({ sr: 8000, nFft: 240 }).rows // 128
 */
export function melFilterbank(options: MelOptions & { nFft: number }): Matrix {
  const r = resolveMel(options);
  return { data: filterbankValues(r), rows: r.nMels, cols: (r.nFft >> 1) + 1 };
}

/** The cached sparse mel plan in wasm memory: (first bin, count) per band, the weights, and the single-frame layout (assembly/dsp/mel.ts). */
export function melPlan(engine: Engine, o: MelOptions & { nFft: number }, normName = 'norm'): { ptr: MelPlan; nMels: number } {
  const r = resolveMel(o, normName);
  const key = `mel:${r.sr}:${r.nFft}:${r.nMels}:${r.fmin}:${r.fmax}:${r.htk}:${r.norm}:${r.vtlpAlpha}`;
  const ptr = engine.plan(key, () => {
    const nBins = (r.nFft >> 1) + 1;
    const w = filterbankValues(r);
    const spans: Array<[number, number]> = [];
    let total = 0;
    for (let m = 0; m < r.nMels; m++) {
      let first = 0, last = -1;
      for (let k = 0; k < nBins; k++) if (w[m * nBins + k] !== 0) { if (last < 0) first = k; last = k; }
      spans.push([first, last - first + 1]);
      total += last - first + 1;
    }
    // The kernel sizes the grouped layout (single frames) from the headers: ask it, then build both.
    const head = new Int32Array(2 * r.nMels);
    spans.forEach(([first, count], m) => { head[2 * m] = first; head[2 * m + 1] = count; });
    const bytes = engine.arena.scope(() => {
      const h = engine.arena.alloc(head.length * 4);
      engine.arena.i32(h, head.length).set(head);
      return engine.exports.melPlanBytes(h, r.nMels);
    });
    const p = engine.arena.persistent(bytes);
    engine.arena.i32(p, head.length).set(head);
    const weights = engine.arena.f32((p + 8 * r.nMels) as Ptr, total);
    let off = 0;
    spans.forEach(([first, count], m) => {
      weights.set(w.subarray(m * nBins + first, m * nBins + first + count), off);
      off += count;
    });
    engine.exports.melGroupInit(p as MelPlan, r.nMels);
    return p;
  }) as MelPlan;
  return { ptr, nMels: r.nMels };
}

export type MelSpectrogramOptions = StftOptions & MelOptions & { power?: 1 | 2 };

/**
 * Mel spectrogram, [frames][nMels] f32: mel basis · |STFT|^power.
 * Defaults as librosa.feature.melspectrogram: nFft 2048, hopLength 512, power 2, 128 mels.
 * Differs from librosa: frame-major (transpose of librosa's [mel][frame]).
 * @see librosa.feature.melspectrogram
 * @example melSpectrogram(y, { sr: 8000, nFft: 240, hopLength: 120 })
 */
export function melSpectrogram(y: Float32Array, options: MelSpectrogramOptions): Matrix {
  checkSignal(y);
  const f = resolveFraming(options, { nFft: 2048, hop: 512 });
  const power = options.power ?? 2;
  if (power !== 1 && power !== 2) throw new ParameterError(`power=${power} must be 1 or 2`);
  const mel = melPlan(f.engine, { ...options, nFft: f.nFft });
  return f.engine.arena.scope(() => {
    const r = runSpectrogram(f, y, mel.ptr, mel.nMels, power, 0);
    return { data: f.engine.arena.f32(r.out, r.nFrames * r.width).slice(), rows: r.nFrames, cols: r.width };
  });
}

