/**
 * Worker threads for the HMM jobs: MFCC extraction and (configuration, digit) fits. Each worker
 * instantiates the compiled wasm module this thread posts (no recompilation), extracts its share of
 * the features, and receives the standardised train/val frames once, in a SharedArrayBuffer all
 * workers read. Jobs are fed from one queue to whichever worker is free.
 *
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { checkInt } from '../features/options.ts';
import { NumericalError } from '../errors.ts';
import { getEngine, type Engine } from '../engine.ts';
import type { ExtractedFile, ResolvedExtract } from './extract.ts';
import type { DigitResult, HmmConfig } from './hmm-fit.ts';
import type { PackedSet } from './packed-set.ts';
import { spawnWorker } from './spawn.ts';

/** What a fit job gives: its result, or why it failed and how long it ran. */
export type JobOutcome = DigitResult | { failed: string; seconds: number };

/** A (configuration, digit) job. */
export interface FitJob {
  id: number;
  config: HmmConfig;
  digit: number;
}

/** Messages hmm-worker.ts receives. */
export type HmmWorkerRequest =
  | { kind: 'extract'; id: number; paths: string[]; options: ResolvedExtract }
  | { kind: 'data'; train: PackedSet; val: PackedSet }
  | { kind: 'fit'; job: FitJob }
  | null;

/** Messages hmm-worker.ts sends. */
export type HmmWorkerReply =
  | { kind: 'ready' }
  | { kind: 'extracted'; id: number; results: ExtractedFile[] }
  | { kind: 'fitted'; id: number; result: DigitResult }
  | { kind: 'failed'; id: number; name: string; message: string; seconds: number }
  | { kind: 'error'; name: string; message: string };

function spawn(module: WebAssembly.Module, simd: boolean): Worker {
  return spawnWorker('hmm-worker', { module, simd });
}

/**
 * Worker threads for extraction and (configuration, digit) fits, each with its own instance of
 * this thread's compiled wasm module. One job at a time per pool.
 */
export class HmmPool {
  private data: { train: PackedSet; val: PackedSet } | null = null;

  private constructor(private readonly workers: Worker[], readonly simd: boolean) {}

  /** Starts `size` workers and resolves when each has loaded its engine. */
  static async create(size: number, engine: Engine = getEngine()): Promise<HmmPool> {
    checkInt('workers', size, 1);
    const workers = Array.from({ length: size }, () => spawn(engine.module, engine.simd));
    try {
      await Promise.all(workers.map((w) => new Promise<void>((res, rej) => {
        w.once('message', (m: HmmWorkerReply) => {
          w.off('error', rej);
          if (m.kind === 'ready') res();
          else rej(new Error(`hmm worker failed to start: ${m.kind === 'error' ? m.message : m.kind}`));
        });
        w.once('error', rej);
      })));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new HmmPool(workers, engine.simd);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs tasks from a queue on every worker: `next()` gives the next message (or undefined when
   * the queue is dry), `onReply` takes each reply. Rejects on the first worker crash or 'error' reply.
   */
  private drain(next: () => HmmWorkerRequest | undefined, onReply: (m: HmmWorkerReply) => void): Promise<void> {
    let stop = false;
    return Promise.all(this.workers.map((w) => new Promise<void>((res, rej) => {
      const finish = (e?: Error) => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (e) { stop = true; rej(e); } else res();
      };
      const feed = () => {
        const m = stop ? undefined : next();
        if (!m) { finish(); return; }
        w.postMessage(m);
      };
      const onMessage = (m: HmmWorkerReply) => {
        if (m.kind === 'error') {
          const e = new Error(m.message);
          e.name = m.name;
          finish(e);
          return;
        }
        try { onReply(m); } catch (e) { finish(e as Error); return; }
        feed();
      };
      const onError = (e: Error) => finish(e);
      const onExit = (code: number) => finish(new Error(`hmm worker exited with code ${code}`));
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      feed();
    }))).then(() => undefined);
  }

  /** MFCC of every file, in input order, spread over the workers in chunks. */
  async extract(paths: readonly string[], options: ResolvedExtract, onProgress?: (done: number, total: number) => void): Promise<ExtractedFile[]> {
    const results: ExtractedFile[] = new Array(paths.length);
    const chunk = Math.max(1, Math.min(64, Math.ceil(paths.length / (this.workers.length * 8))));
    let next = 0, done = 0;
    await this.drain(() => {
      if (next >= paths.length) return undefined;
      const id = next;
      next = Math.min(paths.length, next + chunk);
      return { kind: 'extract', id, paths: paths.slice(id, next), options };
    }, (m) => {
      if (m.kind !== 'extracted') return;
      m.results.forEach((r, i) => { results[m.id + i] = r; });
      done += m.results.length;
      onProgress?.(done, paths.length);
    });
    return results;
  }

  /** Gives every worker the standardised train and val sets (shared memory: no copy per worker). */
  setData(train: PackedSet, val: PackedSet): void {
    for (const w of this.workers) w.postMessage({ kind: 'data', train, val } satisfies HmmWorkerRequest);
    this.data = { train, val };
  }

  /** True when the workers hold exactly these sets (setData was called with them). */
  holds(train: PackedSet, val: PackedSet): boolean {
    return this.data?.train === train && this.data.val === val;
  }

  /**
   * Runs fit jobs, in the given order, on whichever worker is free; `onDone` sees every outcome.
   * A queued job for which `skip` returns true when its turn comes is not run (`onSkip` is told),
   * e.g. the rest of a configuration that already failed.
   */
  async fit(jobs: readonly FitJob[], o: { onDone: (job: FitJob, r: JobOutcome) => void; skip?: (job: FitJob) => boolean; onSkip?: (job: FitJob) => void }): Promise<void> {
    if (!this.data) throw new Error('HmmPool.fit: call setData first');
    let next = 0;
    const byId = new Map(jobs.map((j) => [j.id, j]));
    await this.drain(() => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        if (o.skip?.(job)) { o.onSkip?.(job); continue; }
        return { kind: 'fit', job };
      }
      return undefined;
    }, (m) => {
      if (m.kind === 'fitted') o.onDone(byId.get(m.id)!, m.result);
      else if (m.kind === 'failed') o.onDone(byId.get(m.id)!, { failed: `${m.name}: ${m.message}`, seconds: m.seconds });
    });
  }

  /**
   * Fits one model per digit with one configuration on `train` (scoring `val`), the digits spread
   * over the workers: the DigitFitter `trainRecognizer` takes (a bound property, so
   * `{ fit: pool.fitDigits }` works).
   * @throws NumericalError naming the first digit that failed.
   */
  readonly fitDigits = async (train: PackedSet, val: PackedSet, config: HmmConfig, digits: readonly number[]): Promise<DigitResult[]> => {
    this.setData(train, val);
    const results: DigitResult[] = [];
    let failure: string | null = null;
    await this.fit(digits.map((digit, id) => ({ id, config, digit })), {
      onDone: (job, r) => { if ('failed' in r) failure ??= `digit ${job.digit}: ${r.failed}`; else results.push(r); },
    });
    if (failure) throw new NumericalError(failure);
    return results;
  };

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
