/**
 * The one place that allocates wasm memory (STYLE §3). A bump arena over the engine's linear memory:
 * `persistent` carves out blocks that live as long as the engine (plans: FFT twiddles, windows,
 * mel and DCT bases); `scope(fn)` runs fn and then rewinds everything fn allocated, so a call's
 * scratch never outlives the call and the high-water mark stays flat across repeated calls.
 * Typed views are made on demand from `memory.buffer`, because growing memory detaches old views.
 */
import type { Ptr } from './abi.ts';

const PAGE = 65536;
const ALIGN = 16;

export class Arena {
  private top: number;
  private depth = 0;
  private heap: Float32Array | null = null;
  /** Largest `top` ever reached, in bytes: the arena's high-water mark. */
  highWater: number;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = align(base);
    this.highWater = this.top;
  }

  /** Allocates `bytes` (16-byte aligned) inside the current scope. */
  alloc(bytes: number): Ptr {
    if (this.depth === 0) throw new Error('internal: Arena.alloc outside a scope (use persistent for plans)');
    return this.bump(bytes);
  }

  /** Allocates a block that lives as long as the engine; only outside scopes, so it never rewinds. */
  persistent(bytes: number): Ptr {
    if (this.depth !== 0) throw new Error('internal: Arena.persistent inside a scope; build plans before the scope');
    return this.bump(bytes);
  }

  /** Runs fn with a fresh scope; every alloc made inside is released when fn returns or throws. */
  scope<R>(fn: () => R): R {
    const mark = this.top;
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      this.top = mark;
    }
  }

  /** Copies a Float32Array into a new scoped block and returns its pointer. */
  f32In(src: ArrayLike<number>): Ptr {
    const p = this.alloc(src.length * 4);
    this.f32(p, src.length).set(src);
    return p;
  }

  /** Copies f64 values into a new scoped block and returns its pointer. */
  f64In(src: ArrayLike<number>): Ptr {
    const p = this.alloc(src.length * 8);
    this.f64(p, src.length).set(src);
    return p;
  }

  /** A Float64Array view of n doubles at p (8-byte aligned: every block is 16-aligned). */
  f64(p: Ptr, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, p, n);
  }

  /** A Float32Array view of n floats at p. Valid until the next allocation. */
  f32(p: Ptr, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, p, n);
  }

  /**
   * A Float32Array over all of memory (index = byte address / 4), kept between calls and renewed
   * when memory grows: for per-frame code, where a new view per access costs more than the work.
   * Valid until the next allocation.
   */
  heapF32(): Float32Array {
    const b = this.memory.buffer;
    if (this.heap?.buffer !== b) this.heap = new Float32Array(b);
    return this.heap;
  }

  /** An Int32Array view of n ints at p. Valid until the next allocation. */
  i32(p: Ptr, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, p, n);
  }

  private bump(bytes: number): Ptr {
    const p = this.top;
    const end = align(p + Math.max(bytes, 0));
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least half again, so a sequence of growing inputs grows memory O(log n) times.
      const need = Math.ceil((end - have) / PAGE);
      const more = Math.max(need, Math.ceil(have / PAGE / 2));
      try {
        this.memory.grow(more);
      } catch {
        this.memory.grow(need); // the 4 GiB limit or a browser cap: take exactly what is needed
      }
    }
    this.top = end;
    if (end > this.highWater) this.highWater = end;
    return p as Ptr;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN; // not bit ops: offsets may pass 2^31
}
