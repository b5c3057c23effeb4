/**
 * speechcore for browsers and any host without Node's built-ins: the shared public API
 * (bindings/api.ts) and nothing else, so bundlers resolve it with no `node:` import. The package's
 * `browser` export condition points here (dist/browser/index.js).
 *
 * Call `await init()` first: in a browser the engine is fetched and compiled with
 * `WebAssembly.compileStreaming` from the folder given (`init({ wasm: new URL('./wasm/', import.meta.url) })`,
 * serving speechcore.wasm and speechcore-scalar.wasm as application/wasm; the package exports them as
 * `speechcore/wasm/*`), or built from bytes the page already holds (`init({ wasm: bytes })`;
 * `speechcore/inline` does this with both builds inlined).
 *
 * The sequence models are a separate entry, `speechcore/nn` (TensorFlow.js is its optional peer).
 *
 * @module
 */
export * from './api.ts';
