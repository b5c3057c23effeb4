/**
 * Messages between the page (app.ts) and its worker (worker.ts). Types only.
 *
 * @module
 */

import type { DigitsResult } from 'speechcore';

/** What the server says is in the models folder (GET models/index.json, lab/src/serve/models.ts). */
export interface ModelManifest {
  /** The folder as the server sees it, and whether it exists. */
  dir: string;
  exists: boolean;
  /** Paths relative to models/, or null when absent. */
  recognizer: string | null;
  hmm: string | null;
  lstm: string | null;
}

export type LstmState =
  | { state: 'absent' }
  | { state: 'loading'; file: string }
  | { state: 'ready'; file: string; hidden: number; bidirectional: boolean; ms: number }
  | { state: 'failed'; file: string; message: string };

export interface HmmInfo {
  file: string;
  /** 'recognizer': `speechcore train`'s speaker-independent file; 'hmm': the lab's `speechcore hmm train` file. */
  kind: 'recognizer' | 'hmm';
  labels: number[];
  nStates: number;
  nMix: number;
  covarianceType: string;
  algorithm: string;
  sampleRate: number;
  nMfcc: number;
}

export type ToWorker =
  /** Raw microphone samples at the AudioContext's rate. */
  | { type: 'analyze'; id: number; name: string; samples: Float32Array; sampleRate: number }
  /** A dropped or chosen file, as bytes. */
  | { type: 'analyzeFile'; id: number; name: string; bytes: ArrayBuffer }
  /** Times features + HMM scoring of `seconds` of audio (the last utterance, tiled), `repeats` times. */
  | { type: 'bench'; id: number; seconds: number; repeats: number }
  /** Enrolment: the last utterance was `digit` (adapt the recogniser); digit null forgets them all. */
  | { type: 'enroll'; id: number; digit: number | null }
  /**
   * Sequence mode: opens a digit stream (ConnectedDigits over the loaded models) for microphone
   * blocks at `sampleRate`; `endpoint` is the pause, s, that ends an utterance. Replies 'digits'
   * (index −1) or 'error'. One stream at a time: a new start replaces the old one.
   */
  | { type: 'digitsStart'; id: number; sampleRate: number; endpoint: number }
  /** The next block of the stream opened with the same id (buffer transferred); `index` counts from 0. */
  | { type: 'digitsChunk'; id: number; index: number; samples: Float32Array }
  /** Ends the stream: the last reply ('digits', done) carries the utterance under way as a final. */
  | { type: 'digitsStop'; id: number }
  /** Sequence mode, a dropped or chosen file: every digit in it, with times. */
  | { type: 'digitsFile'; id: number; name: string; bytes: ArrayBuffer };

export interface Timings {
  /** WAV parsing (files only). */
  decodeMs: number;
  /** To the model's rate (0 when already there). */
  resampleMs: number;
  /** MFCC + standardisation. */
  featuresMs: number;
  /** All digit models scored. */
  hmmMs: number;
  /** LSTM forward pass (0 without one). */
  lstmMs: number;
}

export interface Analysis {
  type: 'result';
  id: number;
  name: string;
  /** The HMM's digit, or null when no HMM is loaded. */
  digit: number | null;
  hmm: { labels: number[]; logLik: number[]; frames: number } | null;
  lstm: { labels: number[]; proba: number[]; digit: number } | null;
  /** The analysed signal at the model's rate, for the waveform. */
  waveform: Float32Array;
  sampleRate: number;
  /** Rate the audio arrived at. */
  origSampleRate: number;
  /** Standardised MFCC the model saw, [frames][nMfcc] row-major. */
  mfcc: Float32Array;
  frames: number;
  nMfcc: number;
  durationS: number;
  timings: Timings;
  /** Things worth saying that are not errors (resampled, mixed to mono, LSTM unavailable...). */
  notes: string[];
}

/** The worker's answer to each block of a digit stream (and to its start and stop). */
export interface DigitsUpdate {
  type: 'digits';
  id: number;
  /** The block answered (−1: the start; the stop answers with the last index sent). */
  index: number;
  /** The utterance under way, first pass: digits settled so far ("" between utterances). */
  partial: DigitsResult;
  /** Utterances that ended within this block (or at the stop), in order; times from the stream's start. */
  finals: DigitsResult[];
  /** Worker time for this block (resampling, features, search, and any final's decoding), ms. */
  ms: number;
  /** The stream ended (the answer to digitsStop). */
  done: boolean;
}

/** A file decoded as a digit sequence. */
export interface DigitsFileResult {
  type: 'digitsFile';
  id: number;
  name: string;
  result: DigitsResult;
  /** The file at the models' rate, for the waveform. */
  waveform: Float32Array;
  sampleRate: number;
  origSampleRate: number;
  durationS: number;
  timings: { decodeMs: number; resampleMs: number; digitsMs: number };
  notes: string[];
}

export type FromWorker =
  | {
    type: 'ready';
    simd: boolean;
    hmm: HmmInfo | null;
    /** Why the HMM is not there, in words (missing, corrupt...), when it is not. */
    hmmProblem: string | null;
    lstm: LstmState;
    /** Worker start → ready, split by stage. */
    timings: { engineMs: number; modelsMs: number; warmupMs: number };
  }
  | { type: 'lstm'; lstm: LstmState }
  | Analysis
  | DigitsUpdate
  | DigitsFileResult
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'bench'; id: number; seconds: number; repeats: number; featuresMs: number[]; hmmMs: number[]; totalMs: number[]; resample48kMs: number[] }
  /** The recogniser now adapted to `utterances` labelled utterances (0: the speaker-independent one). */
  | { type: 'enrolled'; id: number; utterances: number; digits: number[] }
  /** A failure outside any request (the worker could not start). */
  | { type: 'fatal'; message: string };
