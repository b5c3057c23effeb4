/**
 * Connected digits on a stream: audio in chunks (an AudioWorklet's 128 samples, a socket's
 * whatever), a partial hypothesis after every chunk, and a final result for each utterance once
 * its speaker pauses.
 *
 * - Chunks at any rate go through a streaming resampler to the models' rate, then a streaming
 *   front end (createMfccStream): frames arrive as soon as they are determined.
 * - **Partial hypotheses** (the words completed on the best token's path) come from token passing (the first pass of ConnectedDigits) advanced
 *   frame by frame. Its normalisation and silence model use the statistics of the frames seen so
 *   far; when those change a lot (the loudest frame rises by more than 3 dB, or the count of
 *   speech frames doubles) the utterance's frames are searched again from its start, so the
 *   work stays O(T log T) per utterance.
 * - **Endpoint**: an utterance has speech once its loudest frame is the decoder's `speechDynamic`
 *   dB above its quietest and within trimDb of the stream's recent loudest (which falls by 1 dB
 *   per second); it ends after `endpoint` seconds of non-speech (ConnectedDigits.isSpeech: more
 *   than trimDb below the utterance's loudest frame, or within 10 dB of its quietest). Until an
 *   utterance has speech, only its last second is kept. Its **final** result is
 *   `ConnectedDigits.decodeAtRate` on the utterance's audio at the models' rate: exactly what
 *   decoding that stretch as a file gives (both passes); a stream at another rate goes through
 *   the streaming resampler, whose grid is anchored at the stream's start.
 * - Times are seconds from the start of the stream.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { checkNumber, checkSamples } from '../features/options.ts';
import { createResampleStream, type ResampleStream } from '../features/resample-stream.ts';
import { SampleWindow } from '../features/sample-window.ts';
import type { FeatureStream } from '../features/mfcc-stream.ts';
import type { Acoustics, DigitsResult } from './types.ts';
import type { LoopSegment, WordLoop } from './word-loop.ts';

/** What a stream needs of its decoder: ConnectedDigits provides it (the stream's side of their contract, not an API to build on). */
export interface StreamableDecoder {
  readonly sampleRate: number;
  readonly acoustics: Acoustics;
  readonly trimDb: number;
  readonly speechDynamic: number;
  isSpeech(level: number, top: number, floor: number): boolean;
  decodeAtRate(y: Float32Array, t0: number): DigitsResult;
  search(raw: Matrix): { loop: WordLoop; stats: { X: Matrix; mean: Float64Array; std: Float64Array; silence: { mean: Float64Array; variance: Float64Array } } };
  emissions(X: Matrix, silence: { mean: Float64Array; variance: Float64Array }): Float64Array;
  result(segments: LoopSegment[], t0: number): DigitsResult;
}

export interface DigitStreamOptions {
  /** Rate of the pushed chunks, Hz (resampled to the models' rate). */
  sampleRate: number;
  /** Seconds of non-speech that end an utterance (default 0.2). */
  endpoint?: number;
}

/** What a push returns: the current utterance's partial hypothesis, and the utterances it ended. */
export interface DigitStreamUpdate {
  /**
   * The digits completed so far in the utterance under way (first pass; the digit being spoken
   * shows once it ends; "" between utterances).
   */
  partial: DigitsResult;
  /** Final results of the utterances that ended within this chunk, in order (usually none or one). */
  finals: DigitsResult[];
  /** Whether the utterance under way has speech (so far): false in silence, steady noise and between utterances. */
  speech: boolean;
}

/** How fast the stream's reference level for speech falls, dB per second. */
const STREAM_TOP_DECAY_DB = 1;

const EMPTY: DigitsResult = Object.freeze({ digits: '', words: [] }) as DigitsResult;

/** The utterance under way: its frames, levels, statistics and search. */
interface Utterance {
  /** Absolute index of its first frame. */
  start: number;
  raw: Float32Array[];
  level: number[];
  top: number;
  floor: number;
  trailing: number;
  loop: WordLoop | null;
  /** Frames the loop has consumed, and the statistics it was built with. */
  consumed: number;
  builtTop: number;
  builtSpeech: number;
  /** Speech frames (isSpeech), recounted when top or floor move by more than 1 dB since `countedAt`. */
  speech: number;
  countedAt: { top: number; floor: number };
  stats: { mean: Float64Array; std: Float64Array; silence: { mean: Float64Array; variance: Float64Array } } | null;
}

/**
 * A stream over a ConnectedDigits decoder (ConnectedDigits.stream creates one).
 * @example
 * const s = decoder.stream({ sampleRate: 48000 });
 * worklet.onmessage = (e) => { const u = s.push(e.data); show(u.partial.digits); u.finals.forEach(done); };
 */
export class DigitStream {
  private readonly resampler: ResampleStream | null;
  private readonly features: FeatureStream;
  private readonly hop: number;
  private readonly endpointFrames: number;
  /** Model-rate audio of the utterance under way (what its final decodes). */
  private readonly audio = new SampleWindow(8192);
  private frameIndex = 0;
  /**
   * The loudest frame level of the stream's recent speech, dB, falling by STREAM_TOP_DECAY_DB per
   * second: an utterance whose loudest frame is more than trimDb below it is not speech (a noise
   * tail after a final), yet a quieter talker is heard again after a while.
   */
  private streamTop = -Infinity;
  private readonly decayPerFrame: number;
  /** Frames of speechless audio kept (older ones are dropped: memory stays bounded in silence). */
  private readonly keepFrames: number;
  private u: Utterance;
  private ended = false;

  constructor(private readonly decoder: StreamableDecoder, o: DigitStreamOptions) {
    const sampleRate = checkNumber('sampleRate', o?.sampleRate, 0, Infinity, true);
    const endpoint = checkNumber('endpoint', o?.endpoint ?? 0.2, 0, Infinity, true);
    this.resampler = sampleRate === decoder.sampleRate ? null : createResampleStream({ origSr: sampleRate, targetSr: decoder.sampleRate });
    this.features = decoder.acoustics.stream();
    this.hop = decoder.acoustics.hop;
    const framesPerSecond = decoder.sampleRate / this.hop;
    this.endpointFrames = Math.max(1, Math.round(endpoint * framesPerSecond));
    this.decayPerFrame = STREAM_TOP_DECAY_DB / framesPerSecond;
    this.keepFrames = Math.max(this.endpointFrames, Math.round(framesPerSecond));
    this.u = this.fresh(0);
  }

  /**
   * Feeds a chunk of mono samples at the stream's rate; returns the partial hypothesis of the
   * utterance under way and the final results of utterances that ended.
   * @throws ParameterError for non-finite samples, or after flush
   */
  push(chunk: Float32Array): DigitStreamUpdate {
    if (this.ended) throw new ParameterError('push after flush: the digit stream has ended (create a new one)');
    checkSamples(chunk, 'chunk');
    const y = this.resampler ? this.resampler.push(chunk) : chunk;
    const finals = this.consume(y, this.features.push(y));
    return { partial: this.partial(), finals, speech: this.hasSpeech() };
  }

  /** Ends the stream: the final result of the utterance under way (if it has speech). A second flush returns none. */
  flush(): DigitsResult[] {
    if (this.ended) return [];
    this.ended = true;
    const y = this.resampler ? this.resampler.flush() : new Float32Array(0);
    const finals = this.consume(y, this.features.push(y));
    finals.push(...this.consume(new Float32Array(0), this.features.flush()));
    if (this.hasSpeech()) finals.push(this.finish(this.frameIndex));
    return finals;
  }

  /** Seconds of audio the stream holds (the utterance under way; at most about a second in silence). */
  get buffered(): number {
    return this.audio.length / this.decoder.sampleRate;
  }

  private fresh(start: number): Utterance {
    return {
      start, raw: [], level: [], top: -Infinity, floor: Infinity, trailing: 0, loop: null, consumed: 0, builtTop: -Infinity, builtSpeech: 0,
      stats: null, speech: 0, countedAt: { top: -Infinity, floor: Infinity },
    };
  }

  /** Speech: a dynamic of speechDynamic dB, and a loudest frame within trimDb of the stream's recent loudest (streamTop). */
  private hasSpeech(): boolean {
    return this.u.top - this.u.floor >= this.decoder.speechDynamic && this.u.top >= this.streamTop - this.decoder.trimDb;
  }

  /** Appends model-rate audio, takes the new frames one by one (endpoints), then advances the search. */
  private consume(y: Float32Array, frames: Matrix): DigitsResult[] {
    this.audio.append(y);
    const finals: DigitsResult[] = [];
    const D = frames.cols;
    for (let t = 0; t < frames.rows; t++) {
      const row = frames.data.subarray(t * D, (t + 1) * D); // a view: frames are this stream's own
      const u = this.u;
      const level = this.decoder.acoustics.level(row);
      u.raw.push(row);
      u.level.push(level);
      u.top = Math.max(u.top, level);
      u.floor = Math.min(u.floor, level);
      this.streamTop = Math.max(this.streamTop - this.decayPerFrame, level);
      this.frameIndex++;
      const speech = this.decoder.isSpeech(level, u.top, u.floor);
      this.countSpeech(speech);
      u.trailing = speech ? 0 : u.trailing + 1;
      if (this.hasSpeech()) {
        if (u.trailing >= this.endpointFrames) finals.push(this.finish(this.frameIndex));
      } else if (u.raw.length >= 2 * this.keepFrames) this.forget(u.raw.length - this.keepFrames);
    }
    this.advance();
    return finals;
  }

  /** Keeps u.speech current: one more frame, or a recount when the top or the floor has moved. */
  private countSpeech(last: boolean): void {
    const u = this.u;
    if (Math.abs(u.top - u.countedAt.top) <= 1 && Math.abs(u.floor - u.countedAt.floor) <= 1) {
      if (last) u.speech++;
      return;
    }
    u.speech = 0;
    for (const l of u.level) if (this.decoder.isSpeech(l, u.top, u.floor)) u.speech++;
    u.countedAt = { top: u.top, floor: u.floor };
  }

  /** Drops the utterance's first n frames (and their audio) while it has no speech. */
  private forget(n: number): void {
    const u = this.u;
    u.start += n;
    u.raw.splice(0, n);
    u.level.splice(0, n);
    u.top = Math.max(...u.level);
    u.floor = Math.min(...u.level);
    u.loop = null;
    u.consumed = 0;
    u.countedAt = { top: -Infinity, floor: Infinity };
    this.countSpeech(false);
    this.audio.dropBefore(u.start * this.hop);
  }

  /** Ends the utterance at absolute frame `end` (exclusive): decodes its audio, starts the next. */
  private finish(end: number): DigitsResult {
    const a = this.u.start * this.hop, b = Math.min(this.audio.end, end * this.hop);
    const y = this.audio.view(a, b).slice();
    const r = y.length > 0 ? this.decoder.decodeAtRate(y, a / this.decoder.sampleRate) : EMPTY;
    this.u = this.fresh(end);
    this.audio.dropBefore(end * this.hop);
    return r;
  }

  /** Brings the utterance's first pass up to its last frame (rebuilding when its statistics moved). */
  private advance(): void {
    const u = this.u;
    if (!this.hasSpeech() || u.raw.length === u.consumed) return;
    const speech = u.speech;
    if (!u.loop || u.top > u.builtTop + 3 || speech >= 2 * u.builtSpeech) {
      const { loop, stats: { mean, std, silence } } = this.decoder.search(this.matrix(0));
      u.loop = loop;
      u.stats = { mean, std, silence };
      u.builtTop = u.top;
      u.builtSpeech = speech;
    } else {
      const X = this.decoder.acoustics.normalise(this.matrix(u.consumed), u.stats!.mean, u.stats!.std);
      u.loop.advance(this.decoder.emissions(X, u.stats!.silence), X.rows);
    }
    u.consumed = u.raw.length;
  }

  /** The utterance's raw frames from index `from` as one matrix. */
  private matrix(from: number): Matrix {
    const rows = this.u.raw.slice(from), D = rows[0]!.length;
    const data = new Float32Array(rows.length * D);
    rows.forEach((r, i) => data.set(r, i * D));
    return { data, rows: rows.length, cols: D };
  }

  private partial(): DigitsResult {
    const u = this.u;
    if (!u.loop) return EMPTY;
    return this.decoder.result(u.loop.settled(), (u.start * this.hop) / this.decoder.sampleRate);
  }
}
