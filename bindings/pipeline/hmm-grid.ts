/**
 * The lab's GMM-HMM recogniser as a job (MISSION steps 9–13): features of a split, one left-right
 * GmmHmm per digit for every (states × mixtures) configuration, selection on validation, one test.
 *
 * Work is cut into (configuration, digit) jobs — fit one digit model on its train sequences, then
 * score every validation utterance with it, forward and Viterbi — and fed largest-first from one
 * queue to a pool of worker threads (hmm-worker.ts). Each worker instantiates the compiled wasm
 * module this thread posts (no recompilation), extracts its share of the features, and receives the
 * standardised train/val frames once, in a SharedArrayBuffer all workers read. The CLI
 * (`speechcore hmm`), the bench and the tests all call the functions here.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { applySplit, listFsdd, loadSplit, resolveDataDir, type FsddUtterance } from '../audio/dataset.ts';
import { StandardScaler } from '../classic/scaler.ts';
import { accuracy, confusionMatrix } from '../classic/metrics.ts';
import { DatasetError, ModelFormatError, NumericalError, ParameterError } from '../errors.ts';
import { checkChoice, checkInt, checkNumber } from '../features/options.ts';
import { getEngine, type Engine } from '../engine.ts';
import { GmmHmm, prepareFrames, type Sequence } from '../hmm/model.ts';
import type { CovarianceType } from '../hmm/gmm.ts';
import { extractHere, resolveExtract, type ExtractedFile, type ResolvedExtract } from './extract.ts';
import { parseClassifier, resolveFeatures, type FeatureSettings, type LoadedClassifier } from './classifier-file.ts';
import { spawnWorker } from './spawn.ts';

// The model file format lives in classifier-file.ts (no Node imports: the browser page reads it too).
export {
  CLASSIFIER_SCHEMA, CLASSIFIER_VERSION, LAB_FEATURES, classifierFile, parseClassifier,
  type ClassifierFile, type FeatureSettings, type LoadedClassifier,
} from './classifier-file.ts';

// ---- features -------------------------------------------------------------------------------------

/**
 * A set of utterances packed frame-major: sequence i is frames starts[i] … starts[i+1]−1 of
 * data [ΣT][dims]. `data` may live in a SharedArrayBuffer (then views cost nothing in any thread).
 */
export interface PackedSet {
  data: Float32Array;
  starts: Int32Array;
  labels: Int32Array;
  dims: number;
  files: string[];
}

/** Per-sequence views of a packed set (no copies). */
export function sequencesOf(set: PackedSet): Sequence[] {
  const out: Sequence[] = [];
  for (let i = 0; i < set.labels.length; i++) {
    const a = set.starts[i]!, b = set.starts[i + 1]!;
    out.push({ data: set.data.subarray(a * set.dims, b * set.dims), rows: b - a, cols: set.dims });
  }
  return out;
}

/** Standardises and packs extracted files into one (optionally shared) buffer. */
function pack(files: readonly ExtractedFile[], utts: readonly FsddUtterance[], scaler: StandardScaler, shared: boolean): PackedSet {
  const dims = files[0]?.dims ?? 0;
  const starts = new Int32Array(files.length + 1);
  for (let i = 0; i < files.length; i++) starts[i + 1] = starts[i]! + files[i]!.frames;
  const n = starts[files.length]! * dims;
  const data = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  const mean = scaler.mean!, scale = scaler.scale!;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!, o = starts[i]! * dims;
    for (let k = 0; k < f.frames * dims; k++) data[o + k] = (f.data[k]! - mean[k % dims]!) / scale[k % dims]!;
  }
  return { data, starts, labels: Int32Array.from(utts, (u) => u.digit), dims, files: utts.map((u) => u.file) };
}

/**
 * The split file to use: `explicit` if given, else `fsdd-split.json` beside the dataset root
 * (`../shared/data/fsdd` → `../shared/data/fsdd-split.json`; a `recordings/` folder counts as its
 * root). Null when no explicit file is given and none exists there.
 */
export function findSplit(wavDir: string, explicit?: string): string | null {
  if (explicit) return resolve(explicit);
  const root = basename(wavDir) === 'recordings' ? dirname(wavDir) : wavDir;
  const candidate = join(dirname(root), 'fsdd-split.json');
  return existsSync(candidate) ? candidate : null;
}

export interface SplitFeatures {
  train: PackedSet;
  val: PackedSet;
  test: PackedSet;
  /** Fitted on the train frames only. */
  scaler: StandardScaler;
  features: FeatureSettings;
  sampleRate: number;
  /** Wall seconds of reading + decoding + MFCC. */
  seconds: number;
}

export interface LoadOptions {
  /** Dataset root or wav folder (resolveDataDir rules). */
  data?: string;
  /** Split file (default: findSplit). */
  split?: string;
  features?: Partial<FeatureSettings>;
  /** Extract in this pool (its workers); else on this thread. */
  pool?: HmmPool;
  /** Which subsets to extract (default all three); the others come back empty. */
  subsets?: readonly ('train' | 'val' | 'test')[];
  /** Use this scaler instead of fitting one on train (e.g. a saved model's). */
  scaler?: StandardScaler;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Features of the lab split: MFCC per file, a StandardScaler fitted on the train frames, every
 * subset standardised and packed (shared memory, ready for the pool).
 * @throws DatasetError when no split is given and none is found beside the data.
 */
export async function loadSplitFeatures(o: LoadOptions = {}): Promise<SplitFeatures> {
  const dir = resolveDataDir(o.data);
  const splitPath = findSplit(dir, o.split);
  if (!splitPath) throw new DatasetError(`no split file: pass --split (looked for ${join(dirname(basename(dir) === 'recordings' ? dirname(dir) : dir), 'fsdd-split.json')})`);
  const parts = applySplit(listFsdd(dir), loadSplit(splitPath));
  const features = resolveFeatures(o.features);
  const want = o.subsets ?? ['train', 'val', 'test'];
  const utts = (['train', 'val', 'test'] as const).map((s) => (want.includes(s) ? parts[s] : []));
  const all = utts.flat();
  const opts = resolveExtract({ ...features, deltas: false });
  const t0 = performance.now();
  const files = o.pool
    ? await o.pool.extract(all.map((u) => u.path), opts, o.onProgress)
    : extractHere(all.map((u) => u.path), opts, progressCounter(all.length, o.onProgress)).results;
  const seconds = (performance.now() - t0) / 1000;
  const bySubset = [files.slice(0, utts[0]!.length), files.slice(utts[0]!.length, utts[0]!.length + utts[1]!.length),
    files.slice(utts[0]!.length + utts[1]!.length)];
  const rates = new Set(files.map((f) => f.sampleRate));
  if (rates.size > 1) throw new DatasetError(`${dir}: recordings have different sample rates (${[...rates].join(', ')} Hz)`);
  const scaler = o.scaler ?? new StandardScaler().fit(bySubset[0]!.map((f) => ({ data: f.data, rows: f.frames, cols: f.dims })));
  const [train, val, test] = bySubset.map((fs, i) => pack(fs, utts[i]!, scaler, true)) as [PackedSet, PackedSet, PackedSet];
  return { train, val, test, scaler, features, sampleRate: files[0]?.sampleRate ?? 0, seconds };
}

function progressCounter(total: number, cb?: (done: number, total: number) => void): (() => void) | undefined {
  if (!cb) return undefined;
  let done = 0;
  return () => cb(++done, total);
}

// ---- one configuration, one digit -------------------------------------------------------------------

/** One point of the grid and the EM settings shared by the grid. */
export interface HmmConfig {
  states: number;
  mixtures: number;
  covariance: CovarianceType;
  nIter: number;
  tol: number;
  seed: number;
  minCovar?: number;
}

/** What fitting one digit's model (and scoring the validation set with it) produced. */
export interface DigitResult {
  digit: number;
  fitSeconds: number;
  /** Scoring the validation set, forward and Viterbi (emission densities shared). */
  scoreSeconds: number;
  /** E-steps run (hmmlearn's monitor count). */
  iterations: number;
  converged: boolean;
  /** GmmHmm.toJSON() of the fitted model. */
  model: object;
  /** log p(val_i) under this model, forward and best path. */
  forward: Float64Array;
  viterbi: Float64Array;
}

/** Checks a configuration; messages name the field. */
export function checkConfig(c: HmmConfig): HmmConfig {
  checkInt('states', c.states, 1);
  checkInt('mixtures', c.mixtures, 1);
  checkChoice('covariance', c.covariance, ['diag', 'full'] as const);
  checkInt('nIter', c.nIter, 1);
  checkNumber('tol', c.tol, 0);
  checkInt('seed', c.seed, 0);
  if (c.minCovar !== undefined) checkNumber('minCovar', c.minCovar, 0, Infinity, true);
  return c;
}

/** The lab's model for one digit: left-right, start in the first state, end in the last. */
export function digitModel(c: HmmConfig, digit: number, engine?: Engine): GmmHmm {
  return new GmmHmm({
    nStates: c.states, nMix: c.mixtures, covarianceType: c.covariance, topology: 'left-right', endInLast: true,
    nIter: c.nIter, tol: c.tol, seed: c.seed, minCovar: c.minCovar, name: `digit ${digit}`, engine,
  });
}

/**
 * Fits digit `digit`'s model on its train sequences and scores all of `val` with it. Throws what
 * fit throws (NumericalError for a degenerate model).
 */
export function fitDigit(train: readonly Sequence[], trainLabels: ArrayLike<number>, val: readonly Sequence[], c: HmmConfig,
  digit: number, engine?: Engine): DigitResult {
  const mine = train.filter((_, i) => trainLabels[i] === digit);
  if (mine.length === 0) throw new ParameterError(`digit ${digit} has no train sequences`);
  const eng = engine ?? getEngine();
  const t0 = performance.now();
  const m = digitModel(c, digit, eng).fit(mine);
  const t1 = performance.now();
  const [forward, viterbi] = val.length
    ? eng.arena.scope(() => m.scorePrepared(prepareFrames(eng, val, m.nFeatures), ['forward', 'viterbi'])) as [Float64Array, Float64Array]
    : [new Float64Array(0), new Float64Array(0)];
  const t2 = performance.now();
  return {
    digit, fitSeconds: (t1 - t0) / 1000, scoreSeconds: (t2 - t1) / 1000,
    iterations: m.fitInfo!.history.length, converged: m.fitInfo!.converged, model: m.toJSON(), forward, viterbi,
  };
}

// ---- the worker pool --------------------------------------------------------------------------------

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

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// ---- the grid -----------------------------------------------------------------------------------------

export type Algorithm = 'viterbi' | 'forward';

/** One configuration's row (the JSON the CLI writes). */
export interface GridRow {
  states: number;
  mixtures: number;
  covariance: CovarianceType;
  /** Sum over the digit models of their fit time (thread seconds: k-means init + EM). */
  fitSeconds: number;
  /** Sum over the digit models of scoring the validation set, forward + Viterbi. */
  scoreSeconds: number;
  /** Validation accuracy with the grid's algorithm; null when failed. */
  valAccuracy: number | null;
  valAccuracyViterbi: number | null;
  valAccuracyForward: number | null;
  /** EM iterations [min, max] over the digit models; null when failed. */
  emIterations: [number, number] | null;
  /** Why the configuration was excluded (training threw, or scores were not finite). */
  failed?: string;
}

/** A configuration's row plus what selection and testing need. */
export interface GridEntry {
  row: GridRow;
  /** GmmHmm.toJSON() per label (null when failed). */
  models: object[] | null;
  /** Validation predictions per algorithm (null when failed). */
  predictions: Record<Algorithm, number[]> | null;
}

export interface GridOptions {
  /** Score algorithm that decides (default 'viterbi', the lab's); the other breaks ties. */
  algorithm?: Algorithm;
  /** Run in this pool (given train and val with setData unless it already holds them); else on this thread. */
  pool?: HmmPool;
  engine?: Engine;
  onProgress?: (done: number, total: number) => void;
}

/** Every (states, mixtures) pair of two lists, as configurations. */
export function gridConfigs(states: readonly number[], mixtures: readonly number[], base: Omit<HmmConfig, 'states' | 'mixtures'>): HmmConfig[] {
  return states.flatMap((s) => mixtures.map((m) => checkConfig({ ...base, states: s, mixtures: m })));
}

/** Relative cost of a job, for largest-first scheduling (measured: roughly linear in S·M plus a per-state term). */
function cost(c: HmmConfig): number {
  return (c.states * c.mixtures + 2 * c.states + 2) * (c.covariance === 'full' ? 1.5 : 1);
}

/** argmax per row of per-label score columns (ties: the lower label, as HmmClassifier.predict). */
function argmaxLabels(columns: readonly Float64Array[], labels: readonly number[], n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < columns.length; j++) if (columns[j]![i]! > columns[best]![i]!) best = j;
    out[i] = labels[best]!;
  }
  return out;
}

/**
 * Trains and validates every configuration (one model per label of `train`). A configuration
 * whose training throws, or whose validation scores are NaN, comes back with `failed` and is
 * never selected; the grid carries on.
 */
export async function runGrid(train: PackedSet, val: PackedSet, configs: readonly HmmConfig[], o: GridOptions = {}): Promise<GridEntry[]> {
  const algorithm = checkChoice('algorithm', o.algorithm ?? 'viterbi', ['viterbi', 'forward'] as const);
  configs.forEach(checkConfig);
  const labels = [...new Set(train.labels)].sort((a, b) => a - b);
  const perConfig = configs.map(() => ({ results: new Map<number, DigitResult>(), failed: undefined as string | undefined, seconds: 0 }));
  const jobs: FitJob[] = [];
  configs.forEach((config, c) => labels.forEach((digit) => jobs.push({ id: c * labels.length + labels.indexOf(digit), config, digit })));
  // Largest first (LPT): the long 4×5 fits start at once and the 1×1 ones fill the gaps at the end.
  jobs.sort((a, b) => cost(b.config) - cost(a.config) || a.id - b.id);
  let done = 0;
  const configOf = (job: FitJob) => Math.floor(job.id / labels.length);
  const progress = () => o.onProgress?.(++done, jobs.length);
  const record = (job: FitJob, r: JobOutcome) => {
    const st = perConfig[configOf(job)]!;
    progress();
    if ('failed' in r) {
      st.seconds += r.seconds;
      st.failed ??= r.failed;
    } else st.results.set(job.digit, r);
  };
  const skip = (job: FitJob) => perConfig[configOf(job)]!.failed !== undefined;
  if (o.pool) {
    if (!o.pool.holds(train, val)) o.pool.setData(train, val);
    await o.pool.fit(jobs, { onDone: record, skip, onSkip: progress });
  } else {
    const tr = sequencesOf(train), va = sequencesOf(val);
    for (const job of jobs) {
      if (skip(job)) { progress(); continue; }
      const t0 = performance.now();
      let r: JobOutcome;
      try {
        r = fitDigit(tr, train.labels, va, job.config, job.digit, o.engine);
      } catch (e) {
        r = { failed: `${(e as Error).name}: ${(e as Error).message}`, seconds: (performance.now() - t0) / 1000 };
      }
      record(job, r);
    }
  }
  const n = val.labels.length;
  return configs.map((config, c) => {
    const st = perConfig[c]!;
    const rs = labels.map((d) => st.results.get(d));
    const fitSeconds = st.seconds + rs.reduce((s, r) => s + (r?.fitSeconds ?? 0), 0);
    const scoreSeconds = rs.reduce((s, r) => s + (r?.scoreSeconds ?? 0), 0);
    const row: GridRow = {
      states: config.states, mixtures: config.mixtures, covariance: config.covariance, fitSeconds, scoreSeconds,
      valAccuracy: null, valAccuracyViterbi: null, valAccuracyForward: null, emIterations: null,
    };
    let failed = st.failed;
    if (!failed && rs.some((r) => !r)) failed = 'Error: not every digit model was trained';
    if (!failed) {
      for (const r of rs as DigitResult[]) {
        const bad = [...r.forward, ...r.viterbi].findIndex((v) => Number.isNaN(v));
        if (bad >= 0) { failed = `NumericalError: digit ${r.digit}: NaN log-likelihood for validation utterance ${val.files[bad % n]}`; break; }
      }
    }
    if (failed) return { row: { ...row, failed }, models: null, predictions: null };
    const done = rs as DigitResult[];
    const predictions = {
      viterbi: argmaxLabels(done.map((r) => r.viterbi), labels, n),
      forward: argmaxLabels(done.map((r) => r.forward), labels, n),
    };
    const its = done.map((r) => r.iterations);
    row.valAccuracyViterbi = n ? accuracy(val.labels, predictions.viterbi) : null;
    row.valAccuracyForward = n ? accuracy(val.labels, predictions.forward) : null;
    row.valAccuracy = algorithm === 'viterbi' ? row.valAccuracyViterbi : row.valAccuracyForward;
    row.emIterations = [Math.min(...its), Math.max(...its)];
    return { row, models: done.map((r) => r.model), predictions };
  });
}

/**
 * The selected configuration: highest validation accuracy with `algorithm`; ties go to the higher
 * accuracy with the other algorithm (forward, for the lab's Viterbi), then to the faster fit.
 * Null when every configuration failed.
 */
export function pickBest(entries: readonly GridEntry[], algorithm: Algorithm = 'viterbi'): GridEntry | null {
  const other = algorithm === 'viterbi' ? 'valAccuracyForward' : 'valAccuracyViterbi';
  let best: GridEntry | null = null;
  for (const e of entries) {
    if (e.row.failed || e.row.valAccuracy === null) continue;
    if (!best) { best = e; continue; }
    const a = e.row, b = best.row;
    const d = a.valAccuracy! - b.valAccuracy! || (a[other] ?? 0) - (b[other] ?? 0) || b.fitSeconds - a.fitSeconds;
    if (d > 0) best = e;
  }
  return best;
}

/** Predictions of a set by models (GmmHmm or their JSON) for `labels`, on this thread. */
export function classify(models: readonly (GmmHmm | object)[], labels: readonly number[], set: PackedSet, algorithm: Algorithm = 'viterbi',
  engine?: Engine): { predictions: number[]; seconds: number } {
  const t0 = performance.now();
  const hmms = models.map((m) => (m instanceof GmmHmm ? m : GmmHmm.fromJSON(m, engine)));
  const eng = engine ?? getEngine();
  const seqs = sequencesOf(set);
  const cols = eng.arena.scope(() => {
    const f = prepareFrames(eng, seqs, hmms[0]!.nFeatures);
    return hmms.map((m) => m.scorePrepared(f, [algorithm])[0]!);
  });
  for (const [j, col] of cols.entries()) {
    const bad = col.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new NumericalError(`model for label ${labels[j]}: NaN log-likelihood for ${set.files[bad]}`);
  }
  return { predictions: argmaxLabels(cols, labels, seqs.length), seconds: (performance.now() - t0) / 1000 };
}

/** Accuracy and confusion matrix (rows true, columns predicted) over `labels`. */
export function evaluate(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: number[]): { accuracy: number; confusion: number[][] } {
  return { accuracy: accuracy(yTrue, yPred), confusion: confusionMatrix(yTrue, yPred, labels) };
}

// ---- model files ----------------------------------------------------------------------------------------

/**
 * Reads a model file written by `speechcore hmm train` (parseClassifier checks it).
 * @throws ModelFormatError naming the file and the problem (missing, not JSON, other schema or
 *   version, inconsistent shapes, invalid model).
 */
export function loadClassifier(path: string, engine?: Engine): LoadedClassifier {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseClassifier(text, path, engine);
}
