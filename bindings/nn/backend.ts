/**
 * The one place that loads TensorFlow.js (STYLE §15: only bindings/nn/ imports `@tensorflow/*`).
 *
 * tfjs is imported lazily, on the first `initNn()`, so the rest of speechcore (and every CLI command
 * that trains nothing) never pays its ~1.5 s import. `initNn` sets the wasm backend once and checks
 * that it took: a wrong wasm path does not throw in tfjs, it logs and silently stays on the cpu
 * backend (js-peers.md, pitfalls), so we assert `tf.getBackend() === 'wasm'`.
 *
 * In Node the backend finds its `.wasm` files next to its own dist/ in node_modules; a browser page
 * passes `wasmPaths` (the folder it serves them from, trailing slash) or bundles them.
 *
 * @module
 */

export type Tf = typeof import('@tensorflow/tfjs');

let tf: Tf | null = null;
let loading: Promise<Tf> | null = null;

export interface NnInitOptions {
  /** Folder (URL or path prefix, trailing slash) holding tfjs-backend-wasm's .wasm files; Node does not need it. */
  wasmPaths?: string;
}

/** Loads tfjs and its wasm backend; idempotent. Resolves to the tfjs namespace. */
export function initNn(options: NnInitOptions = {}): Promise<Tf> {
  if (tf) return Promise.resolve(tf);
  if (!loading) {
    loading = (async () => {
      const core = await import('@tensorflow/tfjs');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
      const ok = await core.setBackend('wasm');
      await core.ready();
      if (!ok || core.getBackend() !== 'wasm') {
        throw new Error(`tfjs wasm backend did not initialise (backend is '${core.getBackend()}'); check wasmPaths`);
      }
      tf = core;
      return core;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

/** The tfjs namespace after `initNn()` resolved; throws a clear error before. */
export function getTf(): Tf {
  if (!tf) throw new Error('speechcore nn: call `await initNn()` before using sequence models');
  return tf;
}
