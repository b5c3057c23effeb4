/**
 * Band-limited resampling (twin of assembly/dsp/resample.ts): windowed-sinc interpolation with a
 * low-pass at the lower of the two Nyquist frequencies, so downsampling does not alias. Sample
 * placement follows Praat's Sound_resample: the output has round(n·targetSr/origSr) samples and is
 * centred on the input's time span (the input's sample i sits at (i + ½)/origSr seconds).
 *
 * Two filters share that geometry (`resType`):
 * - 'sinc_hann' (default; what formants() uses): a raised-cosine-windowed sinc ±25 ms wide, cut off
 *   at the lower Nyquist, evaluated per output sample with rotating phasors (assembly resampleSinc).
 * - 'kaiser_best' / 'kaiser_fast': a Kaiser-windowed sinc designed for a stopband attenuation and a
 *   passband edge (100 dB from 0.94 × the lower Nyquist / 70 dB from 0.85 ×), its stopband starting
 *   at the lower Nyquist so nothing aliases above that level; tabulated once per rate pair and run as
 *   a polyphase FIR (assembly resamplePoly: f32x4 dot products, ~20–40× faster than 'sinc_hann').
 *   This is the one to use for microphone audio (44.1/48 kHz → 8/16 kHz).
 */
import { getEngine, type Engine } from '../engine.ts';
import type { Ptr, ResampleTable } from '../abi.ts';
import { checkChoice, checkNumber, checkSignal } from './options.ts';
import { ParameterError } from '../errors.ts';

/** Half-width of the interpolation window, seconds (each side): ~60 Hz transition band at 16 kHz. */
export const RESAMPLE_HALF_WIDTH_S = 0.025;

/** The resampling filters (see the module doc). */
export const RES_TYPES = ['sinc_hann', 'kaiser_best', 'kaiser_fast'] as const;
export type ResType = (typeof RES_TYPES)[number];

export interface ResampleOptions {
  /** Sampling rate of y, Hz > 0. */
  origSr: number;
  /** Wanted sampling rate, Hz > 0. */
  targetSr: number;
  /** The filter: 'sinc_hann' (default), 'kaiser_best' or 'kaiser_fast'. */
  resType?: ResType;
  engine?: Engine;
}

/** Design targets of the Kaiser filters: stopband attenuation (dB) and passband edge (× the lower Nyquist). */
export const KAISER_DESIGNS: Readonly<Record<Exclude<ResType, 'sinc_hann'>, { attenuationDb: number; rolloff: number }>> = {
  kaiser_best: { attenuationDb: 100, rolloff: 0.94 },
  kaiser_fast: { attenuationDb: 70, rolloff: 0.85 },
};

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
 * resType 'sinc_hann' (default): windowed sinc (raised cosine, 25 ms each side), cut off at
 * min(origSr, targetSr)/2; the passband is flat to 1e-3 up to ~100 Hz below the cutoff, the
 * stopband below −40 dB. 'kaiser_best': passband flat to ~1e-5 up to 0.94 × the lower Nyquist,
 * everything above that Nyquist attenuated ≥ 100 dB ('kaiser_fast': 0.85 ×, 70 dB); measured in
 * test/resample.test.ts.
 * Differs from librosa (soxr_hq): output length rounds instead of ceil, and samples are centred on
 * the input's span (Praat's convention) rather than starting at t = 0.
 * @see librosa.resample
 * @example resample(y44k, { origSr: 44100, targetSr: 16000 })
 * @example resample(mic48k, { origSr: 48000, targetSr: 8000, resType: 'kaiser_best' })
 */
export function resample(y: Float32Array, options: ResampleOptions): Float32Array {
  checkSignal(y);
  const origSr = checkNumber('origSr', options?.origSr, 0, Infinity, true);
  const targetSr = checkNumber('targetSr', options?.targetSr, 0, Infinity, true);
  const resType = checkChoice('resType', options.resType ?? 'sinc_hann', RES_TYPES);
  if (origSr === targetSr) return y.slice();
  const engine = options.engine ?? getEngine();
  const { arena } = engine;
  const job = resType === 'sinc_hann' ? null : kaiserPrepare(engine, y.length, origSr, targetSr, resType);
  return arena.scope(() => {
    const x = arena.f32In(y);
    const r = job ? kaiserInScope(engine, job, x, y.length) : resampleInScope(engine, x, y.length, origSr, targetSr);
    return arena.f32(r.out, r.length).slice();
  });
}

// ---- Kaiser-windowed sinc, polyphase ----------------------------------------------------------------

/** A Kaiser filter designed for one rate pair, and how it is tabulated (pure numbers, no memory). */
export interface KaiserDesign {
  /** Cut-off (−6 dB) as a fraction of the input Nyquist, and the Kaiser window's β. */
  cutoff: number;
  beta: number;
  /** Half-width W of the filter, input samples; rows hold taps ≥ 2W values (a multiple of 4). */
  halfTaps: number;
  taps: number;
  /** The exact ratio origSr/targetSr = P/Q (then the table has L = 2Q phases), or null (L = 512, interpolated). */
  ratio: { P: number; Q: number } | null;
  L: number;
}

/** Largest exact denominator, and the phase count of the interpolated table for other ratios. */
const MAX_EXACT_Q = 1024;
const INTERP_PHASES = 512;
/** Largest table, f32 values (16 MiB). */
const MAX_TABLE = 1 << 22;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for x ≤ 30). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1, sum = 1;
  for (let k = 1; k < 500 && term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/**
 * Kaiser's design formulas: β from the stopband attenuation A, the length from the transition
 * band, which runs from rolloff × the lower Nyquist up to the lower Nyquist (so every component
 * above it is attenuated by at least A).
 */
export function kaiserDesign(origSr: number, targetSr: number, resType: Exclude<ResType, 'sinc_hann'>): KaiserDesign {
  const { attenuationDb: A, rolloff } = KAISER_DESIGNS[resType];
  const scale = Math.min(1, targetSr / origSr); // the lower Nyquist as a fraction of the input's
  const cutoff = ((1 + rolloff) / 2) * scale;
  const dOmega = Math.PI * (1 - rolloff) * scale; // transition width, rad per input sample
  const beta = A > 50 ? 0.1102 * (A - 8.7) : 0.5842 * (A - 21) ** 0.4 + 0.07886 * (A - 21);
  const halfTaps = Math.max(2, Math.ceil(((A - 7.95) / (2.285 * dOmega) + 1) / 2));
  const taps = (2 * halfTaps + 3) & ~3;
  let ratio: KaiserDesign['ratio'] = null;
  if (Number.isInteger(origSr) && Number.isInteger(targetSr)) {
    const g = gcd(origSr, targetSr);
    const P = origSr / g, Q = targetSr / g;
    if (Q <= MAX_EXACT_Q && Q * taps <= MAX_TABLE) ratio = { P, Q };
  }
  const L = ratio ? 2 * ratio.Q : INTERP_PHASES;
  if ((ratio ? ratio.Q : L + 1) * taps > MAX_TABLE) {
    throw new ParameterError(`resampling ${origSr} Hz to ${targetSr} Hz with ${resType} needs a ${L + 1}x${taps} filter table; use resType 'sinc_hann'`);
  }
  return { cutoff, beta, halfTaps, taps, ratio, L };
}

/**
 * The filter tabulated at phases (first + step·r)/L for r < rows, [rows][taps] f32 in wasm memory: a
 * plan, built once per (rates, resType, phase set) and kept by the engine.
 */
function kaiserTable(engine: Engine, d: KaiserDesign, key: string, first: number, step: number, rows: number): ResampleTable {
  return engine.plan(key, () => {
    const { cutoff, beta, halfTaps: W, taps, L } = d;
    const h = new Float32Array(rows * taps);
    const i0b = besselI0(beta);
    for (let r = 0; r < rows; r++) {
      const frac = (first + step * r) / L;
      for (let t = 0; t < 2 * W; t++) {
        const dist = frac + W - 1 - t; // output position − tap position, input samples
        const x = dist / W;
        if (x <= -1 || x >= 1) continue;
        const arg = Math.PI * cutoff * dist;
        h[r * taps + t] = cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg) * (besselI0(beta * Math.sqrt(1 - x * x)) / i0b);
      }
    }
    const table = engine.arena.persistent(h.length * 4);
    engine.arena.f32(table, h.length).set(h);
    return table;
  }) as ResampleTable;
}

/** A Kaiser resampling job for n samples: its table and where the outputs fall (see kaiserPrepare). */
export interface KaiserJob extends ResampleGeometry {
  design: KaiserDesign;
  table: ResampleTable;
  /** The kernel's arguments: phases per input sample, first position and step (in 1/L samples), blending. */
  L: number;
  u0: number;
  du: number;
  interp: number;
}

/**
 * The Kaiser path of resample() for n samples, up to the kernel call; builds (or finds) the table,
 * so it must run outside any arena scope. Exact ratios P/Q put output k at input position
 * (A + 2kP)/(2Q) with the integer A = Q(n−1) − (m−1)P, so all outputs of one call fall on the Q
 * phases of A's parity: one table per parity, each row a phase, no interpolation. Other ratios
 * blend neighbours among 512 + 1 tabulated phases.
 */
export function kaiserPrepare(engine: Engine, n: number, origSr: number, targetSr: number,
  resType: Exclude<ResType, 'sinc_hann'>): KaiserJob {
  const g = resampleGeometry(n, origSr, targetSr);
  if (g.length < 1) throw new ParameterError(`resampling ${n} samples from ${origSr} Hz to ${targetSr} Hz leaves no samples`);
  const design = kaiserDesign(origSr, targetSr, resType);
  if (design.ratio) {
    const { P, Q } = design.ratio;
    const A = Q * (n - 1) - (g.length - 1) * P;
    const parity = ((A % 2) + 2) % 2;
    const { table, L } = kaiserPhases(engine, design, resType, origSr, targetSr, parity);
    return { ...g, design, table, L, u0: (A - parity) / 2, du: P, interp: 0 };
  }
  const { table, L } = kaiserPhases(engine, design, resType, origSr, targetSr, 0);
  const start = (g.x1 - 0.5 / origSr) * origSr; // input position of output sample 0
  return { ...g, design, table, L, u0: start * L, du: (origSr / targetSr) * L, interp: 1 };
}

/**
 * The phase table resamplePoly needs for a design, built once per (rates, resType, phase set) and
 * kept by the engine, so it must run outside any arena scope; also the kernel's L and interp.
 * Exact ratios P/Q: the Q phases (parity + 2r)/(2Q), r < Q (parity ∈ {0, 1}), so output positions
 * (A + 2kP)/(2Q) with A of that parity are u = (A − parity)/2 + kP in units of 1/Q sample, L = Q,
 * interp 0. Other ratios: the L + 1 phases r/L (parity ignored), interp 1.
 */
export function kaiserPhases(engine: Engine, design: KaiserDesign, resType: Exclude<ResType, 'sinc_hann'>,
  origSr: number, targetSr: number, parity: number): { table: ResampleTable; L: number; interp: 0 | 1 } {
  const base = `resample.${resType}:${origSr}:${targetSr}`;
  if (design.ratio) {
    const table = kaiserTable(engine, design, `${base}:${parity}`, parity, 2, design.ratio.Q);
    return { table, L: design.ratio.Q, interp: 0 };
  }
  return { table: kaiserTable(engine, design, `${base}:interp`, 0, 1, design.L + 1), L: design.L, interp: 1 };
}

/** Inside an arena scope: runs a prepared Kaiser job on the n samples at `y`. */
export function kaiserInScope(engine: Engine, job: KaiserJob, y: Ptr, n: number): { out: Ptr } & ResampleGeometry {
  const out = engine.arena.alloc(job.length * 4);
  const { design: d } = job;
  engine.exports.resamplePoly(y, n, job.table, d.taps, job.L, d.halfTaps, job.u0, job.du, job.interp, out, job.length);
  return { out, length: job.length, x1: job.x1, dx: job.dx };
}
