/**
 * pffft (via @echogarden/pffft-wasm) as real-FFT peers: the SIMD and the
 * scalar wasm builds, each a separate wasm instance.
 *
 * @module
 */
import type { PffftModule } from '@echogarden/pffft-wasm';
import { is235Smooth } from './common.ts';
import type { RealFftInstance, RealFftPeer } from './types.ts';

const PFFFT_REAL = 0;
const PFFFT_FORWARD = 0;

/** Which wasm build: `simd` needs N % 32 == 0, `scalar` only N even. */
export type PffftBuild = 'simd' | 'scalar';

/**
 * Real-transform sizes a build accepts. Must be checked *before* calling
 * into wasm: in the SIMD build an unsupported N (e.g. 240, 400) trips an
 * assert in pffft_new_setup, which aborts and permanently kills the instance.
 * The SIMD real transform factors N/4 over {4,2,3,5} and needs N % 32 == 0,
 * hence N/32 must be 2,3,5-smooth; the scalar build factors N itself.
 */
export function pffftSupports(build: PffftBuild, n: number): boolean {
  if (!Number.isInteger(n) || n <= 0) return false;
  return build === 'simd' ? n % 32 === 0 && is235Smooth(n / 32) : n % 2 === 0 && is235Smooth(n);
}

/** Instantiate a fresh wasm instance of the given build. */
export async function loadPffft(build: PffftBuild): Promise<PffftModule> {
  const factory =
    build === 'simd'
      ? (await import('@echogarden/pffft-wasm/simd')).default
      : (await import('@echogarden/pffft-wasm')).default;
  return factory();
}

/** A size-n forward real FFT plan with heap buffers (input, output, work). */
export interface PffftRealPlan {
  /** Transform size, in samples. */
  readonly n: number;
  /** Float index (not byte offset) of the n-sample input in `module.HEAPF32`. */
  readonly inIndex: number;
  /**
   * Float index of the n-float ordered output in `module.HEAPF32`:
   * [X0.re, X(n/2).re, X1.re, X1.im, …, X(n/2−1).re, X(n/2−1).im].
   */
  readonly outIndex: number;
  /** One forward transform input → output; allocation-free. */
  readonly run: () => void;
  /** Free the buffers and the setup. */
  dispose(): void;
}

/**
 * Create a plan on an existing instance. The caller must have checked
 * {@link pffftSupports}; a NULL setup (non-SIMD build, bad N) still throws.
 */
export function createPffftRealPlan(m: PffftModule, n: number): PffftRealPlan {
  const setup = m._pffft_new_setup(n, PFFFT_REAL);
  if (setup === 0) throw new RangeError(`pffft: real size ${n} not supported`);
  const bytes = n * 4;
  const inPtr = m._pffft_aligned_malloc(bytes);
  const outPtr = m._pffft_aligned_malloc(bytes);
  // An explicit work buffer keeps pffft from using a stack VLA per call.
  const workPtr = m._pffft_aligned_malloc(bytes);
  // Emscripten exports start as lazy JS thunks that replace themselves with
  // the raw wasm function on first call; call once so the captured reference
  // below is the raw export, not the thunk.
  m._pffft_transform_ordered(setup, inPtr, outPtr, workPtr, PFFFT_FORWARD);
  const transform = m._pffft_transform_ordered;
  let disposed = false;
  return {
    n,
    inIndex: inPtr >> 2,
    outIndex: outPtr >> 2,
    run: () => transform(setup, inPtr, outPtr, workPtr, PFFFT_FORWARD),
    dispose() {
      if (disposed) return;
      disposed = true;
      m._pffft_aligned_free(workPtr);
      m._pffft_aligned_free(outPtr);
      m._pffft_aligned_free(inPtr);
      m._pffft_destroy_setup(setup);
    },
  };
}

/**
 * Power spectrum |X_k|², k = 0..n/2, from pffft's ordered real layout
 * starting at `heap[outIndex]`, into `p` (a new array unless given: the MFCC peer reuses one).
 */
export function pffftOrderedPower<P extends Float32Array | Float64Array = Float32Array>(
  heap: Float32Array, outIndex: number, n: number, p: P = new Float32Array((n >> 1) + 1) as P,
): P {
  const half = n >> 1;
  const dc = heap[outIndex];
  const nyq = heap[outIndex + 1];
  p[0] = dc * dc;
  p[half] = nyq * nyq;
  for (let k = 1; k < half; k++) {
    const re = heap[outIndex + 2 * k];
    const im = heap[outIndex + 2 * k + 1];
    p[k] = re * re + im * im;
  }
  return p;
}

function makePeer(name: string, build: PffftBuild, m: PffftModule): RealFftPeer {
  return {
    name,
    supports: (n) => pffftSupports(build, n),
    prepare(n): RealFftInstance {
      if (!pffftSupports(build, n)) throw new RangeError(`${name}: size ${n} not supported`);
      const plan = createPffftRealPlan(m, n);
      // A later malloc (another prepare on this instance) may grow the heap and
      // detach this view, so it is rebuilt lazily when that happened.
      let view = m.HEAPF32.subarray(plan.inIndex, plan.inIndex + n);
      return {
        run: plan.run,
        get input() {
          if (view.buffer !== m.HEAPF32.buffer) view = m.HEAPF32.subarray(plan.inIndex, plan.inIndex + n);
          return view;
        },
        output: () => pffftOrderedPower(m.HEAPF32, plan.outIndex, n),
        dispose: () => plan.dispose(),
      };
    },
  };
}

/**
 * pffft SIMD build (wasm simd128). One wasm instance per call; every
 * `prepare` mallocs on it and `dispose` frees. Supports N % 32 == 0 with
 * N/32 2,3,5-smooth (so not 240 or 400).
 */
export async function pffftSimd(): Promise<RealFftPeer> {
  return makePeer('pffft-wasm simd', 'simd', await loadPffft('simd'));
}

/**
 * pffft scalar (non-SIMD) build. One wasm instance per call. Supports even,
 * 2,3,5-smooth N (240 and 400 included).
 */
export async function pffftScalar(): Promise<RealFftPeer> {
  return makePeer('pffft-wasm non-simd', 'scalar', await loadPffft('scalar'));
}
