// @echogarden/pffft-wasm ships no typings; only what the peers use is declared.
// Pointers are byte offsets into the instance's memory (HEAPF32.buffer).

declare module '@echogarden/pffft-wasm' {
  /** An instantiated Emscripten module (one wasm instance, one heap). */
  export interface PffftModule {
    /**
     * View of the whole heap. Replaced (old view detached) whenever the heap
     * grows, i.e. possibly on any malloc: re-read it after allocating.
     */
    HEAPF32: Float32Array;
    /** @param transform 0 = PFFFT_REAL, 1 = PFFFT_COMPLEX. @returns setup pointer, 0 if N is not decomposable */
    _pffft_new_setup(n: number, transform: number): number;
    _pffft_destroy_setup(setup: number): void;
    /** @param direction 0 = forward, 1 = backward (unscaled) */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
    /** 16-byte aligned allocation (SIMD loads need it). */
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_aligned_free(ptr: number): void;
    /** 4 in the SIMD build, 1 in the scalar build. */
    _pffft_simd_size(): number;
  }
  const PFFFT: (moduleArg?: object) => Promise<PffftModule>;
  export default PFFFT;
}

declare module '@echogarden/pffft-wasm/simd' {
  import type { PffftModule } from '@echogarden/pffft-wasm';
  const PFFFT: (moduleArg?: object) => Promise<PffftModule>;
  export default PFFFT;
}
