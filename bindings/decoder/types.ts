/**
 * What the connected-digit decoder and its stream share: results and the acoustic front end.
 *
 * @module
 */
import type { Matrix } from '../matrix.ts';
import type { FeatureStream } from '../features/mfcc-stream.ts';

/** A digit on the best path; times in seconds from the start of the audio. */
export interface DigitWord {
  digit: number;
  /** Start of the word's first frame, seconds (frame t covers t·hop ± hop/2, clamped to the audio's start). */
  start: number;
  /** End of the word's last frame, seconds. */
  end: number;
  /**
   * The first pass's log-likelihood per frame of the word's frames, under the model of the digit
   * the loop found there (higher fits better); the second pass may then change `digit`.
   */
  score: number;
  /**
   * The second pass's posterior of `digit` over the ten digits (uniform prior), 0–1; null without
   * a second pass (hmm train models, rescore false, and partial hypotheses). HMM posteriors are
   * overconfident: most words get more than 0.99.
   */
  confidence: number | null;
}

/** A decoded recording (or a stream's hypothesis). */
export interface DigitsResult {
  /** The digits as a string, e.g. "123" ("" for silence). */
  digits: string;
  words: DigitWord[];
}

/** How a model family turns audio at its rate into frames, levels and normalised features (the decoders' side, not an API to build on). */
export interface Acoustics {
  sampleRate: number;
  hop: number;
  /** Raw (unnormalised) frames [T][D] of samples at sampleRate. */
  raw(y: Float32Array): Matrix;
  /** Per-frame level in dB (mean log-mel), from a raw row. */
  level(row: Float32Array): number;
  /** Normalised frames given the speech frames' mean and standard deviation (or the model's own scaler). */
  normalise(X: Matrix, speechMean: Float64Array, speechStd: Float64Array): Matrix;
  /** A stream of raw frames (the same as `raw`, chunk by chunk). */
  stream(): FeatureStream;
}

