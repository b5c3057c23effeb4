/**
 * `speechcore hmm grid|train|eval`: the lab's GMM-HMM digit recogniser (MISSION steps 9–13).
 *
 *   grid   every (nStates × nMix) configuration, 10 digit models each, in worker threads; best on
 *          validation (ties: the other algorithm's accuracy, then the faster fit), tested once.
 *   train  one configuration; writes the models, the scaler and the front end to a model file.
 *   eval   loads a model file and reports accuracy and the confusion matrix on val or test.
 *
 * Tables go to stdout, progress to stderr (terminals only), results to --json.
 *
 * Model settings use GmmHmm's names: --n-states, --n-mix, --covariance-type (JSON: nStates, nMix,
 * covarianceType). The 0.1 flags --states, --mixtures and --cov still work as deprecated aliases
 * (one note on stderr once the flags are valid, so that an error stays one line); usage lists only
 * the new ones.
 */
import { resolveDataDir } from '../audio/dataset.ts';
import { getEngine } from '../engine.ts';
import { classifierFile } from '../hmm/classifier-file.ts';
import { loadClassifier } from '../hmm/load-classifier.ts';
import { classify, evaluate, type Algorithm, type HmmConfig } from '../pipeline/hmm-fit.ts';
import { gridConfigs, pickBest, runGrid, type GridEntry, type GridRow } from '../pipeline/hmm-grid.ts';
import { HmmPool } from '../pipeline/hmm-pool.ts';
import { findSplit, loadSplitFeatures, type SplitFeatures } from '../pipeline/split-features.ts';
import type { CovarianceType } from '../hmm/gmm.ts';
import { intFlag, num, parse, UsageError } from './args.ts';
import type { Command } from './kit.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { progressBar } from './progress.ts';

const SUBCOMMANDS = {
  grid: {
    summary: 'every (n-states x n-mix) configuration of digit GMM-HMMs in worker threads; best on validation, tested once',
    usage: `speechcore hmm grid --data DIR [--split FILE] [--n-mfcc 6] [--n-states 1-4] [--n-mix 1-5]
  [--covariance-type diag|full] [--n-iter 20] [--tol 1e-2] [--algorithm viterbi|forward] [--workers 2] [--seed 0] [--json OUT]`,
  },
  train: {
    summary: 'one GMM-HMM per digit with one configuration; writes the model file (front end, scaler, models)',
    usage: `speechcore hmm train --data DIR [--split FILE] [--n-mfcc 6] --n-states S --n-mix M [--covariance-type full]
  [--n-iter 20] [--tol 1e-2] [--algorithm viterbi|forward] [--workers 2] [--seed 0] --out model.json [--json OUT]`,
  },
  eval: {
    summary: 'accuracy and confusion matrix of a saved model on the validation or test subset',
    usage: 'speechcore hmm eval --model model.json --data DIR [--split FILE] [--subset val|test] [--algorithm A] [--workers 2] [--json OUT]',
  },
};

export const hmmCommand: Command = {
  summary: "the lab's GMM-HMM digit recogniser: grid, train, eval",
  usage: Object.values(SUBCOMMANDS).map((s) => s.usage).join('\n  '),
  subcommands: SUBCOMMANDS,
  run: runHmm,
};

const DATA_FLAGS = {
  data: { type: 'string' }, split: { type: 'string' }, 'n-mfcc': { type: 'string' }, 'n-fft': { type: 'string' },
  'hop-length': { type: 'string' }, 'n-mels': { type: 'string' }, workers: { type: 'string' }, json: { type: 'string' },
} as const;
const FIT_FLAGS = {
  'covariance-type': { type: 'string' }, cov: { type: 'string' }, 'n-iter': { type: 'string' }, tol: { type: 'string' },
  algorithm: { type: 'string' }, seed: { type: 'string' }, 'min-covar': { type: 'string' },
} as const;
/** The model-size flags of grid and train, new names and their deprecated 0.1 aliases. */
const SIZE_FLAGS = {
  'n-states': { type: 'string' }, 'n-mix': { type: 'string' }, states: { type: 'string' }, mixtures: { type: 'string' },
} as const;
/** Deprecated 0.1 flag → its new name. */
const ALIASES = { states: 'n-states', mixtures: 'n-mix', cov: 'covariance-type' } as const;

async function runHmm(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'grid': return grid(rest);
    case 'train': return train(rest);
    case 'eval': return evalModel(rest);
    default: throw new UsageError(`hmm: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`} (grid, train or eval)`);
  }
}

// ---- flags ----------------------------------------------------------------------------------------------

/**
 * Folds each deprecated alias given into its new flag; both spellings at once is a usage error.
 * Messages about a value name the flag as typed (`flagName`); `warn()` writes one deprecation note
 * per alias used (call it once the flags are checked).
 */
function resolveAliases(values: Record<string, unknown>): { flagName: (flag: string) => string; warn: () => void } {
  const typed = new Map<string, string>();
  for (const [old, now] of Object.entries(ALIASES)) {
    if (values[old] === undefined) continue;
    if (values[now] !== undefined) throw new UsageError(`--${old} is the deprecated spelling of --${now}; give one of them`);
    values[now] = values[old];
    delete values[old];
    typed.set(now, old);
  }
  return {
    flagName: (flag) => typed.get(flag) ?? flag,
    warn: () => { for (const [now, old] of typed) process.stderr.write(`speechcore: --${old} is deprecated; use --${now}\n`); },
  };
}

/** "1-4", "3" or "1,3,4" → sorted distinct integers ≥ 1. */
export function parseRange(flag: string, v: string): number[] {
  const bad = () => new UsageError(`--${flag}=${v} must be a positive integer, a range like 1-4, or a list like 1,3,4`);
  const out = new Set<number>();
  for (const part of v.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw bad();
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a || b > 64) throw bad();
    for (let i = a; i <= b; i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

function choice<T extends string>(flag: string, v: string | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!allowed.includes(v as T)) throw new UsageError(`--${flag}=${v} must be ${allowed.join(' or ')}`);
  return v as T;
}


function fitSettings(values: Record<string, unknown>, flagName: (flag: string) => string = (f) => f): Omit<HmmConfig, 'nStates' | 'nMix'> & { algorithm: Algorithm } {
  const tol = num(values, 'tol', false) ?? 1e-2;
  if (tol < 0) throw new UsageError(`--tol=${tol} must be a number >= 0`);
  const minCovar = num(values, 'min-covar', false);
  if (minCovar !== undefined && !(minCovar > 0)) throw new UsageError(`--min-covar=${minCovar} must be a number > 0`);
  return {
    covarianceType: choice<CovarianceType>(flagName('covariance-type'), values['covariance-type'] as string | undefined, ['diag', 'full'], 'full'),
    nIter: intFlag(values, 'n-iter', 20),
    tol,
    seed: intFlag(values, 'seed', 0, 0),
    ...(minCovar !== undefined ? { minCovar } : {}),
    algorithm: choice<Algorithm>('algorithm', values.algorithm as string | undefined, ['viterbi', 'forward'], 'viterbi'),
  };
}

function featureFlags(values: Record<string, unknown>) {
  return {
    nMfcc: intFlag(values, 'n-mfcc', 6), nFft: intFlag(values, 'n-fft', 240, 2),
    hopLength: intFlag(values, 'hop-length', 120), nMels: intFlag(values, 'n-mels', 128),
  };
}

/** The data folder and split, checked before any work: a missing split is a usage error (exit 2). */
function dataAndSplit(values: Record<string, unknown>): { data: string; split: string } {
  const data = resolveDataDir(values.data as string | undefined);
  const split = findSplit(data, values.split as string | undefined);
  if (!split) throw new UsageError(`--split is required: no fsdd-split.json beside the data folder ${data}`);
  return { data, split };
}

// ---- printing -------------------------------------------------------------------------------------------

const out = (s = '') => process.stdout.write(s + '\n');
const acc = (v: number | null) => (v === null ? '-' : v.toFixed(4));

function gridTable(rows: readonly GridRow[], algorithm: Algorithm, best: GridRow | null): string {
  const head = ['n-states', 'n-mix', 'covariance', 'fit s', 'score s', `val acc (${algorithm})`, `val acc (${algorithm === 'viterbi' ? 'forward' : 'viterbi'})`, 'EM iters', ''];
  const body = rows.map((r) => [
    String(r.nStates), String(r.nMix), r.covarianceType, r.fitSeconds.toFixed(2), r.scoreSeconds.toFixed(2), acc(r.valAccuracy),
    acc(algorithm === 'viterbi' ? r.valAccuracyForward : r.valAccuracyViterbi),
    r.emIterations ? (r.emIterations[0] === r.emIterations[1] ? String(r.emIterations[0]) : r.emIterations.join('-')) : '-',
    r.failed ? `FAILED: ${r.failed}` : r === best ? '<- best' : '',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((b) => (j === head.length - 1 ? 0 : b[j]!.length))));
  const line = (cells: string[]) => cells.map((c, j) => (j === cells.length - 1 ? c : j >= 3 && j <= 7 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** A confusion matrix with labels: rows true, columns predicted. */
export function confusionText(m: readonly number[][], labels: readonly number[]): string {
  const w = Math.max(3, ...m.flat().map((v) => String(v).length));
  const head = 'true\\pred ' + labels.map((l) => String(l).padStart(w)).join(' ');
  return [head, ...m.map((row, i) => `${String(labels[i]).padStart(9)} ${row.map((v) => String(v).padStart(w)).join(' ')}`)].join('\n');
}

async function withPool<T>(workers: number, fn: (pool: HmmPool) => Promise<T>): Promise<T> {
  const pool = await HmmPool.create(workers, getEngine());
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

async function features(pool: HmmPool, values: Record<string, unknown>, where: { data: string; split: string }): Promise<SplitFeatures> {
  const bar = progressBar('features');
  const f = await loadSplitFeatures({ ...where, features: featureFlags(values), pool, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  return f;
}

function labelsOf(f: SplitFeatures): number[] {
  return [...new Set(f.train.labels)].sort((a, b) => a - b);
}

// ---- grid -----------------------------------------------------------------------------------------------

async function grid(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values } = parse(argv, { ...DATA_FLAGS, ...FIT_FLAGS, ...SIZE_FLAGS }, false);
  const { flagName, warn } = resolveAliases(values);
  const nStates = parseRange(flagName('n-states'), values['n-states'] ?? '1-4');
  const nMix = parseRange(flagName('n-mix'), values['n-mix'] ?? '1-5');
  const { algorithm, ...base } = fitSettings(values, flagName);
  featureFlags(values);
  const workers = intFlag(values, 'workers', 2);
  const where = dataAndSplit(values);
  warn();
  const configs = gridConfigs(nStates, nMix, base);
  const result = await withPool(Math.min(workers, configs.length * 10), async (pool) => {
    const f = await features(pool, values, where);
    const t1 = performance.now();
    const bar = progressBar(`hmm grid (${configs.length} configs x ${labelsOf(f).length} digits)`);
    const entries = await runGrid(f.train, f.val, configs, { algorithm, pool, onProgress: (d, t) => bar.update(d, t) });
    bar.finish();
    return { f, entries, gridSeconds: (performance.now() - t1) / 1000 };
  });
  const { f, entries, gridSeconds } = result;
  const best = pickBest(entries, algorithm);
  const labels = labelsOf(f);
  out(`GMM-HMM grid: ${f.train.labels.length} train / ${f.val.labels.length} val / ${f.test.labels.length} test utterances, ` +
    `MFCC ${f.features.nMfcc} (n_fft ${f.features.nFft}, hop ${f.features.hopLength}, ${f.features.nMels} mels), ` +
    `${base.covarianceType} covariance, ${base.nIter} EM iterations max (tol ${base.tol}), ${algorithm} recognition, ${workers} worker(s)`);
  out(`(fit s and score s are thread seconds summed over the 10 digit models; score = forward + Viterbi on the validation set)`);
  out();
  out(gridTable(entries.map((e) => e.row), algorithm, best?.row ?? null));
  const failed = entries.filter((e) => e.row.failed).length;
  if (!best) throw new Error(`hmm grid: every configuration failed (${failed} of ${entries.length}); see the table above`);
  const t2 = performance.now();
  const test = classify(best.models!, labels, f.test, algorithm);
  const testSeconds = (performance.now() - t2) / 1000;
  const val = evaluate(f.val.labels, best.predictions![algorithm], labels);
  const tst = evaluate(f.test.labels, test.predictions, labels);
  const wallSeconds = (performance.now() - t0) / 1000;
  out();
  out(`best on validation: ${best.row.nStates} states x ${best.row.nMix} mixtures (${best.row.covarianceType}): ` +
    `val ${val.accuracy.toFixed(4)} -> test ${tst.accuracy.toFixed(4)} (${algorithm})`);
  out(`\nvalidation confusion (rows true, columns predicted):\n${confusionText(val.confusion, labels)}`);
  out(`\ntest confusion (rows true, columns predicted):\n${confusionText(tst.confusion, labels)}`);
  out(`\nwall ${wallSeconds.toFixed(2)} s: features ${f.seconds.toFixed(2)} s, grid ${gridSeconds.toFixed(2)} s, test ${testSeconds.toFixed(2)} s` +
    (failed ? `; ${failed} configuration(s) failed and were excluded` : ''));
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      configs: entries.map((e) => e.row),
      best: {
        nStates: best.row.nStates, nMix: best.row.nMix, covarianceType: best.row.covarianceType,
        valAccuracy: val.accuracy, testAccuracy: tst.accuracy, confusionVal: val.confusion, confusionTest: tst.confusion,
        valAccuracyForward: best.row.valAccuracyForward, valAccuracyViterbi: best.row.valAccuracyViterbi, emIterations: best.row.emIterations,
      },
      wallSeconds,
      algorithm, labels, workers,
      features: { ...f.features, sampleRate: f.sampleRate },
      em: { nIter: base.nIter, tol: base.tol, seed: base.seed, ...(base.minCovar !== undefined ? { minCovar: base.minCovar } : {}) },
      counts: { train: f.train.labels.length, val: f.val.labels.length, test: f.test.labels.length },
      split: where.split,
      timing: { featuresSeconds: f.seconds, gridSeconds, testSeconds },
    }, null, 2) + '\n');
  }
}

// ---- train ----------------------------------------------------------------------------------------------

async function train(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values } = parse(argv, { ...DATA_FLAGS, ...FIT_FLAGS, ...SIZE_FLAGS, out: { type: 'string' } }, false);
  const { flagName, warn } = resolveAliases(values);
  if (values['n-states'] === undefined) throw new UsageError('hmm train: --n-states S is required');
  if (values['n-mix'] === undefined) throw new UsageError('hmm train: --n-mix M is required');
  if (!values.out) throw new UsageError('hmm train: --out model.json is required');
  const nStates = intFlag(values, 'n-states', 1, 1, flagName('n-states')), nMix = intFlag(values, 'n-mix', 1, 1, flagName('n-mix'));
  const { algorithm, ...base } = fitSettings(values, flagName);
  featureFlags(values);
  const workers = intFlag(values, 'workers', 2);
  const where = dataAndSplit(values);
  warn();
  const [config] = gridConfigs([nStates], [nMix], base) as [HmmConfig];
  const { f, entry } = await withPool(Math.min(workers, 10), async (pool) => {
    const f = await features(pool, values, where);
    const bar = progressBar(`hmm train (${nStates}x${nMix} ${config.covarianceType})`);
    const [entry] = await runGrid(f.train, f.val, [config], { algorithm, pool, onProgress: (d, t) => bar.update(d, t) }) as [GridEntry];
    bar.finish();
    return { f, entry };
  });
  const r = entry.row;
  if (r.failed) throw new Error(`hmm train: ${nStates}x${nMix} ${config.covarianceType} failed: ${r.failed}`);
  const labels = labelsOf(f);
  const val = evaluate(f.val.labels, entry.predictions![algorithm], labels);
  writeFileAtomic(values.out, JSON.stringify(classifierFile({
    features: f.features, sampleRate: f.sampleRate, scaler: f.scaler, labels, algorithm, config, models: entry.models!,
  })) + '\n');
  const wallSeconds = (performance.now() - t0) / 1000;
  out(`trained ${labels.length} digit models, ${nStates} states x ${nMix} mixtures (${config.covarianceType}), ` +
    `EM iterations ${r.emIterations!.join('-')}, fit ${r.fitSeconds.toFixed(2)} s: val accuracy ${val.accuracy.toFixed(4)} (${algorithm}); ` +
    `wrote ${values.out}`);
  out(`\nvalidation confusion (rows true, columns predicted):\n${confusionText(val.confusion, labels)}`);
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      nStates, nMix, covarianceType: config.covarianceType, algorithm, valAccuracy: val.accuracy,
      valAccuracyViterbi: r.valAccuracyViterbi, valAccuracyForward: r.valAccuracyForward, confusionVal: val.confusion, labels,
      fitSeconds: r.fitSeconds, scoreSeconds: r.scoreSeconds, emIterations: r.emIterations, model: values.out, wallSeconds,
    }, null, 2) + '\n');
  }
}

// ---- eval -----------------------------------------------------------------------------------------------

async function evalModel(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values } = parse(argv, { ...DATA_FLAGS, model: { type: 'string' }, subset: { type: 'string' }, algorithm: { type: 'string' } }, false);
  if (!values.model) throw new UsageError('hmm eval: --model model.json is required');
  for (const flag of ['n-mfcc', 'n-fft', 'hop-length', 'n-mels'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`hmm eval: --${flag} comes from the model file; drop it`);
  }
  const subset = choice('subset', values.subset, ['val', 'test'] as const, 'val');
  const algorithmFlag = values.algorithm === undefined ? undefined : choice<Algorithm>('algorithm', values.algorithm, ['viterbi', 'forward'], 'viterbi');
  const workers = intFlag(values, 'workers', 2);
  const where = dataAndSplit(values);
  const model = loadClassifier(values.model, getEngine());
  const algorithm = algorithmFlag ?? model.algorithm;
  const f = await withPool(workers, async (pool) => {
    const bar = progressBar('features');
    const r = await loadSplitFeatures({
      ...where, features: model.features, sampleRate: model.sampleRate, pool, subsets: [subset], scaler: model.scaler, onProgress: (d, t) => bar.update(d, t),
    });
    bar.finish();
    return r;
  });
  const set = f[subset];
  const r = classify(model.models, model.labels, set, algorithm);
  const e = evaluate(set.labels, r.predictions, model.labels);
  const wallSeconds = (performance.now() - t0) / 1000;
  out(`${values.model}: ${subset} accuracy ${e.accuracy.toFixed(4)} (${set.labels.length} utterances, ${algorithm}; scoring ${r.seconds.toFixed(3)} s, wall ${wallSeconds.toFixed(2)} s)`);
  out(`\n${subset} confusion (rows true, columns predicted):\n${confusionText(e.confusion, model.labels)}`);
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      model: values.model, subset, algorithm, n: set.labels.length, accuracy: e.accuracy, confusion: e.confusion,
      labels: model.labels, config: model.config, scoreSeconds: r.seconds, wallSeconds,
    }, null, 2) + '\n');
  }
}
