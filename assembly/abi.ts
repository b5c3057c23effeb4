// ABI facts the bindings check at load (bindings/abi.ts mirrors them, bindings/engine.ts compares
// each getter below with its mirror); bump ABI_VERSION whenever an exported kernel's signature, a
// plan layout or one of these constants changes.
export const ABI_VERSION: i32 = 7;

/** padSignal modes (numpy.pad names): zeros, reflect without repeating the edge, repeat the edge. */
export const PAD_CONSTANT: i32 = 0;
export const PAD_REFLECT: i32 = 1;
export const PAD_EDGE: i32 = 2;

/** ABI version of this build. */
export function abiVersion(): i32 { return ABI_VERSION; }

/** PAD_CONSTANT, for the load-time check. */
export function padConstant(): i32 { return PAD_CONSTANT; }

/** PAD_REFLECT, for the load-time check. */
export function padReflect(): i32 { return PAD_REFLECT; }

/** PAD_EDGE, for the load-time check. */
export function padEdge(): i32 { return PAD_EDGE; }

/** 1 when this build uses f32x4 SIMD, 0 for the scalar build. */
export function simdEnabled(): i32 { return ASC_FEATURE_SIMD ? 1 : 0; }

/** First byte past the static data: the bindings' arena starts here (16-byte aligned by them). */
export function heapBase(): usize { return __heap_base; }
