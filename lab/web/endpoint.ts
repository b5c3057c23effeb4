/**
 * Endpointing for the microphone: finds one utterance in a live stream and says when to stop.
 * Pure (no DOM, no audio APIs), so Node tests drive it with synthetic signals.
 *
 * The stream is cut into 20 ms frames, each given its RMS level in dBFS. Speech is a frame above
 * max(noise floor + 12 dB, −55 dBFS). The floor starts at −67 dBFS and follows the quietest frame
 * down at once, and rises by at most 6 dB/s: a noisy room (−45 dBFS) is learnt in ~2 s, while a
 * voice already speaking when the recording starts never becomes the floor. The states:
 *   arming    until 200 ms in a row are quiet: an utterance already under way when the recording
 *             starts (someone talking, or a looping test file) is skipped, never cut in half;
 *   waiting   for 40 ms of speech in a row: the onset;
 *   speech    until 400 ms in a row are quiet again: the automatic stop.
 * The utterance kept runs from 200 ms before the onset to 150 ms after the last speech frame.
 * Limits: nothing heard for `silenceTimeoutS` (default 5 s) ends the recording as "silent" (or as
 * "noisy" if it never went quiet); an utterance still going after `maxSpeechS` (default 10 s)
 * ends it as "too long".
 *
 * @module
 */

export interface EndpointOptions {
  sampleRate: number;
  /** Give up when no utterance has started after this long, s (default 5). */
  silenceTimeoutS?: number;
  /** Give up when an utterance is still going after this long, s (default 10). */
  maxSpeechS?: number;
}

export type EndpointOutcome =
  | { kind: 'utterance'; samples: Float32Array; startS: number; endS: number; peakDb: number }
  | { kind: 'silent'; afterS: number; peakDb: number }
  | { kind: 'noisy'; afterS: number; floorDb: number }
  | { kind: 'too-long'; afterS: number };

export type EndpointState = 'arming' | 'waiting' | 'speech' | 'done';

export const FRAME_S = 0.02;
const ARM_S = 0.2;
const ONSET_S = 0.04;
const HANGOVER_S = 0.4;
const PREROLL_S = 0.2;
const POSTROLL_S = 0.15;
const MIN_THRESHOLD_DB = -55;
const MARGIN_DB = 12;
const FLOOR_RISE_DB_PER_S = 6;

/** Level of a block in dBFS (−200 for digital silence). */
export function levelDb(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  const rms = Math.sqrt(s / Math.max(1, to - from));
  return rms > 1e-10 ? 20 * Math.log10(rms) : -200;
}

export class Endpointer {
  readonly sampleRate: number;
  readonly frame: number;
  state: EndpointState = 'arming';
  /** Set once the state is 'done'. */
  outcome: EndpointOutcome | null = null;
  /** Level of the latest frame and the current speech threshold, dBFS (for a level meter). */
  lastDb = -200;
  thresholdDb = MIN_THRESHOLD_DB;

  private readonly silenceTimeout: number;
  private readonly maxSpeech: number;
  private buf: Float32Array;
  private len = 0;
  /** Frames analysed so far; the partial frame waits in buf. */
  private frames = 0;
  private floorDb = MIN_THRESHOLD_DB - MARGIN_DB;
  private quietRun = 0;
  private loudRun = 0;
  private onsetFrame = -1;
  private lastSpeechFrame = -1;
  private peakDb = -200;

  constructor(o: EndpointOptions) {
    if (!(o.sampleRate > 0)) throw new Error(`sampleRate=${o.sampleRate} must be > 0`);
    this.sampleRate = o.sampleRate;
    this.frame = Math.max(1, Math.round(FRAME_S * o.sampleRate));
    this.silenceTimeout = o.silenceTimeoutS ?? 5;
    this.maxSpeech = o.maxSpeechS ?? 10;
    this.buf = new Float32Array(Math.ceil(o.sampleRate * 2));
  }

  /** Seconds of audio seen so far. */
  get seconds(): number {
    return this.len / this.sampleRate;
  }

  /** Feeds the next block of samples; returns the state after it. */
  push(block: Float32Array): EndpointState {
    if (this.state === 'done') return this.state;
    this.append(block);
    while ((this.frames + 1) * this.frame <= this.len && this.outcome === null) this.step();
    return this.state;
  }

  /**
   * The user pressed stop: keeps the utterance so far if one started, else reports silence (or
   * noise).
   */
  stop(): EndpointOutcome {
    if (this.outcome) return this.outcome;
    if (this.state === 'speech') this.finish(this.lastSpeechFrame);
    else if (this.peakDb >= this.thresholdDb && this.state === 'arming') this.end({ kind: 'noisy', afterS: this.seconds, floorDb: this.floorDb });
    else this.end({ kind: 'silent', afterS: this.seconds, peakDb: this.peakDb });
    return this.outcome!;
  }

  private append(block: Float32Array): void {
    if (this.len + block.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.buf.length * 2, this.len + block.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(block, this.len);
    this.len += block.length;
  }

  private step(): void {
    const f = this.frames++;
    const db = levelDb(this.buf, f * this.frame, (f + 1) * this.frame);
    this.lastDb = db;
    this.floorDb = Math.min(this.floorDb + FLOOR_RISE_DB_PER_S * FRAME_S, db);
    this.thresholdDb = Math.max(this.floorDb + MARGIN_DB, MIN_THRESHOLD_DB);
    const loud = db >= this.thresholdDb;
    if (db > this.peakDb) this.peakDb = db;
    if (loud) { this.loudRun++; this.quietRun = 0; } else { this.quietRun++; this.loudRun = 0; }
    const frames = (s: number) => Math.round(s / FRAME_S);
    const t = (f + 1) * FRAME_S;
    switch (this.state) {
      case 'arming':
        if (this.quietRun >= frames(ARM_S)) this.state = 'waiting';
        else if (t >= this.silenceTimeout) this.end({ kind: 'noisy', afterS: t, floorDb: this.floorDb });
        break;
      case 'waiting':
        if (this.loudRun >= frames(ONSET_S)) {
          this.onsetFrame = f - this.loudRun + 1;
          this.lastSpeechFrame = f;
          this.state = 'speech';
        } else if (t >= this.silenceTimeout) {
          this.end({ kind: 'silent', afterS: t, peakDb: this.peakDb });
        }
        break;
      case 'speech':
        if (loud) this.lastSpeechFrame = f;
        if (this.quietRun >= frames(HANGOVER_S)) this.finish(this.lastSpeechFrame);
        else if ((f - this.onsetFrame + 1) * FRAME_S > this.maxSpeech) this.end({ kind: 'too-long', afterS: t });
        break;
    }
  }

  private finish(lastSpeech: number): void {
    const start = Math.max(0, (this.onsetFrame - Math.round(PREROLL_S / FRAME_S)) * this.frame);
    const end = Math.min(this.len, (lastSpeech + 1 + Math.round(POSTROLL_S / FRAME_S)) * this.frame);
    const samples = this.buf.slice(start, end);
    this.end({ kind: 'utterance', samples, startS: start / this.sampleRate, endS: end / this.sampleRate, peakDb: levelPeakDb(samples) });
  }

  private end(o: EndpointOutcome): void {
    this.outcome = o;
    this.state = 'done';
  }
}

/** Peak sample level in dBFS. */
export function levelPeakDb(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m > 1e-10 ? 20 * Math.log10(m) : -200;
}

/**
 * The span of `y` whose frames are within `topDb` of the loudest frame (librosa.effects.trim's
 * rule, on frames of `frameLength` every `hopLength` samples, no centring): [start, end) in
 * samples. FSDD's recordings are cut this tight, so the models have seen almost no silence: the
 * pre- and post-roll the endpointer keeps around a microphone utterance (and digital silence
 * especially) would otherwise cost accuracy (HMM test accuracy 0.88 → 0.69 with 200 ms of zeros
 * before and 150 ms after; 0.86 once trimmed at 40 dB).
 */
export function speechSpan(y: Float32Array, frameLength: number, hopLength: number, topDb = 40): [number, number] {
  const n = y.length;
  if (n <= frameLength) return [0, n];
  const frames = Math.floor((n - frameLength) / hopLength) + 1;
  const power = new Float64Array(frames);
  let max = 0;
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let i = f * hopLength, e = i + frameLength; i < e; i++) s += y[i]! * y[i]!;
    power[f] = s / frameLength;
    if (power[f]! > max) max = power[f]!;
  }
  if (max === 0) return [0, n];
  const floor = max * 10 ** (-topDb / 10);
  let a = 0, b = frames - 1;
  while (power[a]! < floor) a++;
  while (power[b]! < floor) b--;
  return [a * hopLength, Math.min(n, b * hopLength + frameLength)];
}
