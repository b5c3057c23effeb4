/**
 * Formants (twin of assembly/dsp/lpc.ts), measured as Praat's "Sound: To Formant (burg)..." does:
 * resample to 2·maxFormant, pre-emphasise from preEmphasis Hz, a Gaussian-like window twice
 * windowLength long, Burg LPC of order 2·nFormants, polynomial roots → frequencies and bandwidths,
 * keeping roots between 50 Hz and maxFormant − 50 Hz. Frame count and times follow Praat exactly.
 */
import { getEngine, type Engine } from '../engine.ts';
import type { FormantWindow } from '../abi.ts';
import { checkNumber, checkSignal } from './options.ts';
import { resampleInScope } from './resample.ts';
import { ParameterError } from '../errors.ts';

/** Praat's safety margin: roots within this many Hz of 0 or of maxFormant are not formants. */
export const FORMANT_SAFETY_MARGIN_HZ = 50;

export interface FormantOptions {
  /** Sampling rate of y, Hz > 0 (required). */
  sr: number;
  /** Seconds between frames ≥ 0 (default 0 = auto: windowLength/4). */
  timeStep?: number;
  /** Highest formant sought, Hz, 0 < maxFormant ≤ sr/2 (default 5500; Praat suggests 5000 for men). */
  maxFormant?: number;
  /** Formants sought, a multiple of 0.5 ≥ 1 (default 5): the LPC order is 2·nFormants. */
  nFormants?: number;
  /** Effective window length, seconds > 0 (default 0.025); the Gaussian window spans twice this. */
  windowLength?: number;
  /** Pre-emphasis from this frequency up (+6 dB/octave), Hz ≥ 0 (default 50). */
  preEmphasis?: number;
  engine?: Engine;
}

export interface FormantTrack {
  /** Seconds between frames. */
  timeStep: number;
  /** Frame centres, seconds [frames]. */
  times: Float64Array;
  /** Most formants a frame can hold: floor((2·nFormants + 1)/2). */
  maxFormants: number;
  /** Formants found per frame [frames] (fewer than maxFormants when roots fell outside the range). */
  count: Int32Array;
  /** Frequencies, Hz, [frames][maxFormants] row-major, ascending; NaN past count. */
  frequencies: Float64Array;
  /** Bandwidths, Hz, same layout; NaN past count. */
  bandwidths: Float64Array;
}

/** Everything Praat derives from the options before analysing (exported for tests). */
export interface FormantSetup {
  /** Rate the analysis runs at: 2·maxFormant, or sr when that is already the Nyquist. */
  analysisSr: number;
  resampled: boolean;
  /** Samples after resampling, their spacing and first sample time. */
  n: number;
  dx: number;
  x1: number;
  timeStep: number;
  nFrames: number;
  t1: number;
  nWindow: number;
  order: number;
  maxFormants: number;
}

interface Checked { sr: number; timeStep: number; maxFormant: number; nFormants: number; windowLength: number; preEmphasis: number }

function checkOptions(o: FormantOptions): Checked {
  if (o === null || typeof o !== 'object') throw new ParameterError('formant options must be an object with sr');
  const sr = checkNumber('sr', o.sr, 0, Infinity, true);
  const maxFormant = checkNumber('maxFormant', o.maxFormant ?? 5500, 0, Infinity, true);
  if (maxFormant > sr / 2) {
    throw new ParameterError(`maxFormant=${maxFormant} must be <= sr/2=${sr / 2}: formants above the Nyquist frequency cannot be measured`);
  }
  const nFormants = checkNumber('nFormants', o.nFormants ?? 5, 1);
  if (!Number.isInteger(2 * nFormants)) throw new ParameterError(`nFormants=${nFormants} must be a multiple of 0.5`);
  return {
    sr, maxFormant, nFormants,
    timeStep: checkNumber('timeStep', o.timeStep ?? 0, 0),
    windowLength: checkNumber('windowLength', o.windowLength ?? 0.025, 0, Infinity, true),
    preEmphasis: checkNumber('preEmphasis', o.preEmphasis ?? 50, 0),
  };
}

/** Praat's frame layout (Sound_to_Formant_any_inplace), in the same floating-point operations. */
export function formantSetup(nIn: number, o: Checked): FormantSetup {
  const nyquist = 0.5 / (1 / o.sr);
  const resampled = Math.abs(o.maxFormant / nyquist - 1) >= 1e-12;
  const analysisSr = resampled ? o.maxFormant * 2 : o.sr;
  let n: number, dx: number, x1: number;
  if (resampled) {
    const xmax = nIn / o.sr;
    n = Math.floor(xmax * analysisSr + 0.5);
    dx = 1 / analysisSr;
    x1 = 0.5 * (xmax - (n - 1) / analysisSr);
  } else {
    n = nIn;
    dx = 1 / o.sr;
    x1 = 0.5 / o.sr;
  }
  const order = Math.floor(2 * o.nFormants + 0.5);
  const timeStep = o.timeStep > 0 ? o.timeStep : o.windowLength / 4;
  const physicalDuration = n * dx;
  const windowDuration = 2 * o.windowLength;
  const nFrames = 1 + Math.floor((physicalDuration - windowDuration) / timeStep);
  const nWindow = Math.floor(windowDuration / dx);
  if (nFrames < 1) {
    throw new ParameterError(`y is too short for windowLength=${o.windowLength}: ${nIn} samples (${(nIn / o.sr).toFixed(4)} s) ` +
      `are less than one analysis window of 2·windowLength = ${windowDuration} s`);
  }
  if (nWindow < order + 1) {
    throw new ParameterError(`windowLength=${o.windowLength} s holds ${nWindow} samples at ${analysisSr} Hz; ` +
      `an order-${order} predictor (nFormants=${o.nFormants}) needs at least ${order + 1}`);
  }
  const t1 = x1 + 0.5 * (physicalDuration - dx - (nFrames - 1) * timeStep);
  return { analysisSr, resampled, n, dx, x1, timeStep, nFrames, t1, nWindow, order, maxFormants: Math.trunc((order + 1) / 2) };
}

function windowPlan(engine: Engine, nWindow: number): FormantWindow {
  return engine.plan(`gauss64:${nWindow}`, () => {
    const p = engine.arena.persistent(nWindow * 8) as FormantWindow;
    engine.exports.gaussianWindow(nWindow, p);
    return p;
  }) as FormantWindow;
}

/**
 * Formant frequencies and bandwidths by Burg LPC, Praat's "To Formant (burg)".
 * Defaults are Praat's: timeStep auto (windowLength/4), 5 formants, maxFormant 5500 Hz,
 * windowLength 0.025 s, pre-emphasis from 50 Hz.
 * Differs from Praat: the resampler is a windowed sinc (±25 ms) rather than an FFT brick-wall filter
 * followed by sinc interpolation; maxFormant above sr/2 and signals shorter than one window throw.
 * @see Praat "Sound: To Formant (burg)..."
 * @example const f = formants(y, { sr: 16000, maxFormant: 5000 }); f.frequencies[t * f.maxFormants] // F1 of frame t
 */
export function formants(y: Float32Array, options: FormantOptions): FormantTrack {
  checkSignal(y);
  const o = checkOptions(options);
  const s = formantSetup(y.length, o);
  const engine = options.engine ?? getEngine();
  const window = windowPlan(engine, s.nWindow);
  const { arena, exports } = engine;
  const T = s.nFrames, K = s.maxFormants;
  const result = arena.scope(() => {
    let x = arena.f32In(y);
    if (s.resampled) x = resampleInScope(engine, x, y.length, o.sr, s.analysisSr).out;
    const preEmphasis = Math.exp(-2 * Math.PI * o.preEmphasis * s.dx);
    const freq = arena.alloc(T * K * 8), bw = arena.alloc(T * K * 8), count = arena.alloc(T * 4);
    arena.f64(freq, T * K).fill(NaN);
    arena.f64(bw, T * K).fill(NaN);
    const work = arena.alloc(exports.formantWorkBytes(s.nWindow, s.order));
    exports.formantFrames(x, s.n, s.dx, s.x1, s.t1, s.timeStep, T, s.nWindow, s.order, preEmphasis,
      FORMANT_SAFETY_MARGIN_HZ, K, window, freq, bw, count, work);
    return {
      frequencies: arena.f64(freq, T * K).slice(),
      bandwidths: arena.f64(bw, T * K).slice(),
      count: arena.i32(count, T).slice(),
    };
  });
  const times = new Float64Array(T);
  for (let i = 0; i < T; i++) times[i] = s.t1 + i * s.timeStep;
  return { timeStep: s.timeStep, times, maxFormants: K, ...result };
}
