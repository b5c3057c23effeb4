// ABI facts the bindings check at load (bindings/abi.ts mirrors them); bump ABI_VERSION whenever
// an exported kernel's signature or a plan layout changes.
export const ABI_VERSION: i32 = 6;

/** ABI version of this build. */
export function abiVersion(): i32 { return ABI_VERSION; }

/** 1 when this build uses f32x4 SIMD, 0 for the scalar build. */
export function simdEnabled(): i32 { return ASC_FEATURE_SIMD ? 1 : 0; }

/** First byte past the static data: the bindings' arena starts here (16-byte aligned by them). */
export function heapBase(): usize { return __heap_base; }
