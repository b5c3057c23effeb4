/**
 * Loads the kernels once per thread. Two builds sit in build/: speechcore.wasm (f32x4 SIMD) and
 * speechcore-scalar.wasm; the loader takes the SIMD one when the host validates a tiny SIMD module
 * (all current browsers and Node ≥ 16 do), else the scalar one. In Node the bytes come from disk
 * synchronously, so the feature functions work without `await init()`; browsers call `init()` first
 * (with `fetch` + instantiateStreaming, or bytes the page bundled).
 */
import { ABI_VERSION, MIRRORED, type Exports } from './abi.ts';
import { Arena } from './memory.ts';
import { ParameterError } from './errors.ts';

// (module (func (result v128) v128.const i64x2 0 0))
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);

/** True when this host can run the SIMD build. */
export function hostHasSimd(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

export interface EngineOptions {
  /** 'auto' (default): SIMD when the host supports it. false forces the scalar build. Env
   * SPEECHCORE_SIMD=0 forces scalar for the default engine too (benchmarks, tests). */
  simd?: boolean | 'auto';
  /** Where the .wasm files live (URL of the folder, trailing slash) or the bytes themselves. */
  wasm?: URL | string | BufferSource;
  /** An already compiled module (e.g. `engine.module` posted to a worker: no recompilation, and
   * V8 shares its optimised code between threads). Its build must match `simd`. */
  module?: WebAssembly.Module;
}

/** One loaded kernel instance, its memory arena and its plan cache. Not shared across threads. */
export class Engine {
  readonly arena: Arena;
  /** Plans keyed by their parameters (FFT size, window, mel and DCT bases): built once, kept. */
  readonly plans = new Map<string, number>();

  constructor(readonly exports: Exports, readonly simd: boolean, readonly module: WebAssembly.Module) {
    checkModule(exports, simd);
    this.arena = new Arena(exports.memory, exports.heapBase());
  }

  /** Returns the cached plan for `key`, building it (outside any scope) on first use. */
  plan(key: string, build: () => number): number {
    let p = this.plans.get(key);
    if (p === undefined) {
      p = build();
      this.plans.set(key, p);
    }
    return p;
  }
}

/**
 * The load-time ABI check: the module's ABI version, every constant bindings/abi.ts mirrors
 * (MIRRORED) and its SIMD flag against the build the loader meant to load. Throws naming the
 * constant and both values; the version comes first because it says the other getters exist.
 */
function checkModule(exports: Exports, simd: boolean): void {
  const abi = exports.abiVersion();
  if (abi !== ABI_VERSION) throw new Error(`speechcore wasm ABI ${abi} does not match bindings ABI ${ABI_VERSION}: rebuild (npm run build)`);
  for (const [name, getter, ours] of MIRRORED) {
    const theirs = typeof exports[getter] === 'function' ? exports[getter]() : 'missing';
    if (theirs !== ours) {
      throw new Error(`speechcore wasm ${name} is ${theirs} (${getter}()) but bindings/abi.ts has ${ours}: ` +
        'the mirror in bindings/abi.ts and assembly/abi.ts disagree; align them and bump ABI_VERSION');
    }
  }
  const built = exports.simdEnabled();
  if (built !== (simd ? 1 : 0)) {
    const [have, want] = simd ? ['scalar', 'SIMD'] : ['SIMD', 'scalar'];
    throw new Error(`speechcore wasm simdEnabled() is ${built} (the ${have} build) but the engine expected the ${want} ` +
      `build (simd: ${simd}): pass the ${want} build's module or bytes, or simd: ${!simd}`);
  }
}

let defaultEngine: Engine | null = null;

function wantSimd(opt: EngineOptions['simd']): boolean {
  const env = (globalThis as any).process?.env?.SPEECHCORE_SIMD;
  if (opt === false || (opt !== true && env === '0')) return false;
  if (opt === true && !hostHasSimd()) throw new ParameterError('simd=true but this host has no WebAssembly SIMD');
  return hostHasSimd();
}

function fileName(simd: boolean): string {
  return simd ? 'speechcore.wasm' : 'speechcore-scalar.wasm';
}

declare const __SPEECHCORE_LAYOUT__: 'node' | 'browser' | undefined;

const isNode = (): boolean => Boolean((globalThis as any).process?.versions?.node);

/**
 * The default wasm, written as literal `new URL('…', import.meta.url)` expressions so that bundlers
 * (Vite, webpack 5, Parcel) see them and emit the files as assets. scripts/build.js defines the
 * layout of each bundle, which keeps only its own pair: dist/wasm/ beside the Node bundles,
 * ../wasm/ from dist/browser/; sources under tsx read what asc wrote to build/.
 */
function defaultWasmUrl(simd: boolean): URL {
  if (typeof __SPEECHCORE_LAYOUT__ !== 'undefined' && __SPEECHCORE_LAYOUT__ === 'browser') {
    return simd ? new URL('../wasm/speechcore.wasm', import.meta.url) : new URL('../wasm/speechcore-scalar.wasm', import.meta.url);
  }
  if (typeof __SPEECHCORE_LAYOUT__ !== 'undefined' && __SPEECHCORE_LAYOUT__ === 'node') {
    return simd ? new URL('./wasm/speechcore.wasm', import.meta.url) : new URL('./wasm/speechcore-scalar.wasm', import.meta.url);
  }
  return simd ? new URL('../build/speechcore.wasm', import.meta.url) : new URL('../build/speechcore-scalar.wasm', import.meta.url);
}

/** The wasm file for `simd`: in the folder given, else the default. */
function wasmUrl(src: URL | string | undefined, simd: boolean): URL {
  return src === undefined ? defaultWasmUrl(simd) : new URL(fileName(simd), src);
}

/** Instantiates a module; without `simd` the module itself says which build it is. */
function instantiate(module: WebAssembly.Module, simd?: boolean): Engine {
  const instance = new WebAssembly.Instance(module, {
    env: { abort: () => { throw new Error('speechcore wasm abort'); } },
  });
  const exports = instance.exports as unknown as Exports;
  return new Engine(exports, simd ?? exports.simdEnabled() === 1, module);
}

/**
 * Creates an independent engine synchronously: from a compiled module or bytes, else from disk
 * (Node). In a browser, without module or bytes, it instantiates the default engine's compiled
 * module (so `await init()` first), which is what code written for Node (e.g. bindings/nn) needs.
 */
export function createEngineSync(options: EngineOptions = {}): Engine {
  if (options.module) return instantiate(options.module, typeof options.simd === 'boolean' ? options.simd : undefined);
  const simd = wantSimd(options.simd);
  const src = options.wasm;
  if (!isNode() && !(src instanceof ArrayBuffer || ArrayBuffer.isView(src))) {
    if (!defaultEngine || defaultEngine.simd !== simd) {
      throw new Error('speechcore: in a browser, createEngineSync needs `module` or wasm bytes, or `await init()` first');
    }
    return instantiate(defaultEngine.module, simd);
  }
  const bytes = readBytesSync(options.wasm, simd);
  return instantiate(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), simd);
}

/** Creates an independent engine (Node or browser). */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.module) return createEngineSync(options);
  const simd = wantSimd(options.simd);
  const src = options.wasm;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) {
    return instantiate(await WebAssembly.compile(src as BufferSource), simd);
  }
  const url = wasmUrl(src as URL | string | undefined, simd);
  if (url.protocol === 'file:' && isNode()) return createEngineSync(options);
  const response = fetch(url);
  const module = WebAssembly.compileStreaming
    ? await WebAssembly.compileStreaming(response)
    : await WebAssembly.compile(await (await response).arrayBuffer());
  return instantiate(module, simd);
}

/** Loads the default engine; idempotent. Browsers must await it before calling feature functions. */
export async function init(options: EngineOptions = {}): Promise<Engine> {
  if (!defaultEngine) defaultEngine = await createEngine(options);
  return defaultEngine;
}

/** The default engine, loaded synchronously on first use in Node. */
export function getEngine(): Engine {
  if (defaultEngine) return defaultEngine;
  if (!isNode()) {
    throw new Error('speechcore: call `await init()` before using the engine in a browser');
  }
  defaultEngine = createEngineSync();
  return defaultEngine;
}

function readBytesSync(src: EngineOptions['wasm'], simd: boolean): Uint8Array {
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  const fs = (globalThis as any).process.getBuiltinModule('fs');
  return fs.readFileSync(wasmUrl(src as URL | string | undefined, simd));
}
