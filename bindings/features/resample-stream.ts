/**
 * Streaming resampling: the Kaiser polyphase filter of resample.ts ('kaiser_best' / 'kaiser_fast',
 * same table, same kernel resamplePoly) fed chunk by chunk, e.g. 128-sample AudioWorklet blocks
 * from a 44.1/48 kHz microphone going to 8/16 kHz, or socket chunks of any size.
 *
 * Batch resample() centres its output grid on the input's span, which needs the total length n;
 * a stream does not know n, so its grid is anchored at the start instead: output sample k sits at
 * (k + ½)/targetSr seconds, input sample i at (i + ½)/origSr. For an exact ratio origSr/targetSr =
 * P/Q (reduced) output k is at input position (2kP + P − Q)/(2Q), i.e. batch's A = Q(n − 1) − (m − 1)P
 * fixed at P − Q. The two grids are the same (and, for exact ratios, so are the bits) whenever
 * n·targetSr/origSr is an integer; otherwise the stream's samples sit up to half an output sample
 * earlier than batch's.
 *
 * Memory: only the filter's history is kept (the 2·halfTaps input samples around the next output,
 * plus one), copied into an arena scope for each kernel call; the table is an engine plan.
 */
import { getEngine, type Engine } from '../engine.ts';
import type { ResampleTable } from '../abi.ts';
import { checkChoice, checkNumber, checkSamples } from './options.ts';
import { SampleWindow } from './sample-window.ts';
import { kaiserDesign, kaiserPhases, resampleGeometry, type KaiserDesign } from './resample.ts';
import { ParameterError } from '../errors.ts';

/** The filters a stream can use: resample()'s polyphase ones. */
export const STREAM_RES_TYPES = ['kaiser_best', 'kaiser_fast'] as const;
export type StreamResType = (typeof STREAM_RES_TYPES)[number];

export interface ResampleStreamOptions {
  /** Sampling rate of the pushed chunks, Hz > 0. */
  origSr: number;
  /** Wanted sampling rate, Hz > 0. */
  targetSr: number;
  /** The filter: 'kaiser_best' (default) or 'kaiser_fast' (see resample()). */
  resType?: StreamResType;
  /** The engine to run on (default: the shared one). */
  engine?: Engine;
}

export interface ResampleStream {
  /**
   * Feeds chunk [c] f32 (c ≥ 0, finite) and returns every output sample, f32 at targetSr, whose
   * filter support (halfTaps input samples past its position) has now arrived; possibly none.
   * Throws a ParameterError after flush().
   */
  push(chunk: Float32Array): Float32Array;
  /**
   * Ends the stream: returns the remaining output samples, the input taken as zero past its end
   * (as resample() does), so that all outputs number round(n·targetSr/origSr) for n pushed
   * samples; an empty array when called again.
   */
  flush(): Float32Array;
  /**
   * How far push() looks ahead, input samples: an output at input position p comes out once input
   * sample ⌊p⌋ + lookaheadSamples has been pushed (halfTaps of the filter; 0 when the rates are
   * equal). Divide by origSr for seconds.
   */
  readonly lookaheadSamples: number;
  /** Input samples held for outputs not yet returned (about 2·lookaheadSamples; 0 when the rates are equal). */
  readonly bufferedSamples: number;
}

/**
 * A stateful resampler from origSr to targetSr for audio that arrives in chunks: push() returns
 * what is ready, flush() the tail. Grid anchored at the start (see the module doc): equal to
 * resample(y, {origSr, targetSr, resType}) on the whole signal when n·targetSr/origSr is an
 * integer (bit for bit for exact ratios P/Q with Q ≤ 1024; within ~1e-7 for interpolated ones),
 * for every chunking. origSr === targetSr passes the samples through.
 * After flush() the outputs number round(n·targetSr/origSr) (halves up), resample()'s length for
 * n pushed samples. The anchored grid's natural count, the outputs whose time lies inside the
 * input's span, rounds halves down; where n·targetSr/origSr ends in exactly ½ the last output
 * therefore sits at the input's end, n/origSr, half a sample past the last input sample (batch's
 * edge outputs lean on the zero padding just as much).
 * Throws ParameterError for rates ≤ 0 or non-finite, a resType other than the two Kaiser ones,
 * a chunk that is not a Float32Array or holds a non-finite sample, and push() after flush().
 * Differs from resample(): a stream of n samples with round(n·targetSr/origSr) = 0 flushes to
 * nothing instead of throwing; 'sinc_hann' is not offered.
 * @example
 *   const s = createResampleStream({ origSr: 48000, targetSr: 16000 });
 *   port.onmessage = (e) => send(s.push(e.data)); // 128-sample blocks in, ~42 samples out
 *   send(s.flush());
 */
export function createResampleStream(options: ResampleStreamOptions): ResampleStream {
  const origSr = checkNumber('origSr', options?.origSr, 0, Infinity, true);
  const targetSr = checkNumber('targetSr', options?.targetSr, 0, Infinity, true);
  const resType = checkChoice('resType', options.resType ?? 'kaiser_best', STREAM_RES_TYPES);
  if (origSr === targetSr) return new PassThrough();
  return new KaiserStream(options.engine ?? getEngine(), origSr, targetSr, resType);
}

/** Equal rates: every chunk comes back as it went in (a copy), the tail is empty. */
class PassThrough implements ResampleStream {
  readonly lookaheadSamples = 0;
  readonly bufferedSamples = 0;
  private received = 0;
  private flushed = false;

  push(chunk: Float32Array): Float32Array {
    if (this.flushed) throw flushedError(this.received);
    checkSamples(chunk, 'chunk', (i) => ` (input sample ${this.received + i})`);
    this.received += chunk.length;
    return chunk.slice();
  }

  flush(): Float32Array {
    this.flushed = true;
    return new Float32Array(0);
  }
}

function flushedError(received: number): ParameterError {
  return new ParameterError(`push() on a flushed resample stream (${received} samples were pushed): create a new stream`);
}

/** Unequal rates: the polyphase kernel over a sliding history (module doc). */
class KaiserStream implements ResampleStream {
  readonly lookaheadSamples: number;
  private readonly design: KaiserDesign;
  private readonly table: ResampleTable;
  /** The kernel's phases per input sample, whether it blends rows, and its step between outputs (1/L samples). */
  private readonly L: number;
  private readonly interp: 0 | 1;
  private readonly du: number;
  /** The history: the input samples later outputs still need. */
  private readonly history: SampleWindow;
  /** Input samples pushed, output samples returned. */
  private received = 0;
  private emitted = 0;
  private flushed = false;

  constructor(private readonly engine: Engine, private readonly origSr: number, private readonly targetSr: number,
    resType: StreamResType) {
    const d = (this.design = kaiserDesign(origSr, targetSr, resType));
    this.lookaheadSamples = d.halfTaps;
    // With A = P − Q fixed, every output falls on the phases of P − Q's parity: one table for good.
    const phases = kaiserPhases(engine, d, resType, origSr, targetSr, d.ratio ? (d.ratio.P - d.ratio.Q) & 1 : 0);
    this.table = phases.table;
    this.L = phases.L;
    this.interp = phases.interp;
    this.du = d.ratio ? d.ratio.P : (origSr / targetSr) * phases.L;
    this.history = new SampleWindow(2 * d.taps + 256);
  }

  get bufferedSamples(): number {
    return this.history.length;
  }

  push(chunk: Float32Array): Float32Array {
    if (this.flushed) throw flushedError(this.received);
    checkSamples(chunk, 'chunk', (i) => ` (input sample ${this.received + i})`);
    this.received += chunk.length;
    if (chunk.length === 0) return new Float32Array(0);
    this.history.append(chunk);
    return this.run(null);
  }

  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    if (this.received === 0) return new Float32Array(0);
    // Batch's count, from batch's own formula: it rounds halves up where the anchored grid's
    // natural count (outputs whose time lies inside the input's span) would round them down.
    const total = resampleGeometry(this.received, this.origSr, this.targetSr).length;
    const out = this.run(Math.max(0, total - this.emitted));
    this.history.dropBefore(this.history.end);
    return out;
  }

  /** Position of output k relative to the oldest sample kept, in 1/L input samples, as the kernel takes it. */
  private u(k: number): number {
    const { ratio } = this.design;
    if (ratio) {
      // (2kP + P − Q)/(2Q) samples = ((P − Q − parity)/2 + kP)/Q + parity/(2Q): integers throughout.
      const A = ratio.P - ratio.Q;
      return (A - (A & 1)) / 2 + k * ratio.P - this.history.start * ratio.Q;
    }
    // Relative to base before scaling by L, so the phase keeps its precision however long the stream.
    return ((k + 0.5) * (this.origSr / this.targetSr) - 0.5 - this.history.start) * this.L;
  }

  /** The input sample the kernel puts at tap halfTaps − 1 for position u (its ⌊p⌋), relative to the oldest kept. */
  private sampleAt(u: number): number {
    return Math.floor(Math.floor(u) / this.L);
  }

  /**
   * Runs the kernel for the next `count` outputs, or (count null) for those whose support has
   * arrived, then drops the history no later output needs.
   */
  private run(count: number | null): Float32Array {
    const d = this.design;
    const u0 = this.u(this.emitted), du = this.du, W = d.halfTaps;
    let m = count ?? 0;
    // The kernel's own arithmetic (u0 + k·du), so it never reads a sample that has not arrived.
    if (count === null) while (this.sampleAt(u0 + m * du) + W < this.history.length) m++;
    const { arena } = this.engine;
    const out = m === 0 ? new Float32Array(0) : arena.scope(() => {
      const n = this.history.length;
      const x = arena.f32In(this.history.view(this.history.start, this.history.end));
      const y = arena.alloc(m * 4);
      this.engine.exports.resamplePoly(x, n, this.table, d.taps, this.L, W, u0, du, this.interp, y, m);
      return arena.f32(y, m).slice();
    });
    this.emitted += m;
    // The next output's first tap is ⌊p⌋ − W + 1; one more sample in case a new base shifts its
    // rounding (interpolated ratios).
    this.history.dropBefore(this.history.start + this.sampleAt(u0 + m * du) - W);
    return out;
  }
}
