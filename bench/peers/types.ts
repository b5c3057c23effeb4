/**
 * Uniform interfaces for benchmark peers (third-party or reference
 * implementations timed side by side with the speechcore engine).
 *
 * @module
 */

/** One prepared real-FFT plan of a fixed size, with the peer's own buffers. */
export interface RealFftInstance {
  /**
   * One forward real transform of {@link input} into the peer's own output
   * buffer. Allocation-free and repeatable: the input is never overwritten,
   * so the timing loop may call it any number of times on the same data.
   */
  run(): void;
  /**
   * The time-domain input, length n (samples, float32). Write it before
   * calling {@link run}; it may be a view into a wasm heap, so re-read this
   * property rather than keeping the array across other peers' prepare calls.
   */
  readonly input: Float32Array;
  /**
   * Power spectrum of the last {@link run}: |X_k|^2 for k = 0..n/2
   * (length n/2 + 1, unnormalised forward DFT, numpy.fft.rfft scaling).
   * Allocates; for correctness checks only, never inside a timing loop.
   */
  output(): Float32Array;
  /** Release the peer's buffers/plan. The instance is unusable afterwards. */
  dispose(): void;
}

/** A real-input FFT implementation that can be prepared for several sizes. */
export interface RealFftPeer {
  /** Short display name, e.g. "pffft-wasm simd". */
  readonly name: string;
  /** Whether {@link prepare} accepts size n (never crashes the peer to find out). */
  supports(n: number): boolean;
  /** Plan a size-n transform; throws RangeError when `supports(n)` is false. */
  prepare(n: number): RealFftInstance;
}

/**
 * A full-utterance MFCC pipeline with the fixture configuration:
 * n_fft 240, hop 120, centre zero padding, 128 mels, 13 coefficients.
 */
export interface MfccPeer {
  /** Short display name. */
  readonly name: string;
  /** One-off setup (wasm instantiation, tables). Call once before {@link mfcc}. */
  init(): Promise<void>;
  /**
   * MFCCs of a whole utterance.
   * @param samples mono signal, float32, nominally in [-1, 1]
   * @param sr sample rate in Hz (filterbanks are rebuilt when it changes)
   * @returns frames × 13, frame-major (`out[t * 13 + c]`), with
   *   frames = 1 + floor(samples.length / 120)
   */
  mfcc(samples: Float32Array, sr: number): Float32Array;
}
