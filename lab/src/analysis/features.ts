/**
 * Lab steps 3 and 5: per-frame MFCC 13 + Δ + ΔΔ with a 25 ms window and 10 ms hop, and the
 * per-utterance vector of their means and standard deviations over frames (78 numbers); the bonus
 * adds the zero-crossing rate's mean and standard deviation (80).
 *
 * @module
 */
import { DatasetError, ParameterError, mfccWithDeltas, mfsc, zeroCrossingRate, type Matrix } from 'speechcore';

export type FeatureSet = 'mfcc' | 'mfcc+zcr';
export const FEATURE_SETS: readonly FeatureSet[] = ['mfcc', 'mfcc+zcr'];

export interface FrameOptions {
  sr: number;
  /** Window in seconds (default 0.025). */
  window?: number;
  /** Hop in seconds (default 0.010). */
  hop?: number;
  /** Cepstral coefficients (default 13). */
  nMfcc?: number;
  /** Named in errors. */
  file?: string;
}

/** Window and hop in samples: 25 ms / 10 ms at 16 kHz = 400 / 160. */
export function framing(o: FrameOptions): { nFft: number; hopLength: number } {
  if (!(o.sr > 0)) throw new ParameterError(`sr=${o.sr} must be > 0`);
  return { nFft: Math.round((o.window ?? 0.025) * o.sr), hopLength: Math.round((o.hop ?? 0.01) * o.sr) };
}

function checkLength(y: Float32Array, nFft: number, o: FrameOptions): void {
  if (y.length < nFft) {
    throw new DatasetError(`${o.file ?? 'utterance'}: ${y.length} samples is shorter than one ${nFft}-sample window (${((o.window ?? 0.025) * 1000).toFixed(0)} ms at ${o.sr} Hz)`);
  }
}

/** MFCC + Δ + ΔΔ per frame, [frames][3·nMfcc] (librosa mfcc/delta semantics, width 9). */
export function frameFeatures(y: Float32Array, o: FrameOptions): Matrix {
  const f = framing(o);
  checkLength(y, f.nFft, o);
  return mfccWithDeltas(y, { sr: o.sr, nMfcc: o.nMfcc ?? 13, ...f });
}

/** 13 log-mel energies per frame (MFSC), [frames][13]. */
export function frameMfsc(y: Float32Array, o: FrameOptions & { nMels?: number }): Matrix {
  const f = framing(o);
  checkLength(y, f.nFft, o);
  return mfsc(y, { sr: o.sr, nMels: o.nMels ?? 13, ...f });
}

/** Column means and population standard deviations (numpy's default ddof=0) of a matrix. */
export function meanStd(m: { data: ArrayLike<number>; rows: number; cols: number }): { mean: number[]; std: number[] } {
  const mean = new Array<number>(m.cols).fill(0), std = new Array<number>(m.cols).fill(0);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) mean[c] += m.data[r * m.cols + c] / m.rows;
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) std[c] += (m.data[r * m.cols + c] - mean[c]) ** 2;
  return { mean, std: std.map((v) => Math.sqrt(v / m.rows)) };
}

/**
 * The per-utterance vector: [means of the 39 frame features, their standard deviations] (78),
 * then for 'mfcc+zcr' the zero-crossing rate's mean and standard deviation (80).
 */
export function utteranceVector(y: Float32Array, o: FrameOptions & { features?: FeatureSet }): number[] {
  const set = o.features ?? 'mfcc';
  if (!FEATURE_SETS.includes(set)) throw new ParameterError(`features="${set}" must be one of ${FEATURE_SETS.join(', ')}`);
  const { mean, std } = meanStd(frameFeatures(y, o));
  const v = [...mean, ...std];
  if (set === 'mfcc+zcr') {
    const f = framing(o);
    const z = zeroCrossingRate(y, { frameLength: f.nFft, hopLength: f.hopLength });
    const s = meanStd({ data: z, rows: z.length, cols: 1 });
    v.push(s.mean[0], s.std[0]);
  }
  return v;
}

/** Names of the vector's entries, e.g. "mean mfcc1", "std d2mfcc13", "mean zcr". */
export function featureNames(nMfcc = 13, set: FeatureSet = 'mfcc'): string[] {
  const base = [...Array.from({ length: nMfcc }, (_, i) => `mfcc${i + 1}`), ...Array.from({ length: nMfcc }, (_, i) => `dmfcc${i + 1}`), ...Array.from({ length: nMfcc }, (_, i) => `d2mfcc${i + 1}`)];
  const names = [...base.map((b) => `mean ${b}`), ...base.map((b) => `std ${b}`)];
  if (set === 'mfcc+zcr') names.push('mean zcr', 'std zcr');
  return names;
}
