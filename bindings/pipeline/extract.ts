/**
 * Whole-folder feature extraction: read → decodeWav → MFCC (+ Δ, ΔΔ), on the calling thread or
 * in a pool of worker threads with one wasm instance each. This is the lab's front end (MFCC 13,
 * 240/120 at 8 kHz) and the benchmark's "whole FSDD" job.
 */
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { decodeWav } from '../audio/wav.ts';
import { mfcc, mfccWithDeltas } from '../features/mfcc.ts';
import { checkInt, checkNumber } from '../features/options.ts';
import { getEngine, type Engine } from '../engine.ts';
import { spawnWorker } from './spawn.ts';

export interface ExtractOptions {
  /** Cepstral coefficients per frame (default 13). */
  nMfcc?: number;
  /** Append Δ and ΔΔ (librosa.feature.delta, width 9): 3·nMfcc features per frame (default false). */
  deltas?: boolean;
  /** FFT size in samples (default 240: 30 ms at 8 kHz). */
  nFft?: number;
  /** Hop in samples (default 120: 15 ms at 8 kHz). */
  hopLength?: number;
  /** Mel bands (default 128). */
  nMels?: number;
  /** Resample every file to this rate, Hz, before the features (default null: each file's own rate). */
  sampleRate?: number | null;
  /** Worker threads; 1 (default) runs on the calling thread. */
  workers?: number;
  /** Called as files complete with (done, total); from a pool, once per chunk of files. */
  onProgress?: (done: number, total: number) => void;
}

/** One file's features: data is frame-major [frames][dims]. */
export interface ExtractedFile {
  path: string;
  sampleRate: number;
  frames: number;
  dims: number;
  data: Float32Array;
}

/** Timing of a run, seconds. Decode and feature seconds are summed over threads; total is wall time. */
export interface ExtractStats {
  files: number;
  frames: number;
  workers: number;
  secondsDecode: number;
  secondsFeatures: number;
  secondsTotal: number;
}

export type ResolvedExtract = Required<Omit<ExtractOptions, 'onProgress' | 'workers'>>;

/** Validated options with the lab's defaults. */
export function resolveExtract(o: ExtractOptions): ResolvedExtract {
  return {
    nMfcc: checkInt('nMfcc', o.nMfcc ?? 13, 1),
    deltas: o.deltas ?? false,
    nFft: checkInt('nFft', o.nFft ?? 240, 2),
    hopLength: checkInt('hopLength', o.hopLength ?? 120, 1),
    nMels: checkInt('nMels', o.nMels ?? 128, 1),
    sampleRate: o.sampleRate == null ? null : checkNumber('sampleRate', o.sampleRate, 0, Infinity, true),
  };
}

/** MFCC (+ Δ, ΔΔ side by side) of one decoded signal: [frames][nMfcc·(1|3)]. */
export function featuresOf(samples: Float32Array, sr: number, o: ResolvedExtract, engine?: Engine): { data: Float32Array; frames: number; dims: number } {
  const opts = { sr, nMfcc: o.nMfcc, nFft: o.nFft, hopLength: o.hopLength, nMels: o.nMels, engine };
  const m = o.deltas ? mfccWithDeltas(samples, opts) : mfcc(samples, opts);
  return { data: m.data, frames: m.rows, dims: m.cols };
}

/** Extracts a list of files on this thread; also the body of each worker. */
export function extractHere(paths: readonly string[], o: ResolvedExtract, onFile?: () => void, engine?: Engine):
  { results: ExtractedFile[]; secondsDecode: number; secondsFeatures: number } {
  const results: ExtractedFile[] = [];
  let secondsDecode = 0, secondsFeatures = 0;
  for (const path of paths) {
    const t0 = performance.now();
    const wav = decodeWav(readFileSync(path), { file: path, sr: o.sampleRate ?? undefined });
    const t1 = performance.now();
    const f = featuresOf(wav.samples, wav.sampleRate, o, engine);
    const t2 = performance.now();
    secondsDecode += (t1 - t0) / 1000;
    secondsFeatures += (t2 - t1) / 1000;
    results.push({ path, sampleRate: wav.sampleRate, ...f });
    onFile?.();
  }
  return { results, secondsDecode, secondsFeatures };
}

/** Messages a worker sends (extract-worker.ts). */
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'chunk'; from: number; results: ExtractedFile[]; secondsDecode: number; secondsFeatures: number }
  | { kind: 'error'; name: string; message: string };

/** Messages a worker receives: a chunk of paths (with the job's options), or null to exit. */
export type WorkerRequest = { from: number; paths: string[]; options: ResolvedExtract } | null;

function spawn(module: WebAssembly.Module, simd: boolean): Worker {
  return spawnWorker('extract-worker', { module, simd });
}

/**
 * A pool of extraction workers, each with its own instance of this thread's compiled wasm module
 * (posted, not recompiled). Keep one alive across jobs: a worker costs tens of ms to start and
 * its JIT warms up on the first files.
 */
export class ExtractPool {
  private busy = false;

  private constructor(private readonly workers: Worker[]) {}

  /** Starts `size` workers and resolves when each has loaded its engine. */
  static async create(size: number): Promise<ExtractPool> {
    checkInt('workers', size, 1);
    const engine = getEngine();
    const workers = Array.from({ length: size }, () => spawn(engine.module, engine.simd));
    try {
      await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
        const onMessage = (m: WorkerReply) => {
          w.off('error', reject);
          if (m.kind === 'ready') resolve();
          else reject(new Error(`extract worker failed to start: ${m.kind === 'error' ? m.message : m.kind}`));
        };
        w.once('message', onMessage);
        w.once('error', reject);
      })));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new ExtractPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Extracts every file; results in input order. One job at a time per pool. */
  async run(paths: readonly string[], options: ExtractOptions = {}): Promise<{ results: ExtractedFile[]; stats: ExtractStats }> {
    if (this.busy) throw new Error('ExtractPool.run: a job is already running on this pool');
    const o = resolveExtract(options);
    this.busy = true;
    const start = performance.now();
    const results: ExtractedFile[] = new Array(paths.length);
    const chunk = Math.max(1, Math.min(64, Math.ceil(paths.length / (this.workers.length * 8))));
    let next = 0, done = 0, secondsDecode = 0, secondsFeatures = 0;
    try {
      await Promise.all(this.workers.map((w) => new Promise<void>((resolve, reject) => {
        const feed = () => {
          if (next >= paths.length) {
            w.off('message', onMessage);
            w.off('error', onError);
            resolve();
            return;
          }
          const from = next;
          next = Math.min(paths.length, next + chunk);
          w.postMessage({ from, paths: paths.slice(from, next), options: o } satisfies WorkerRequest);
        };
        const onMessage = (m: WorkerReply) => {
          if (m.kind === 'chunk') {
            m.results.forEach((r, i) => { results[m.from + i] = r; });
            secondsDecode += m.secondsDecode;
            secondsFeatures += m.secondsFeatures;
            done += m.results.length;
            options.onProgress?.(done, paths.length);
            feed();
          } else if (m.kind === 'error') {
            next = paths.length; // stop handing out work; other workers finish their chunk
            const e = new Error(m.message);
            e.name = m.name;
            reject(e);
          }
        };
        const onError = (e: Error) => { next = paths.length; reject(e); };
        w.on('message', onMessage);
        w.on('error', onError);
        feed();
      })));
    } finally {
      this.busy = false;
    }
    return { results, stats: stats(results, this.workers.length, secondsDecode, secondsFeatures, start) };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Extracts every file, on this thread (workers 1) or in a fresh pool of `workers` threads fed from
 * a shared queue; results in input order. The pool's start-up is included in secondsTotal.
 */
export async function extractFiles(paths: readonly string[], options: ExtractOptions = {}): Promise<{ results: ExtractedFile[]; stats: ExtractStats }> {
  const o = resolveExtract(options);
  const workers = Math.min(checkInt('workers', options.workers ?? 1, 1), Math.max(1, paths.length));
  const start = performance.now();
  if (workers === 1) {
    let done = 0;
    const r = extractHere(paths, o, () => options.onProgress?.(++done, paths.length));
    return { results: r.results, stats: stats(r.results, 1, r.secondsDecode, r.secondsFeatures, start) };
  }
  const pool = await ExtractPool.create(workers);
  try {
    const r = await pool.run(paths, options);
    return { results: r.results, stats: { ...r.stats, secondsTotal: (performance.now() - start) / 1000 } };
  } finally {
    await pool.close();
  }
}

function stats(results: ExtractedFile[], workers: number, secondsDecode: number, secondsFeatures: number, start: number): ExtractStats {
  return {
    files: results.length,
    frames: results.reduce((s, r) => s + r.frames, 0),
    workers,
    secondsDecode,
    secondsFeatures,
    secondsTotal: (performance.now() - start) / 1000,
  };
}
