/**
 * Streaming MFCC and MFSC: audio in chunks of any size, frames out as soon as they are determined,
 * the way Kaldi's online feature pipeline hands out frames (AcceptWaveform / NumFramesReady). With
 * `topDb: null` the frames equal the batch `mfcc` / `mfccWithDeltas` / `mfsc` of the whole signal,
 * bit for bit: the spectrogram kernel computes every frame on its own (assembly/dsp/stft.ts), and
 * the deltas here repeat the delta kernel's f32 arithmetic.
 *
 * When a frame is determined (the lookahead, in samples after its centre t·hop):
 * - the spectral frame needs the window's right half: nFft − nFft/2 − 1 samples past its centre
 *   (center=true; with center=false, the whole window), and 'reflect' padding waits for sample
 *   nFft/2 before the first frame;
 * - with deltas, a frame also waits for the `width/2` frames after it (4 with the default width 9),
 *   and the first frames wait until `width` frames exist (the Savitzky-Golay 'interp' edge fits
 *   the first `width` frames), so the lookahead is the window's right half + 4 hops;
 * - the last frames (those reaching into the end padding) come out of `flush`.
 *
 * `topDb` (power_to_db's clip below max − topDb, default 80 as in `mfcc`): batch clips against the
 * maximum of the whole signal, which a stream does not know yet. The stream clips each frame
 * against the running maximum: the largest log-mel value of every frame computed so far, that
 * frame included. Frames after the loudest one are clipped exactly as in batch; frames before it
 * can keep values batch would raise to the floor: on all of FSDD, 2.9 % of MFCC + Δ + ΔΔ frames
 * differ by more than 1e-4 (`speechcore bench streaming`).
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { Ptr } from '../abi.ts';
import { frameCount, resolveFraming, type Framing } from './stft.ts';
import { melPlan } from './mel.ts';
import { dctPlan, type DctPlan } from './dct.ts';
import { prepareDelta, resolveDelta, savgolCoefficients } from './delta.ts';
import { resolveDb } from './db.ts';
import { checkInt, checkSamples } from './options.ts';
import { SampleWindow } from './sample-window.ts';
import type { MfccOptions } from './mfcc.ts';
import type { MelSpectrogramOptions } from './mel.ts';
import type { PowerToDbOptions } from './db.ts';

/** The data of every empty result (zero-length: nothing to share by mistake), saving an allocation per push. */
const NO_DATA = new Float32Array(0);

/**
 * Where results live: views into blocks of 16384 floats that are handed out once and never
 * written again. A new Float32Array above 64 bytes is an off-heap allocation, microseconds each
 * (2 µs measured in Node 20 here), which a stream would pay for every frame; a view costs ~50 ns.
 * A result keeps its block alive while referenced; its `data.buffer` is the block's.
 */
class FramePool {
  private block = NO_DATA;
  private at = 0;

  take(n: number): Float32Array {
    if (this.at + n > this.block.length) {
      this.block = new Float32Array(Math.max(n, 1 << 14));
      this.at = 0;
    }
    this.at += n;
    return this.block.subarray(this.at - n, this.at);
  }
}

/** A stream of feature frames [frames][cols] from audio pushed in chunks. */
export interface FeatureStream {
  /**
   * Feeds the next chunk (mono samples at the stream's rate; any length, 0 included) and returns
   * the frames it completed, [k][cols] with k ≥ 0. `data` is a view into a block the stream
   * allocates 64 KB at a time and never reuses: `data.slice()` it before transferring a buffer.
   * @throws ParameterError for non-finite samples, or once the stream is flushed
   */
  push(chunk: Float32Array): Matrix;
  /** Ends the signal and returns the remaining frames (the end padding's). A second flush returns none. */
  flush(): Matrix;
  /** Features per frame. */
  readonly cols: number;
  /** Frames returned so far. */
  readonly frames: number;
  /** Samples pushed so far. */
  readonly samples: number;
  /**
   * Samples needed after a frame's centre (t·hopLength) before push returns it. With deltas the
   * first width/2 frames wait longer (for frame width − 1), and with 'reflect' padding frame 0
   * also waits for sample nFft/2 (see the module doc).
   */
  readonly lookahead: number;
}

/** Options of `createMfccStream`: `mfcc`'s plus deltas (and their width) and power_to_db's topDb. */
export type MfccStreamOptions = Omit<MfccOptions, 'S'> & {
  /** Append Δ and ΔΔ as `mfccWithDeltas` does ([frames][3·nMfcc]); default false. */
  deltas?: boolean;
  /** Savitzky-Golay window of the deltas, odd ≥ 3 (default 9). */
  width?: number;
  /** Clip below (running max − topDb); null: no clip, frames equal batch exactly. Default 80. */
  topDb?: number | null;
};

/**
 * A streaming `mfcc` (or `mfccWithDeltas` with `deltas: true`): push chunks, get the frames they
 * complete; flush for the rest. With topDb null the concatenated frames equal the batch result
 * on the whole signal; with a topDb, each frame is clipped against the running maximum (module
 * doc). Lookahead: the window's right half, plus width/2 hops with deltas.
 * @example
 * const s = createMfccStream({ sr: 16000, nMfcc: 13, nFft: 400, hopLength: 160, deltas: true, topDb: null });
 * for (const chunk of chunks) use(s.push(chunk)); // [k][39] each
 * use(s.flush());
 */
export function createMfccStream(options: MfccStreamOptions): FeatureStream {
  const nMfcc = checkInt('nMfcc', options.nMfcc ?? 20, 1);
  const melOptions = { ...options, norm: options.melNorm };
  const logMel = new LogMelStream(melOptions, melOptions, 'melNorm', options.nMels ?? 128);
  if (nMfcc > logMel.nMels) throw new ParameterError(`nMfcc=${nMfcc} must be <= nMels=${logMel.nMels}`);
  logMel.withDct(dctPlan(logMel.f.engine, logMel.nMels, nMfcc, options), nMfcc);
  if (!options.deltas) return logMel;
  return new DeltaStream(logMel, nMfcc, resolveDelta(options).width);
}

/**
 * A streaming `mfsc` (log mel energies, power_to_db of the mel spectrogram; nMels default 13 as
 * `mfsc`): the same push/flush contract and topDb rule as `createMfccStream`, without the DCT.
 */
export function createMfscStream(options: MelSpectrogramOptions & PowerToDbOptions): FeatureStream {
  return new LogMelStream(options, options, 'norm', options.nMels ?? 13);
}

/** Frames of log-mel dB from chunks: the spectral half of every stream. */
class LogMelStream implements FeatureStream {
  readonly f: Framing;
  readonly nMels: number;
  readonly cols: number;
  readonly lookahead: number;
  private readonly mel: ReturnType<typeof melPlan>;
  private readonly pad: number;
  private readonly topDb: number | null;
  private readonly amin: number;
  private readonly workBytes: number;
  private readonly pool = new FramePool();
  /** Samples kept: from the first any later frame (or the end's reflection) needs. */
  private readonly raw = new SampleWindow();
  private done = 0;
  private top = -Infinity;
  private ended = false;

  /** Optional DCT applied inside the same arena scope (then frames are cepstra, `cols` wide). */
  private dct: { plan: DctPlan; nOut: number } | null = null;

  constructor(o: MelSpectrogramOptions & PowerToDbOptions, melOptions: MelSpectrogramOptions, normName: string, nMels: number) {
    this.f = resolveFraming(o, { nFft: 2048, hop: 512 });
    if ((o.power ?? 2) !== 2) throw new ParameterError(`power=${o.power} must be 2 for log-mel features`);
    this.mel = melPlan(this.f.engine, { ...melOptions, nMels, nFft: this.f.nFft }, normName);
    this.nMels = this.cols = this.mel.nMels;
    const db = resolveDb(o);
    if (db.ref !== 1) throw new ParameterError(`ref=${String(o.ref)}: streams support ref 1 only (the maximum of a stream is not known)`);
    this.topDb = db.topDb;
    this.amin = db.amin;
    this.pad = this.f.center ? this.f.nFft >> 1 : 0;
    this.workBytes = this.f.engine.exports.spectrogramWorkBytes(this.f.nFft, this.nMels);
    this.lookahead = this.f.nFft - this.pad - 1;
  }

  get frames(): number { return this.done; }
  get samples(): number { return this.raw.end; }

  /** Makes the stream return DCT(log-mel) frames, nOut wide (the cepstral stream's first half). */
  withDct(plan: DctPlan, nOut: number): this {
    this.dct = { plan, nOut };
    (this as { cols: number }).cols = nOut;
    return this;
  }

  push(chunk: Float32Array): Matrix {
    this.accept(chunk);
    const { nFft, hop } = this.f;
    // Frame t is complete once padded sample t·hop + nFft − 1 has arrived; reflect padding also
    // needs sample `pad` (the mirror of the first frame's left edge).
    const n = this.raw.end;
    let ready = n + this.pad >= nFft ? Math.floor((n + this.pad - nFft) / hop) + 1 : 0;
    if (this.f.center && this.f.padMode === 'reflect' && n < this.pad + 1) ready = 0;
    return this.frameRange(ready);
  }

  flush(): Matrix {
    if (this.ended) return this.none();
    this.ended = true;
    if (this.raw.end === 0) return this.none();
    return this.frameRange(frameCount(this.raw.end, this.f));
  }

  /** No frames (most pushes: a 128-sample chunk completes a frame one time in ~1.25 at 16 kHz). */
  private none(): Matrix {
    return { data: NO_DATA, rows: 0, cols: this.cols };
  }

  private accept(chunk: Float32Array): void {
    if (this.ended) throw new ParameterError('push after flush: the stream has ended (create a new one for the next signal)');
    checkSamples(chunk, 'chunk', (i) => ` (sample ${this.raw.end + i} of the stream)`);
    this.raw.append(chunk);
  }

  /** Sample at absolute index i of the padded-by-convention signal (i < 0 or ≥ n: the padding). */
  private sample(i: number): number {
    const n = this.raw.end;
    if (i >= 0 && i < n) return this.raw.at(i);
    if (this.f.padMode === 'constant' || !this.f.center) return 0;
    // numpy 'reflect', repeated for pads longer than the signal; one sample: edge.
    if (n === 1) return this.raw.at(0);
    const period = 2 * (n - 1);
    let r = i % period;
    if (r < 0) r += period;
    return this.raw.at(r >= n ? period - r : r);
  }

  /** Computes frames [done, end) and drops samples no later frame (or the end's reflection) needs. */
  private frameRange(end: number): Matrix {
    const count = end - this.done;
    if (count <= 0) return this.none();
    const { engine, nFft, hop } = this.f;
    const { arena, exports } = engine;
    const first = this.done * hop - this.pad; // absolute index of the segment's first sample
    const len = (count - 1) * hop + nFft;
    const nMels = this.nMels, cols = this.cols;
    const out = this.pool.take(count * cols);
    arena.scope(() => {
      const seg = arena.alloc(len * 4);
      const o = arena.alloc(count * nMels * 4);
      const work = arena.alloc(this.workBytes);
      const c = this.dct ? arena.alloc(count * cols * 4) : o;
      const window = this.f.window ?? arena.f32In(this.f.windowValues!);
      // One view of memory for the copies in and out (a view per frame costs more than the frame).
      const heap = arena.heapF32();
      const s0 = seg >> 2;
      const inside0 = Math.max(0, -first), inside1 = Math.min(len, this.raw.end - first);
      for (let j = 0; j < inside0; j++) heap[s0 + j] = this.sample(first + j);
      if (inside1 > inside0) heap.set(this.raw.view(first + inside0, first + inside1), s0 + inside0);
      for (let j = Math.max(inside1, inside0); j < len; j++) heap[s0 + j] = this.sample(first + j);
      exports.spectrogram(this.f.fft, this.mel.ptr, nMels, seg, count, hop, window, 2, this.amin, work, o);
      if (this.topDb !== null) {
        // The running maximum, frame by frame (the module doc's rule).
        let top = this.top;
        for (let t = 0, p = o >> 2; t < count; t++, p += nMels) {
          for (let j = 0; j < nMels; j++) if (heap[p + j]! > top) top = heap[p + j]!;
          const floor = Math.fround(top - this.topDb);
          for (let j = 0; j < nMels; j++) if (heap[p + j]! < floor) heap[p + j] = floor;
        }
        this.top = top;
      }
      if (this.dct) this.dct.plan.apply(o, count, c, cols);
      out.set(heap.subarray(c >> 2, (c >> 2) + out.length));
    });
    this.done = end;
    // Keep what frame `done` needs, and the pad + 1 last samples that reflect padding mirrors.
    this.raw.dropBefore(Math.min(this.done * hop - this.pad, this.raw.end - 1 - this.pad));
    return { data: out, rows: count, cols: this.cols };
  }
}

/**
 * Δ and ΔΔ beside the cepstra of a stream. Interior rows are computed here with the kernel's own
 * f32 arithmetic (savgolFrames: products and sums rounded to f32, taps in order), so they are
 * bit-equal to batch; rows within width/2 of an end take the nearest full window's value, as
 * savgol_filter's 'interp' mode does; a signal with fewer frames than the width goes through the
 * kernel at flush (its window shrinks, as batch's does).
 */
class DeltaStream implements FeatureStream {
  readonly cols: number;
  readonly lookahead: number;
  /** Cepstra from frame cepStart on ([k][nMfcc]), kept while a later row's window needs them. */
  private cep = new Float32Array(0);
  private cepStart = 0;
  private cepCount = 0;
  private done = 0;
  private readonly half: number;
  private readonly c1: Float32Array;
  private readonly c2: Float32Array;
  /** Rows of sums (Δ, ΔΔ), f32 so that every += rounds as the kernel's does. */
  private readonly acc1: Float32Array;
  private readonly acc2: Float32Array;
  private readonly pool = new FramePool();

  constructor(private readonly cepstra: LogMelStream, private readonly nMfcc: number, private readonly width: number) {
    this.cols = 3 * nMfcc;
    this.half = (width - 1) / 2;
    this.lookahead = cepstra.lookahead + this.half * cepstra.f.hop;
    this.c1 = Float32Array.from(savgolCoefficients(width, 1));
    this.c2 = Float32Array.from(savgolCoefficients(width, 2));
    this.acc1 = new Float32Array(nMfcc);
    this.acc2 = new Float32Array(nMfcc);
  }

  get frames(): number { return this.done; }
  get samples(): number { return this.cepstra.samples; }

  push(chunk: Float32Array): Matrix {
    this.append(this.cepstra.push(chunk));
    const total = this.cepStart + this.cepCount;
    // Row t needs rows up to t + half; the first rows need the first full window (width rows).
    return this.rows(total >= this.width ? total - this.half : 0, total, false);
  }

  flush(): Matrix {
    this.append(this.cepstra.flush());
    const total = this.cepStart + this.cepCount;
    if (total < this.width && this.done === 0 && total > 0) return this.shortSignal(total);
    return this.rows(total, total, true);
  }

  private append(c: Matrix): void {
    if (c.rows === 0) return;
    const D = this.nMfcc;
    const need = (this.cepCount + c.rows) * D;
    if (need > this.cep.length) {
      const grown = new Float32Array(Math.max(need, 2 * this.cep.length));
      grown.set(this.cep.subarray(0, this.cepCount * D));
      this.cep = grown;
    }
    this.cep.set(c.data, this.cepCount * D);
    this.cepCount += c.rows;
  }

  /** Rows [done, end) of [cepstra, Δ, ΔΔ]; `total` frames exist, and `final` when no more will. */
  private rows(end: number, total: number, final: boolean): Matrix {
    const D = this.nMfcc, cols = this.cols, h = this.half;
    const count = end - this.done;
    if (count <= 0) return { data: NO_DATA, rows: 0, cols };
    const out = this.pool.take(count * cols);
    for (let t = this.done; t < end; t++) {
      const o = (t - this.done) * cols;
      for (let d = 0, from = (t - this.cepStart) * D; d < D; d++) out[o + d] = this.cep[from + d]!;
      // 'interp': rows before the first full window take its value, rows after the last take the last's.
      const centre = t < h ? h : final && t > total - 1 - h ? total - 1 - h : t;
      this.savgol(centre, out, o + D);
    }
    this.done = end;
    const keepFrom = Math.max(this.cepStart, Math.min(this.done, total - this.width) - h);
    if (keepFrom > this.cepStart) {
      this.cep.copyWithin(0, (keepFrom - this.cepStart) * D, this.cepCount * D);
      this.cepCount -= keepFrom - this.cepStart;
      this.cepStart = keepFrom;
    }
    return { data: out, rows: count, cols };
  }

  /**
   * out[at..at+D) = Σ_k c1[k]·cep[centre + k − half] and the same with c2 at at+D.., each in the
   * kernel's f32 order (the f32 rows round every sum as the kernel's registers do).
   */
  private savgol(centre: number, out: Float32Array, at: number): void {
    const D = this.nMfcc, cep = this.cep, c1 = this.c1, c2 = this.c2, a1 = this.acc1, a2 = this.acc2;
    const base = (centre - this.half - this.cepStart) * D;
    a1.fill(0);
    a2.fill(0);
    for (let k = 0; k < c1.length; k++) {
      const k1 = c1[k]!, k2 = c2[k]!, row = base + k * D;
      for (let d = 0; d < D; d++) {
        const x = cep[row + d]!;
        a1[d] += Math.fround(k1 * x);
        a2[d] += Math.fround(k2 * x);
      }
    }
    out.set(a1, at);
    out.set(a2, at + D);
  }

  /** Fewer frames than the width: the kernel with the shrunken window, as batch. */
  private shortSignal(T: number): Matrix {
    const D = this.nMfcc, cols = this.cols;
    const { engine } = this.cepstra.f;
    const { arena } = engine;
    const d1 = prepareDelta(engine, T, { width: this.width, order: 1 });
    const d2 = prepareDelta(engine, T, { width: this.width, order: 2 });
    const data = arena.scope(() => {
      const block = arena.alloc(T * cols * 4);
      const v = arena.f32(block, T * cols);
      for (let t = 0; t < T; t++) v.set(this.cep.subarray(t * D, (t + 1) * D), t * cols);
      d1(block, D, cols, (block + D * 4) as Ptr, cols);
      d2(block, D, cols, (block + 2 * D * 4) as Ptr, cols);
      return arena.f32(block, T * cols).slice();
    });
    this.done = T;
    return { data, rows: T, cols };
  }
}
