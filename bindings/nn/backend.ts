/**
 * The one place that loads TensorFlow.js (STYLE §15: only bindings/nn/ imports `@tensorflow/*`).
 *
 * tfjs (`@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-wasm`, optional peers of the package) is
 * imported lazily, on the first `initNn()`, so the rest of speechcore (and every CLI command
 * that trains nothing) never pays its ~1.5 s import. `initNn` sets the wasm backend once and checks
 * that it took: a wrong wasm path does not throw in tfjs, it logs and silently stays on the cpu
 * backend (js-peers.md, pitfalls), so we assert `tf.getBackend() === 'wasm'`.
 *
 * In Node the backend finds its `.wasm` files next to its own dist/ in node_modules; a browser page
 * passes `wasmPaths` (the folder it serves them from, trailing slash) or bundles them.
 *
 * @module
 */
import { unresolvable } from '../io/node.ts';

export type Tf = typeof import('@tensorflow/tfjs-core');

/** The optional peers `speechcore/nn` needs; named in the error when they are missing. */
export const NN_PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'] as const;

/** Thrown when TensorFlow.js is not installed: says which packages to install. */
export class MissingPeerError extends Error {
  override name = 'MissingPeerError';
}

const notFound = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string };
  return err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to resolve module/i.test(err?.message ?? '');
};

/**
 * Throws MissingPeerError at import time of `speechcore/nn` when a peer cannot be resolved, so the
 * one clear message comes before any model is built. Only Node can resolve without loading (in a
 * browser the bundler has already resolved, or failed to resolve, the peers).
 */
export function assertPeers(): void {
  const missing = unresolvable(NN_PEERS);
  if (missing.length) throw new MissingPeerError(`speechcore/nn needs TensorFlow.js, an optional peer dependency: npm install ${NN_PEERS.join(' ')} (missing: ${missing.join(', ')})`);
}

declare const __SPEECHCORE_LAYOUT__: 'node' | 'browser' | undefined;

let gradients: Promise<void> | null = null;

/**
 * Registers tfjs-core's gradients, once, unless something already has (gradients.ts says why they
 * may be missing). Training calls it; inference never needs them. The layout the build defines
 * keeps one branch per bundle: the Node copy beside dist/, tfjs-core's own module in bundlers, and
 * the built copy for sources under tsx.
 */
export function ensureGradients(): Promise<void> {
  const core = getTf();
  if (core.getGradient('RealDiv')) return Promise.resolve();
  gradients ??= (async () => {
    if (typeof __SPEECHCORE_LAYOUT__ !== 'undefined' && __SPEECHCORE_LAYOUT__ === 'node') {
      await import(new URL('./tfjs-gradients.js', import.meta.url).href);
    } else if (typeof __SPEECHCORE_LAYOUT__ !== 'undefined' && __SPEECHCORE_LAYOUT__ === 'browser') {
      await import('./gradients.ts');
    } else {
      await import(new URL('../../dist/tfjs-gradients.js', import.meta.url).href);
    }
  })();
  gradients.catch(() => { gradients = null; });
  return gradients;
}

/** Imports one peer, turning "not found" into the one error that names both packages. */
async function importPeer<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (!notFound(e)) throw e;
    throw new MissingPeerError(`speechcore/nn needs TensorFlow.js, an optional peer dependency: npm install ${NN_PEERS.join(' ')} (${(e as Error).message.split('\n')[0]})`);
  }
}

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
      const core = await importPeer(() => import('@tensorflow/tfjs-core'));
      const wasm = await importPeer(() => import('@tensorflow/tfjs-backend-wasm'));
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
