/**
 * Pitch (twin of assembly/dsp/pitch.ts), measured as Praat's "Sound: To Pitch (ac)..." measures it:
 * Boersma's (1993) windowed autocorrelation divided by the window's, up to maxCandidates peaks per
 * frame refined by sinc interpolation, then the cheapest path through them with octave-jump and
 * voiced/unvoiced transition costs. Frame count and times follow Praat exactly: as many frames of
 * one window length as fit, centred on the signal.
 */
import { getEngine, type Engine } from '../engine.ts';
import type { PitchPlan } from '../abi.ts';
import { checkInt, checkNumber, checkSignal } from './options.ts';
import { ParameterError } from '../errors.ts';

export interface PitchOptions {
  /** Sampling rate of y, Hz > 0 (required). */
  sr: number;
  /** Seconds between frames ≥ 0 (default 0 = auto: 0.75 / floor, i.e. 10 ms at 75 Hz). */
  timeStep?: number;
  /** Pitch floor, Hz > 0 (default 75): sets the window (3 periods, 6 when veryAccurate). */
  floor?: number;
  /** Pitch ceiling, Hz > floor (default 600); clipped to sr/2. Candidates at or above it are unvoiced. */
  ceiling?: number;
  /** Candidates per frame, int ≥ 2 (default 15; raised to floor(ceiling/floor) when that is more). */
  maxCandidates?: number;
  /** Gaussian window over 6 periods and finer sinc interpolation (default false: Hanning, 3 periods). */
  veryAccurate?: boolean;
  /** Frames whose local peak is below this fraction of the global peak lean unvoiced, in [0, 1] (default 0.03). */
  silenceThreshold?: number;
  /** Strength the unvoiced candidate always has, in [0, 1] (default 0.45). */
  voicingThreshold?: number;
  /** Favours higher candidates: strength − octaveCost·log2(ceiling/F), ≥ 0 (default 0.01 per octave). */
  octaveCost?: number;
  /** Cost of a jump of one octave between voiced frames, ≥ 0 (default 0.35, per 10 ms). */
  octaveJumpCost?: number;
  /** Cost of a voiced/unvoiced transition, ≥ 0 (default 0.14, per 10 ms). */
  voicedUnvoicedCost?: number;
  engine?: Engine;
}

export interface PitchTrack {
  /** Seconds between frames. */
  timeStep: number;
  /** Frame centres, seconds [frames]. */
  times: Float64Array;
  /** F0 in Hz [frames]; NaN where the frame is unvoiced (as librosa.pyin; Praat's "undefined"). */
  f0: Float64Array;
}

/** Everything Praat derives from the options before analysing (exported for tests and the CLI). */
export interface PitchSetup {
  dx: number;
  x1: number;
  timeStep: number;
  nFrames: number;
  t1: number;
  nWindow: number;
  /** Lags kept for interpolation (half the window, a quarter for the Gaussian one). */
  maxLag: number;
  /** Highest lag searched for maxima. */
  maximumLag: number;
  /** Samples in one period of the floor. */
  nPeriod: number;
  maxCandidates: number;
  ceiling: number;
  gaussian: boolean;
  depth: number;
}

interface Checked {
  sr: number; timeStep: number; floor: number; ceiling: number; maxCandidates: number; veryAccurate: boolean;
  silenceThreshold: number; voicingThreshold: number; octaveCost: number; octaveJumpCost: number; voicedUnvoicedCost: number;
}

function checkOptions(o: PitchOptions): Checked {
  if (o === null || typeof o !== 'object') throw new ParameterError('pitch options must be an object with sr');
  const sr = checkNumber('sr', o.sr, 0, Infinity, true);
  const floor = checkNumber('floor', o.floor ?? 75, 0, Infinity, true);
  const ceiling = checkNumber('ceiling', o.ceiling ?? 600, 0, Infinity, true);
  if (ceiling <= floor) throw new ParameterError(`ceiling=${ceiling} must be greater than floor=${floor}`);
  const veryAccurate = o.veryAccurate ?? false;
  if (typeof veryAccurate !== 'boolean') throw new ParameterError(`veryAccurate=${String(veryAccurate)} must be true or false`);
  return {
    sr, floor, ceiling, veryAccurate,
    timeStep: checkNumber('timeStep', o.timeStep ?? 0, 0),
    maxCandidates: checkInt('maxCandidates', o.maxCandidates ?? 15, 2),
    silenceThreshold: checkNumber('silenceThreshold', o.silenceThreshold ?? 0.03, 0, 1),
    voicingThreshold: checkNumber('voicingThreshold', o.voicingThreshold ?? 0.45, 0, 1),
    octaveCost: checkNumber('octaveCost', o.octaveCost ?? 0.01, 0),
    octaveJumpCost: checkNumber('octaveJumpCost', o.octaveJumpCost ?? 0.35, 0),
    voicedUnvoicedCost: checkNumber('voicedUnvoicedCost', o.voicedUnvoicedCost ?? 0.14, 0),
  };
}

/**
 * Praat's frame layout for n samples (Sound_to_Pitch_any and Sampled_shortTermAnalysis), in the
 * same floating-point operations so frame counts and times agree to the last bit.
 */
export function pitchSetup(n: number, o: Pick<Checked, 'sr' | 'timeStep' | 'floor' | 'ceiling' | 'maxCandidates' | 'veryAccurate'>): PitchSetup {
  const dx = 1 / o.sr, x1 = 0.5 / o.sr;
  let periodsPerWindow = 3;
  let maxCandidates = o.maxCandidates;
  if (maxCandidates < o.ceiling / o.floor) maxCandidates = Math.floor(o.ceiling / o.floor);
  const timeStep = o.timeStep > 0 ? o.timeStep : periodsPerWindow / o.floor / 4;
  const gaussian = o.veryAccurate;
  if (gaussian) periodsPerWindow *= 2; // the Gaussian window is twice as long
  const depth = gaussian ? 700 : 70;
  const interpolationDepth = gaussian ? 0.25 : 0.5;
  const duration = dx * n;
  if (o.floor < periodsPerWindow / duration) {
    throw new ParameterError(`y is too short for floor=${o.floor} Hz: ${n} samples (${duration.toFixed(4)} s) ` +
      `hold fewer than ${periodsPerWindow} periods; raise floor to >= ${Math.ceil(periodsPerWindow / duration)} Hz or pass a longer signal`);
  }
  const nPeriod = Math.floor(1 / dx / o.floor);
  const ceiling = Math.min(o.ceiling, 0.5 / dx);
  const windowDuration = periodsPerWindow / o.floor;
  let nWindow = Math.floor(windowDuration / dx);
  const half = Math.trunc(nWindow / 2) - 1;
  if (half < 2) throw new ParameterError(`floor=${o.floor} Hz at sr=${o.sr} gives an analysis window of ${nWindow} samples; it needs at least 6`);
  nWindow = half * 2;
  const maximumLag = Math.min(Math.floor(nWindow / periodsPerWindow) + 2, nWindow);
  // Sampled_shortTermAnalysis: as many frames as fit, centred.
  const nFrames = Math.floor((duration - windowDuration) / timeStep) + 1;
  const mid = x1 - 0.5 * dx + 0.5 * duration;
  const t1 = mid - 0.5 * (nFrames * timeStep) + 0.5 * timeStep;
  const maxLag = Math.floor(nWindow * interpolationDepth);
  return { dx, x1, timeStep, nFrames, t1, nWindow, maxLag, maximumLag, nPeriod, maxCandidates, ceiling, gaussian, depth };
}

function pitchPlan(engine: Engine, s: PitchSetup): PitchPlan {
  return engine.plan(`pitch:${s.nWindow}:${s.gaussian ? 1 : 0}:${s.maxLag}`, () => {
    const p = engine.arena.persistent(engine.exports.pitchPlanBytes(s.nWindow, s.maxLag)) as PitchPlan;
    engine.exports.pitchPlanInit(s.nWindow, s.gaussian ? 1 : 0, s.maxLag, p);
    return p;
  }) as PitchPlan;
}

/**
 * Fundamental frequency track by Praat's autocorrelation method ("To Pitch (ac)").
 * Returns frame times and f0 (NaN = unvoiced). Defaults are Praat's "To Pitch..." (ac) settings:
 * timeStep auto (0.75/floor), floor 75 Hz, ceiling 600 Hz, 15 candidates, Hanning window,
 * silence 0.03, voicing 0.45, octave cost 0.01, octave-jump cost 0.35, voiced/unvoiced cost 0.14.
 * Differs from Praat: none intended for mono input; a signal shorter than the window throws.
 * @see Praat "Sound: To Pitch (ac)..."; Boersma (1993), Proc. Inst. Phonetic Sciences 17: 97–110
 * @example const { times, f0 } = pitch(y, { sr: 16000 }); // 10 ms frames, 75–600 Hz
 */
export function pitch(y: Float32Array, options: PitchOptions): PitchTrack {
  checkSignal(y);
  const o = checkOptions(options);
  const s = pitchSetup(y.length, o);
  const engine = options.engine ?? getEngine();
  const plan = pitchPlan(engine, s);
  const { arena, exports } = engine;
  const T = s.nFrames, M = s.maxCandidates;
  const f0 = arena.scope(() => {
    const yp = arena.f32In(y);
    const freq = arena.alloc(T * M * 8), strength = arena.alloc(T * M * 8);
    const nCand = arena.alloc(T * 4), intensity = arena.alloc(T * 8);
    const work = arena.alloc(exports.pitchWorkBytes(s.nWindow, s.maxLag, M));
    exports.pitchFrames(yp, y.length, s.dx, s.x1, s.t1, s.timeStep, T, plan, s.nWindow, s.maxLag, s.maximumLag,
      s.nPeriod, M, o.floor, o.voicingThreshold, o.octaveCost, s.depth, freq, strength, nCand, intensity, work);
    const delta = arena.alloc(T * M * 8), psi = arena.alloc(T * M * 4), out = arena.alloc(T * 8);
    exports.pitchPath(freq, strength, nCand, intensity, T, M, o.silenceThreshold, o.voicingThreshold, o.octaveCost,
      o.octaveJumpCost, o.voicedUnvoicedCost, s.ceiling, s.timeStep, delta, psi, out);
    return arena.f64(out, T).slice();
  });
  const times = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    times[i] = s.t1 + i * s.timeStep;
    if (!(f0[i]! > 0)) f0[i] = NaN;
  }
  return { timeStep: s.timeStep, times, f0 };
}
