/**
 * Whole-folder feature extraction: read → decodeWav → MFCC (+ Δ, ΔΔ), on the calling thread or
 * in worker threads with one wasm engine each. This is the lab's front end (MFCC 13, 240/120 at
 * 8 kHz) and the benchmark's "whole FSDD" job.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { decodeWav } from '../audio/wav.ts';
import { mfcc, mfccWithDeltas } from '../features/mfcc.ts';
import { checkInt } from '../features/options.ts';
import type { Engine } from '../engine.ts';

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
  /** Worker threads; 1 (default) runs on the calling thread. */
  workers?: number;
  /** Called after each file with (done, total). */
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
    const wav = decodeWav(readFileSync(path), { file: path });
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

/** Worker script next to this module: dist/extract-worker.js, or the .ts source under tsx. */
function workerUrl(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./extract-worker.ts', here), execArgv: ['--import', 'tsx'] };
  return { url: new URL('./extract-worker.js', here), execArgv: [] };
}

/**
 * Extracts every file, in `workers` threads (one engine each) fed from a shared queue in chunks,
 * results in input order.
 */
export async function extractFiles(paths: readonly string[], options: ExtractOptions = {}): Promise<{ results: ExtractedFile[]; stats: ExtractStats }> {
  const o = resolveExtract(options);
  const workers = Math.min(checkInt('workers', options.workers ?? 1, 1), Math.max(1, paths.length));
  const start = performance.now();
  let done = 0;
  const tick = () => options.onProgress?.(++done, paths.length);
  if (workers === 1) {
    const r = extractHere(paths, o, tick);
    return { results: r.results, stats: stats(r.results, 1, r.secondsDecode, r.secondsFeatures, start) };
  }
  const results: ExtractedFile[] = new Array(paths.length);
  const chunk = Math.max(1, Math.min(64, Math.ceil(paths.length / (workers * 8))));
  let next = 0, secondsDecode = 0, secondsFeatures = 0;
  const { url, execArgv } = workerUrl();
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(url, { execArgv, workerData: o });
    const feed = () => {
      if (next >= paths.length) { w.postMessage(null); return; }
      const from = next;
      next = Math.min(paths.length, next + chunk);
      w.postMessage({ from, paths: paths.slice(from, next) });
    };
    w.on('message', (m: { kind: 'file' } | { kind: 'chunk'; from: number; results: ExtractedFile[]; secondsDecode: number; secondsFeatures: number } | { kind: 'error'; message: string; name: string }) => {
      if (m.kind === 'file') tick();
      else if (m.kind === 'chunk') {
        m.results.forEach((r, i) => { results[m.from + i] = r; });
        secondsDecode += m.secondsDecode;
        secondsFeatures += m.secondsFeatures;
        feed();
      } else {
        const e = new Error(m.message);
        e.name = m.name;
        next = paths.length;
        w.terminate();
        reject(e);
      }
    });
    w.on('error', reject);
    w.on('exit', () => resolve());
    feed();
  })));
  return { results, stats: stats(results, workers, secondsDecode, secondsFeatures, start) };
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
