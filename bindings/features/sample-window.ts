/**
 * The recent stretch of a stream of samples, what every stream keeps between chunks: samples
 * [start, end) by absolute index, appended at the end and dropped from the front. The storage
 * grows geometrically and is reused, so a stream that drops what it no longer needs stays at a
 * constant size.
 *
 * @module
 */

export class SampleWindow {
  private buf: Float32Array;
  private first = 0;
  private last = 0;

  /** @param capacity initial storage, samples (it grows as needed). */
  constructor(capacity = 1024) {
    this.buf = new Float32Array(capacity);
  }

  /** Absolute index of the oldest sample kept. */
  get start(): number { return this.first; }

  /** Absolute index one past the newest sample: the count of samples ever appended. */
  get end(): number { return this.last; }

  /** Samples kept. */
  get length(): number { return this.last - this.first; }

  /** Appends samples after the newest. */
  append(chunk: Float32Array): void {
    const kept = this.last - this.first;
    if (kept + chunk.length > this.buf.length) {
      const grown = new Float32Array(Math.max(2 * this.buf.length, kept + chunk.length));
      grown.set(this.buf.subarray(0, kept));
      this.buf = grown;
    }
    this.buf.set(chunk, kept);
    this.last += chunk.length;
  }

  /** Drops every sample before absolute index i (clamped to what is kept). */
  dropBefore(i: number): void {
    const from = Math.min(Math.max(i, this.first), this.last);
    if (from === this.first) return;
    this.buf.copyWithin(0, from - this.first, this.last - this.first);
    this.first = from;
  }

  /** The sample at absolute index i (start ≤ i < end). */
  at(i: number): number {
    return this.buf[i - this.first]!;
  }

  /** Samples [from, to) by absolute index, a view valid until the next append or drop. */
  view(from: number, to: number): Float32Array {
    return this.buf.subarray(from - this.first, to - this.first);
  }
}
