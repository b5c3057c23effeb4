/**
 * Connected digits: a digit loop (word-loop.ts) over a recogniser's ten digit models plus a
 * silence model, on a whole recording or on a stream. "one two three" decodes to "123", with
 * each digit's start, end and score.
 *
 * - **Front end.** The recogniser's own (front-end.ts): its rate, MFCC + Δ + ΔΔ, and its
 *   normalisation, except that the statistics come from the recording's speech frames (isSpeech:
 *   within `trimDb` of the loudest, 30 dB by default, and more than NOISE_MARGIN_DB above the
 *   quietest) rather than from one endpointed digit: in a recording of several digits the pauses
 *   would otherwise pull the mean towards silence. A `speechcore hmm train` model keeps its global
 *   scaler.
 * - **Silence.** Models trained on endpointed digits have no silence model, so the decoder
 *   estimates one per recording: a one-state diagonal Gaussian on the non-speech frames (variance
 *   floored at `silenceFloor` of the speech frames' variance), which fits the recording's own
 *   background (room noise, a line's hiss or digital zeros). Pauses are optional: digits may follow
 *   each other directly.
 * - **Search.** One-pass Viterbi (token passing) over (silence | digit)*, each digit entered with
 *   the log word-insertion penalty −`insertionPenalty` (larger: fewer words).
 * - **Second pass** (recognisers): each word is recognised again on its own audio ± rescoreMargin
 *   by the Recognizer, under the endpointing and per-utterance CMVN its models were trained with.
 *
 * @module
 */
import type { Engine } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import type { GmmHmm } from '../hmm/model.ts';
import { mfcc, mfccWithDeltas } from '../features/mfcc.ts';
import { checkNumber, checkSamples } from '../features/options.ts';
import { createMfccStream } from '../features/mfcc-stream.ts';
import { applyCmvn, cmvnStats } from '../features/cmvn.ts';
import { ParameterError } from '../errors.ts';
import type { Recognizer } from '../recognizer/recognizer.ts';
import { atModelRate, frameLevel, frontEndMfccOptions } from '../recognizer/front-end.ts';
import type { LoadedClassifier } from '../hmm/classifier-file.ts';
import { WordLoop, type LoopWord } from './word-loop.ts';
import type { Acoustics, DigitsResult } from './types.ts';
export type { DigitsResult, DigitWord } from './types.ts';
import { DigitStream, type DigitStreamOptions } from './digit-stream.ts';

export interface ConnectedDigitsOptions {
  /** Word-insertion penalty, nats per digit ≥ 0 (default DEFAULT_INSERTION_PENALTY): larger gives fewer digits. */
  insertionPenalty?: number;
  /** Speech frames are those within trimDb of the loudest (default: the recogniser's trimDb, else 30). */
  trimDb?: number;
  /**
   * A recording (or a stream's utterance) has speech only if its loudest frame is this many dB above
   * its quietest (default 20); otherwise it decodes to "" (steady noise is not digits).
   */
  speechDynamic?: number;
  /** Floor on the silence model's variances, as a fraction of the speech frames' (default 0.05). */
  silenceFloor?: number;
  /**
   * Second pass (recognisers only, default true): each digit the loop found is recognised again on
   * its own stretch of audio (± rescoreMargin), with the recogniser's own endpointing and
   * per-utterance normalisation, the conditions its models were trained in.
   */
  rescore?: boolean;
  /** Audio added on each side of a word for the second pass, seconds (default 0.05). */
  rescoreMargin?: number;
  /** The engine to run on (default: the shared one). */
  engine?: Engine;
}

/**
 * The default insertion penalty (nats). Chosen on sequences built from the lab split's `val`
 * utterances (bench/digits.bench.ts prints the sweep); test utterances played no part.
 */
export const DEFAULT_INSERTION_PENALTY = 80;

/** Frames within this many dB of a stretch's quietest are not speech (isSpeech). */
export const NOISE_MARGIN_DB = 10;

/** Decoder of connected digits over a recogniser's models (see the module doc). */
export class ConnectedDigits {
  readonly insertionPenalty: number;
  readonly trimDb: number;
  readonly silenceFloor: number;
  readonly rescoreMargin: number;
  readonly speechDynamic: number;
  private readonly chains: ReturnType<GmmHmm['logChain']>[];
  private readonly engine: Engine | undefined;

  private constructor(readonly acoustics: Acoustics, readonly labels: readonly number[], private readonly models: readonly GmmHmm[],
    o: ConnectedDigitsOptions, defaultTrimDb: number, private readonly rescorer: Recognizer | null) {
    this.rescoreMargin = checkNumber('rescoreMargin', o.rescoreMargin ?? 0.05, 0);
    this.speechDynamic = checkNumber('speechDynamic', o.speechDynamic ?? 20, 0);
    this.insertionPenalty = checkNumber('insertionPenalty', o.insertionPenalty ?? DEFAULT_INSERTION_PENALTY, 0);
    this.trimDb = checkNumber('trimDb', o.trimDb ?? defaultTrimDb, 0, Infinity, true);
    this.silenceFloor = checkNumber('silenceFloor', o.silenceFloor ?? 0.05, 0, 1, true);
    this.chains = models.map((m) => m.logChain());
    this.engine = o.engine;
  }

  /** Over a `speechcore train` recogniser (Recognizer.fromJSON of its file). */
  static fromRecognizer(r: Recognizer, o: ConnectedDigitsOptions = {}): ConnectedDigits {
    const f = r.features;
    const opts = { ...frontEndMfccOptions(f), engine: o.engine };
    const acoustics: Acoustics = {
      sampleRate: f.sampleRate, hop: f.hopLength,
      raw: (y) => mfccWithDeltas(y, opts),
      level: (row) => frameLevel(row[0]!, f.nMels),
      normalise: (X, mean, std) => f.cmvn === 'none' ? X : applyCmvn(X, { mean, std }, { variance: f.cmvn === 'mean-variance' }),
      stream: () => createMfccStream({ ...opts, deltas: true }),
    };
    return new ConnectedDigits(acoustics, r.labels, r.classifier.models, o, f.trimDb ?? 30, o.rescore === false ? null : r);
  }

  /** Over a `speechcore hmm train` model (parseClassifier of its file): its MFCC and global scaler. */
  static fromClassifier(c: LoadedClassifier, o: ConnectedDigitsOptions = {}): ConnectedDigits {
    const f = c.features;
    const opts = { ...frontEndMfccOptions({ ...f, sampleRate: c.sampleRate }), engine: o.engine };
    const acoustics: Acoustics = {
      sampleRate: c.sampleRate, hop: f.hopLength,
      raw: (y) => mfcc(y, opts),
      level: (row) => frameLevel(row[0]!, f.nMels),
      normalise: (X) => c.scaler.transform([X])[0]!,
      stream: () => createMfccStream(opts),
    };
    return new ConnectedDigits(acoustics, c.labels, c.models, o, 30, null);
  }

  /** The rate the models work at, Hz (other rates are resampled to it). */
  get sampleRate(): number { return this.acoustics.sampleRate; }

  /** Seconds between frames. */
  get frameSeconds(): number { return this.acoustics.hop / this.acoustics.sampleRate; }

  /**
   * Decodes a whole recording: mono samples at any rate (resampled to the models' rate).
   * Silence alone gives digits "".
   * @example ConnectedDigits.fromRecognizer(r).decode(samples, 16000).digits // "123"
   */
  decode(samples: Float32Array, sampleRate: number): DigitsResult {
    return this.decodeAtRate(atModelRate(samples, sampleRate, this.acoustics, this.engine), 0);
  }

  /**
   * decode() on mono samples already at the models' rate (empty: no digits); times are offset by
   * `t0` seconds. What DigitStream decodes each utterance with.
   */
  decodeAtRate(y: Float32Array, t0: number): DigitsResult {
    checkSamples(y, 'samples');
    if (!y.some((v) => v !== 0)) return { digits: '', words: [] };
    const raw = this.acoustics.raw(y);
    const { top, floor } = this.levels(raw);
    if (top - floor < this.speechDynamic) return { digits: '', words: [] };
    const first = this.result(this.search(raw).loop.best().words, t0);
    if (!this.rescorer) return first;
    const sr = this.sampleRate;
    const words = first.words.map((w) => {
      const a = Math.max(0, Math.round((w.start - t0 - this.rescoreMargin) * sr));
      const b = Math.min(y.length, Math.round((w.end - t0 + this.rescoreMargin) * sr));
      try {
        const r = this.rescorer!.recognize(y.subarray(a, b), sr);
        return { ...w, digit: r.digit, confidence: r.probabilities[this.labels.indexOf(r.digit)]! };
      } catch (e) {
        // Too little speech in the stretch for the recogniser's chains: the loop's word stands.
        if (e instanceof ParameterError) return w;
        throw e;
      }
    });
    return { digits: words.map((w) => String(w.digit)).join(''), words };
  }

  /**
   * The first pass over raw frames: speech statistics, the silence model, emissions of every digit
   * state and of silence, and the token passing over all frames. Returns the search and the
   * statistics it normalised with (a stream goes on with them, frame by frame).
   */
  search(raw: Matrix): { loop: WordLoop; stats: ReturnType<ConnectedDigits['normaliseUtterance']> } {
    const stats = this.normaliseUtterance(raw);
    const loop = new WordLoop(this.words());
    loop.advance(this.emissions(stats.X, stats.silence), stats.X.rows);
    return { loop, stats };
  }

  /** Raw frames normalised with their speech frames' statistics, and the silence model they give. */
  private normaliseUtterance(raw: Matrix): { X: Matrix; mean: Float64Array; std: Float64Array; silence: { mean: Float64Array; variance: Float64Array } } {
    const { speech, mean, std } = this.speechStats(raw);
    const X = this.acoustics.normalise(raw, mean, std);
    return { X, mean, std, silence: this.silenceModel(X, speech) };
  }

  /**
   * A stream decoder: push chunks at o.sampleRate, get partial hypotheses as the person speaks and
   * a final result per utterance after each pause (digit-stream.ts).
   */
  stream(o: DigitStreamOptions): DigitStream {
    return new DigitStream(this, o);
  }

  /**
   * Whether a frame at `level` dB is speech in a stretch whose loudest and quietest frames are
   * `top` and `floor`: within trimDb of the loudest, and more than NOISE_MARGIN_DB above the
   * quietest (so that in a room with less than trimDb of signal to noise the noise is not speech).
   */
  isSpeech(level: number, top: number, floor: number): boolean {
    return level >= top - this.trimDb && level >= floor + NOISE_MARGIN_DB;
  }

  /** Each frame's level (dB) and the loudest and quietest. */
  private levels(raw: Matrix): { level: Float64Array; top: number; floor: number } {
    const { rows: T, cols: D } = raw;
    const level = new Float64Array(T);
    let top = -Infinity, floor = Infinity;
    for (let t = 0; t < T; t++) {
      const l = level[t] = this.acoustics.level(raw.data.subarray(t * D, (t + 1) * D));
      top = Math.max(top, l);
      floor = Math.min(floor, l);
    }
    return { level, top, floor };
  }

  /** Which frames are speech (isSpeech), and their per-feature mean and std. */
  private speechStats(raw: Matrix): { speech: Uint8Array; mean: Float64Array; std: Float64Array } {
    const { level, top, floor } = this.levels(raw);
    const speech = Uint8Array.from(level, (l) => (this.isSpeech(l, top, floor) ? 1 : 0));
    const { mean, std } = cmvnStats(raw, speech);
    return { speech, mean, std };
  }

  /**
   * A one-state silence model on the non-speech frames of X (or, when there are fewer than 3, the
   * 3 quietest frames by c0), variances floored at silenceFloor × the speech frames' variance.
   */
  private silenceModel(X: Matrix, speech: Uint8Array): { mean: Float64Array; variance: Float64Array } {
    const { rows: T, cols: D } = X;
    let mask = Uint8Array.from(speech, (s) => 1 - s);
    if (mask.reduce((a, b) => a + b, 0) < 3) {
      const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => X.data[a * D]! - X.data[b * D]!);
      mask = new Uint8Array(T);
      for (const t of order.slice(0, Math.min(3, T))) mask[t] = 1;
    }
    const sil = cmvnStats(X, mask);
    const sp = cmvnStats(X, speech);
    const variance = new Float64Array(D);
    for (let d = 0; d < D; d++) variance[d] = Math.max(sil.std[d]! ** 2, this.silenceFloor * Math.max(sp.std[d]! ** 2, 1e-6));
    return { mean: sil.mean, variance };
  }

  /** The loop's words: the digits (with the insertion penalty), then silence (free). */
  private words(): LoopWord[] {
    const digits = this.chains.map((c) => ({ ...c, logEntry: -this.insertionPenalty }));
    const one = Float64Array.of(0);
    return [...digits, { logStart: one, logTrans: one, logEnd: one, logEntry: 0 }];
  }

  /** Emission log-likelihoods [T][Σ S_w + 1] f64: every digit's states, then silence's one. */
  emissions(X: Matrix, silence: { mean: Float64Array; variance: Float64Array }): Float64Array {
    const T = X.rows, D = X.cols;
    const per = this.models.map((m) => m.stateLogLikelihoods(X));
    const N = per.reduce((a, p) => a + p.cols, 0) + 1;
    const out = new Float64Array(T * N);
    let o = 0;
    for (const p of per) {
      for (let t = 0; t < T; t++) out.set(p.data.subarray(t * p.cols, (t + 1) * p.cols), t * N + o);
      o += p.cols;
    }
    let logNorm = -0.5 * D * Math.log(2 * Math.PI);
    for (let d = 0; d < D; d++) logNorm -= 0.5 * Math.log(silence.variance[d]!);
    for (let t = 0; t < T; t++) {
      let q = 0;
      for (let d = 0; d < D; d++) q += (X.data[t * D + d]! - silence.mean[d]!) ** 2 / silence.variance[d]!;
      out[t * N + o] = logNorm - 0.5 * q;
    }
    return out;
  }

  /** Words of a path as digits with times (seconds, offset t0) and per-frame scores; silence dropped (for DigitStream too). */
  result(segments: ReturnType<WordLoop['best']>['words'], t0: number): DigitsResult {
    const dt = this.frameSeconds;
    const words = segments.filter((s) => s.word < this.labels.length).map((s) => ({
      digit: this.labels[s.word]!,
      start: Math.max(t0, t0 + (s.start - 0.5) * dt),
      end: t0 + (s.end + 0.5) * dt,
      score: s.score / (s.end - s.start + 1),
      confidence: null,
    }));
    return { digits: words.map((w) => String(w.digit)).join(''), words };
  }
}
