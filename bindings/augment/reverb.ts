/**
 * Synthetic reverberation for training augmentation: Schroeder's reverberator (four parallel
 * feedback combs, two allpasses in series), whose comb gains make the tail's energy fall 60 dB in
 * exactly rt60 seconds. O(n) per signal, unlike convolving with a sampled room response; comb
 * delays are drawn per call so that no two rooms ring alike.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import { checkNumber, checkSignal } from '../features/options.ts';
import { Rng } from '../rng.ts';

export interface ReverbOptions {
  /** Sampling rate of y, Hz. */
  sr: number;
  /** Reverberation time: seconds for the tail's energy to fall by 60 dB (e.g. 0.2–0.8). */
  rt60: number;
  /** Direct-to-reverberant energy ratio, dB (default 5): Σdry² / Σtail² of the output. */
  drrDb?: number;
  /** The generator for the comb delays, or a seed (default 0). */
  rng?: Rng | number;
}

/** Schroeder's comb delays, seconds, scaled by a factor drawn in [0.85, 1.15] each. */
const COMB_S = [0.0297, 0.0371, 0.0411, 0.0437];
const ALLPASS = [{ delayS: 0.005, gain: 0.7 }, { delayS: 0.0017, gain: 0.7 }];

/** The reverberant tail of y alone (no dry path), unscaled: f32 [n]. */
export function reverbTail(y: Float32Array, sr: number, rt60: number, rng: Rng): Float32Array {
  const n = y.length;
  const sum = new Float64Array(n);
  for (const base of COMB_S) {
    const d = Math.max(1, Math.round(base * (0.85 + 0.3 * rng.next()) * sr));
    const g = 10 ** ((-3 * d) / (rt60 * sr)); // amplitude falls 10^-3 (60 dB) after rt60·sr samples
    const buf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      buf[i] = y[i] + (i >= d ? g * buf[i - d] : 0);
      sum[i] += buf[i];
    }
  }
  let x = sum;
  for (const { delayS, gain } of ALLPASS) {
    const d = Math.max(1, Math.round(delayS * sr));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xd = i >= d ? x[i - d] : 0, od = i >= d ? out[i - d] : 0;
      out[i] = -gain * x[i] + xd + gain * od;
    }
    x = out;
  }
  return Float32Array.from(x);
}

/**
 * y in a synthetic room: y + tail, with the tail scaled to the asked direct-to-reverberant ratio;
 * f32 [n] (the tail past the end of y is cut, as a recording would stop).
 * @throws ParameterError for a silent signal (no ratio can be set).
 * @example reverberate(y, { sr: 8000, rt60: 0.4, drrDb: 3, rng: new Rng(1) })
 */
export function reverberate(y: Float32Array, o: ReverbOptions): Float32Array {
  checkSignal(y);
  const sr = checkNumber('sr', o.sr, 0, Infinity, true);
  const rt60 = checkNumber('rt60', o.rt60, 0, Infinity, true);
  const drrDb = checkNumber('drrDb', o.drrDb ?? 5);
  const rng = o.rng instanceof Rng ? o.rng : new Rng(o.rng ?? 0);
  const tail = reverbTail(y, sr, rt60, rng);
  let pd = 0, pt = 0;
  for (let i = 0; i < y.length; i++) { pd += y[i] * y[i]; pt += tail[i] * tail[i]; }
  if (!(pd > 0) || !(pt > 0)) throw new ParameterError('reverberate: the signal is silent (all zeros), so no ratio can be set');
  const gain = Math.sqrt(pd / (pt * 10 ** (drrDb / 10)));
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + gain * tail[i];
  return out;
}
