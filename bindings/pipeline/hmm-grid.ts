/**
 * The lab's GMM-HMM grid (MISSION steps 9–13) as model selection: one left-right GmmHmm per digit
 * for every (nStates × nMix) configuration, validation accuracy per configuration, the best
 * picked on validation. Work is cut into (configuration, digit) jobs fed largest-first to an
 * HmmPool, or run on this thread. Like sklearn's GridSearchCV it is part of the engine: it needs
 * nothing beyond it.
 *
 * @module
 */
import { accuracy } from '../metrics.ts';
import { argmaxColumns } from '../argmax.ts';
import { checkChoice } from '../features/options.ts';
import type { Engine } from '../engine.ts';
import type { CovarianceType } from '../hmm/gmm.ts';
import { checkConfig, fitDigit, type Algorithm, type DigitResult, type HmmConfig } from './hmm-fit.ts';
import type { FitJob, HmmPool, JobOutcome } from './hmm-pool.ts';
import { sequencesOf, type PackedSet } from './packed-set.ts';

/** One configuration's row (the JSON the CLI writes). */
export interface GridRow {
  nStates: number;
  nMix: number;
  covarianceType: CovarianceType;
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
  predictions: Record<Algorithm, Int32Array> | null;
}

export interface GridOptions {
  /** Score algorithm that decides (default 'viterbi', the lab's); the other breaks ties. */
  algorithm?: Algorithm;
  /** Run in this pool (given train and val with setData unless it already holds them); else on this thread. */
  pool?: HmmPool;
  engine?: Engine;
  onProgress?: (done: number, total: number) => void;
}

/** Every (nStates, nMix) pair of two lists, as configurations. */
export function gridConfigs(nStates: readonly number[], nMix: readonly number[], base: Omit<HmmConfig, 'nStates' | 'nMix'>): HmmConfig[] {
  return nStates.flatMap((s) => nMix.map((m) => checkConfig({ ...base, nStates: s, nMix: m })));
}

/** Relative cost of a job, for largest-first scheduling (measured: roughly linear in S·M plus a per-state term). */
function cost(c: HmmConfig): number {
  return (c.nStates * c.nMix + 2 * c.nStates + 2) * (c.covarianceType === 'full' ? 1.5 : 1);
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
      nStates: config.nStates, nMix: config.nMix, covarianceType: config.covarianceType, fitSeconds, scoreSeconds,
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
      viterbi: argmaxColumns(done.map((r) => r.viterbi), labels, n),
      forward: argmaxColumns(done.map((r) => r.forward), labels, n),
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
