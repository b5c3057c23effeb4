/**
 * The browser engine with both wasm builds inlined (dist/browser/inline.js, `speechcore/inline`): one entry,
 * no second request and no application/wasm MIME type needed, at the price of base64 in the
 * bundle. `init()` and `createEngine()` pick the SIMD or the scalar bytes as the fetched loader would.
 *
 * @module
 */
import simdBytes from '../build/speechcore.wasm';
import scalarBytes from '../build/speechcore-scalar.wasm';
import { createEngine as createFrom, hostHasSimd, init as initFrom, type Engine, type EngineOptions } from './browser.ts';

export * from './browser.ts';

function withBytes(options: EngineOptions): EngineOptions {
  const simd = options.simd !== false && hostHasSimd();
  return { ...options, simd, wasm: options.wasm ?? (simd ? simdBytes : scalarBytes) };
}

/** Loads the default engine from the inlined bytes (or `options.wasm` if given); idempotent. */
export function init(options: EngineOptions = {}): Promise<Engine> {
  return initFrom(withBytes(options));
}

/** An independent engine from the inlined bytes (or `options.wasm` if given). */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createFrom(withBytes(options));
}
