/**
 * Band-limited resampling (twin of assembly/dsp/resample.ts): windowed-sinc interpolation with a
 * low-pass at the lower of the two Nyquist frequencies, so downsampling does not alias. Sample
 * placement follows Praat's Sound_resample: the output has round(n·targetSr/origSr) samples and is
 * centred on the input's time span (the input's sample i sits at (i + ½)/origSr seconds).
 */
import { getEngine, type Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import { checkNumber, checkSignal } from './options.ts';
import { ParameterError } from '../errors.ts';

/** Half-width of the interpolation window, seconds (each side): ~60 Hz transition band at 16 kHz. */
export const RESAMPLE_HALF_WIDTH_S = 0.025;

export interface ResampleOptions {
  /** Sampling rate of y, Hz > 0. */
  origSr: number;
  /** Wanted sampling rate, Hz > 0. */
  targetSr: number;
  engine?: Engine;
}

/** Where the resampled signal's samples sit: length, first sample time and spacing, seconds. */
export interface ResampleGeometry {
  /** Output samples, round(n·targetSr/origSr) (halves up). */
  length: number;
  /** Time of output sample 0, seconds (input sample 0 sits at 0.5/origSr). */
  x1: number;
  /** 1/targetSr. */
  dx: number;
}

/** Output geometry for n input samples, as Praat's Sound_resample computes it. */
export function resampleGeometry(n: number, origSr: number, targetSr: number): ResampleGeometry {
  const xmax = n / origSr; // the input's time domain is [0, n/origSr]
  const length = Math.floor(xmax * targetSr + 0.5);
  return { length, x1: 0.5 * (xmax - (length - 1) / targetSr), dx: 1 / targetSr };
}

/**
 * Inside an arena scope: resamples n samples at `y` and returns the output pointer and geometry.
 * The caller has validated the rates; n ≥ 1.
 */
export function resampleInScope(engine: Engine, y: Ptr, n: number, origSr: number, targetSr: number):
  { out: Ptr } & ResampleGeometry {
  const g = resampleGeometry(n, origSr, targetSr);
  if (g.length < 1) throw new ParameterError(`resampling ${n} samples from ${origSr} Hz to ${targetSr} Hz leaves no samples`);
  const out = engine.arena.alloc(g.length * 4);
  const dxIn = 1 / origSr, x1In = 0.5 * dxIn;
  const start = (g.x1 - x1In) / dxIn; // input position of output sample 0 (0-based)
  const step = g.dx / dxIn;
  const cutoff = Math.min(1, targetSr / origSr);
  const halfWidth = Math.max(8, Math.ceil(RESAMPLE_HALF_WIDTH_S * origSr));
  engine.exports.resampleSinc(y, n, start, step, cutoff, halfWidth, out, g.length);
  return { out, ...g };
}

/**
 * Resamples y from origSr to targetSr: f32 [round(n·targetSr/origSr)].
 * Windowed sinc (raised cosine, 25 ms each side), cut off at min(origSr, targetSr)/2; the passband
 * is flat to 1e-3 up to ~100 Hz below the cutoff, the stopband below −40 dB.
 * Differs from librosa (soxr_hq): output length rounds instead of ceil, and samples are centred on
 * the input's span (Praat's convention) rather than starting at t = 0.
 * @see librosa.resample
 * @example resample(y44k, { origSr: 44100, targetSr: 16000 })
 */
export function resample(y: Float32Array, options: ResampleOptions): Float32Array {
  checkSignal(y);
  const origSr = checkNumber('origSr', options?.origSr, 0, Infinity, true);
  const targetSr = checkNumber('targetSr', options?.targetSr, 0, Infinity, true);
  if (origSr === targetSr) return y.slice();
  const engine = options.engine ?? getEngine();
  const { arena } = engine;
  return arena.scope(() => {
    const r = resampleInScope(engine, arena.f32In(y), y.length, origSr, targetSr);
    return arena.f32(r.out, r.length).slice();
  });
}
