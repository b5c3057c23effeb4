/**
 * The recogniser's front end: any rate in, the model's rate out (resampled), 13 MFCC + Δ + ΔΔ on
 * 40 mel bands, then per-utterance mean and variance normalisation. Every setting is stored in
 * the model file, so a file recognises exactly as it was trained. No Node imports.
 *
 * @module
 */
import { checkChoice, checkInt, checkNumber, checkSignal } from '../features/options.ts';
import { ParameterError } from '../errors.ts';
import { mfccWithDeltas } from '../features/mfcc.ts';
import { cmvn } from '../features/cmvn.ts';
import { resample } from '../features/resample.ts';
import type { Matrix } from '../matrix.ts';
import type { Engine } from '../engine.ts';

/** Front-end settings of a recogniser (stored in its file). */
export interface RecognizerFeatures {
  /** Rate the model works at, Hz; other rates are resampled to it. */
  sampleRate: number;
  /** Cepstra per frame before Δ and ΔΔ (frames have 3·nMfcc features). */
  nMfcc: number;
  nFft: number;
  hopLength: number;
  nMels: number;
  /** Per-utterance normalisation: 'mean-variance', 'mean' or 'none'. */
  cmvn: 'mean-variance' | 'mean' | 'none';
  /**
   * Endpointing: leading and trailing frames whose mean log-mel energy is more than trimDb below
   * the utterance's loudest frame are dropped (with 5 frames kept on each side); null keeps all.
   */
  trimDb: number | null;
  /**
   * Test-time vocal-tract-length normalisation: the mel warps α tried for each utterance (the
   * one whose best digit model scores highest is kept), or null for α = 1 only.
   */
  vtlnWarps: number[] | null;
}

/** Frames kept beyond the detected speech on each side (50 ms at a 10 ms hop). */
const TRIM_MARGIN = 5;

/**
 * The default: 8 kHz (telephone band, FSDD's rate), 30 ms window, 15 ms hop, 40 mel bands
 * (the lab's 128 leave most bands empty below 121 FFT bins), 13 MFCC + Δ + ΔΔ, CMVN.
 */
export const RECOGNIZER_FEATURES: Readonly<RecognizerFeatures> = Object.freeze({
  sampleRate: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, cmvn: 'mean-variance', trimDb: 30, vtlnWarps: null,
});

/** Settings with the defaults, each checked (ParameterError naming the field). */
export function resolveRecognizerFeatures(f: Partial<RecognizerFeatures> = {}): RecognizerFeatures {
  const r = { ...RECOGNIZER_FEATURES, ...f };
  return {
    sampleRate: checkNumber('sampleRate', r.sampleRate, 0, Infinity, true),
    nMfcc: checkInt('nMfcc', r.nMfcc, 1),
    nFft: checkInt('nFft', r.nFft, 2),
    hopLength: checkInt('hopLength', r.hopLength, 1),
    nMels: checkInt('nMels', r.nMels, 1),
    cmvn: checkChoice('cmvn', r.cmvn, ['mean-variance', 'mean', 'none'] as const),
    trimDb: r.trimDb === null ? null : checkNumber('trimDb', r.trimDb, 0, Infinity, true),
    vtlnWarps: r.vtlnWarps === null ? null : checkWarps(r.vtlnWarps),
  };
}

function checkWarps(w: unknown): number[] {
  if (!Array.isArray(w) || w.length === 0) throw new ParameterError('vtlnWarps must be a non-empty list of warp factors, or null');
  return w.map((a, i) => checkNumber(`vtlnWarps[${i}]`, a, 0.5, 2));
}

/**
 * Mono samples at any rate brought to the model's rate f.sampleRate (the 'kaiser_best' filter,
 * as the page's worker uses); samples already there are returned as they are.
 */
export function atModelRate(samples: Float32Array, sampleRate: number, f: Pick<RecognizerFeatures, 'sampleRate'>, engine?: Engine): Float32Array {
  checkSignal(samples, 'samples');
  checkNumber('sampleRate', sampleRate, 0, Infinity, true);
  return sampleRate === f.sampleRate ? samples : resample(samples, { origSr: sampleRate, targetSr: f.sampleRate, resType: 'kaiser_best', engine });
}

/** The `mfcc` options of a front end's settings (a recogniser's, or an `hmm train` model's with its rate). */
export function frontEndMfccOptions(f: Pick<RecognizerFeatures, 'sampleRate' | 'nMfcc' | 'nFft' | 'hopLength' | 'nMels'>):
  { sr: number; nMfcc: number; nFft: number; hopLength: number; nMels: number } {
  return { sr: f.sampleRate, nMfcc: f.nMfcc, nFft: f.nFft, hopLength: f.hopLength, nMels: f.nMels };
}

/**
 * Frames the recogniser scores, [frames][3·nMfcc] f32, from mono samples at any rate (first
 * brought to f.sampleRate by atModelRate). `vtlpAlpha` warps the mel bands (training
 * augmentation, test-time VTLN; 1 otherwise).
 * @throws ParameterError for silent (all-zero) samples or a bad rate.
 */
export function recognizerFrames(samples: Float32Array, sampleRate: number, f: RecognizerFeatures,
  o: { vtlpAlpha?: number; engine?: Engine } = {}): Matrix {
  const y = atModelRate(samples, sampleRate, f, o.engine);
  if (!y.some((v) => v !== 0)) throw new ParameterError('samples are silent (all zeros): there is nothing to recognise');
  const m = mfccWithDeltas(y, { ...frontEndMfccOptions(f), vtlpAlpha: o.vtlpAlpha, engine: o.engine });
  const kept = f.trimDb === null ? m : trimmed(m, f.nMels, f.trimDb);
  return f.cmvn === 'none' ? kept : cmvn(kept, { variance: f.cmvn === 'mean-variance' });
}

/**
 * A frame's level in dB, the mean of its nMels log-mel powers, from its c0 (the orthonormal DCT's
 * c0 is √nMels × that mean): what endpointing and speech/silence decisions compare.
 */
export function frameLevel(c0: number, nMels: number): number {
  return c0 / Math.sqrt(nMels);
}

/**
 * The rows of X [T][3·nMfcc] between the first and last frame within trimDb of the loudest, plus
 * the margin. c0 of the orthonormal DCT is √nMels × the frame's mean log-mel power in dB.
 */
function trimmed(X: Matrix, nMels: number, trimDb: number): Matrix {
  const { rows: T, cols: D } = X;
  const level = (t: number) => frameLevel(X.data[t * D]!, nMels);
  let top = -Infinity;
  for (let t = 0; t < T; t++) top = Math.max(top, level(t));
  let a = 0, b = T - 1;
  while (a < b && level(a) < top - trimDb) a++;
  while (b > a && level(b) < top - trimDb) b--;
  a = Math.max(0, a - TRIM_MARGIN);
  b = Math.min(T - 1, b + TRIM_MARGIN);
  return a === 0 && b === T - 1 ? X : { data: X.data.slice(a * D, (b + 1) * D), rows: b - a + 1, cols: D };
}
