/**
 * The benchmark harness: wall-time warm-up, batches sized by wall time, round-robin rounds across
 * the implementations of one case, and median / p10 / p90 per unit of work. Plus a table printer
 * whose ratios only compare results of the same run (DESIGN §5).
 *
 * Why this shape (js-peers.md, pitfalls): V8 runs wasm on its Liftoff baseline first and tiers up
 * to TurboFan in the background after some tens of ms (later under load), so warm-up is measured
 * in milliseconds, not calls; the machine is shared, so every round times each implementation once
 * in a rotating order and the statistics are taken over rounds, so load spikes hit all alike.
 *
 * @module
 */
import { loadavg } from 'node:os';
import type { BenchResult } from './schema.ts';

/** The 1-minute load average, for titles: this machine is shared, so say how busy it was. */
export function loadNote(): string {
  return `load ${loadavg()[0]!.toFixed(2)}`;
}

export type Params = BenchResult['params'];

/** Units a timing can be reported in, with their size in milliseconds. */
const UNIT_MS = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 } as const;
export type TimeUnit = keyof typeof UNIT_MS;

/** One implementation of a case. */
export interface Impl {
  /** What is measured: speechcore, speechcore-scalar, fft.js, ... */
  impl: string;
  /** One call. Must be repeatable on the same data and allocation-light. */
  run: () => void;
  /** Units of work one call does (4 transforms, N frames): results are per unit. Default 1. */
  per?: number;
  /** Merged over the case's params (e.g. a peer timed on fewer files). */
  params?: Params;
}

/** Several implementations of the same computation, timed against each other. */
export interface Case {
  name: string;
  params: Params;
  unit: TimeUnit;
  impls: Impl[];
}

export interface TimingOptions {
  /** Timed rounds; each round times one batch of every implementation. */
  rounds: number;
  /** Wall-time warm-up per implementation before timing, ms (default 200). */
  warmupMs?: number;
  /** Target wall time of one batch, ms (default 10; a call longer than that is a batch of 1). */
  batchMs?: number;
  log?: (line: string) => void;
}

/** Median, p10, p90 of a sample (linear interpolation between order statistics). */
export function summarize(xs: readonly number[]): { median: number; p10: number; p90: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => {
    if (s.length === 0) return NaN;
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
  };
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), n: s.length };
}

/** Runs fn until at least `ms` of wall time has passed (at least once); returns calls made. */
function warm(fn: () => void, ms: number): number {
  const t0 = performance.now();
  let calls = 0;
  do {
    fn();
    calls++;
  } while (performance.now() - t0 < ms);
  return calls;
}

/** Calls per batch so that a batch takes about `target` ms (≥ 1). Run after warm-up. */
function calibrate(fn: () => void, target: number): number {
  let k = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= target / 4) return Math.max(1, Math.round((k * target) / dt));
    k *= 2;
  }
}

/**
 * Times every implementation of a case: warm each up by wall time, size its batch to ~batchMs,
 * then `rounds` rounds, each timing one batch of every implementation in a rotating order.
 * Returns one result per implementation, per unit of work (`per`), in the case's unit.
 */
export function timeCase(c: Case, o: TimingOptions): BenchResult[] {
  const warmupMs = o.warmupMs ?? 200;
  const batchMs = o.batchMs ?? 10;
  const batch = c.impls.map((im) => {
    warm(im.run, warmupMs);
    return calibrate(im.run, batchMs);
  });
  const samples: number[][] = c.impls.map(() => []);
  const m = c.impls.length;
  for (let r = 0; r < o.rounds; r++) {
    for (let j = 0; j < m; j++) {
      const i = (j + r) % m;
      const { run, per = 1 } = c.impls[i]!;
      const k = batch[i]!;
      const t0 = performance.now();
      for (let q = 0; q < k; q++) run();
      const dt = performance.now() - t0;
      samples[i]!.push(dt / (k * per) / UNIT_MS[c.unit]);
    }
  }
  return c.impls.map((im, i) => ({
    name: c.name,
    impl: im.impl,
    params: { ...c.params, ...im.params },
    unit: c.unit,
    ...summarize(samples[i]!),
  }));
}

/** One whole job (e.g. all of FSDD), timed run by run. */
export interface Job {
  name: string;
  impl: string;
  params: Params | (() => Params);
  /** Tells apart jobs of the same name and impl in progress lines. */
  label?: string;
  /** One run. Resolves to its own seconds when it measures itself (e.g. a job's stats), else wall time is used. */
  run: () => Promise<number | void> | number | void;
}

/**
 * Times whole jobs in seconds: `warmupRuns` untimed runs of each, then `runs` rounds, each running
 * every job once in a rotating order. Params may be a function, read after the last run (so a
 * job can report the frame count it saw).
 */
export async function timeJobs(jobs: Job[], o: { runs: number; warmupRuns?: number; log?: (line: string) => void }): Promise<BenchResult[]> {
  const samples: number[][] = jobs.map(() => []);
  const once = async (job: Job): Promise<number> => {
    const t0 = performance.now();
    const own = await job.run();
    const wall = (performance.now() - t0) / 1000;
    return typeof own === 'number' ? own : wall;
  };
  for (let w = 0; w < (o.warmupRuns ?? 1); w++) for (const job of jobs) await once(job);
  const m = jobs.length;
  for (let r = 0; r < o.runs; r++) {
    const line: string[] = [];
    for (let j = 0; j < m; j++) {
      const i = (j + r) % m;
      const s = await once(jobs[i]!);
      samples[i]!.push(s);
      line.push(`${jobs[i]!.name}/${jobs[i]!.impl}${jobs[i]!.label ? `(${jobs[i]!.label})` : ''} ${s.toFixed(3)}s`);
    }
    o.log?.(`  run ${r + 1}/${o.runs}: ${line.join(', ')}`);
  }
  return jobs.map((job, i) => ({
    name: job.name,
    impl: job.impl,
    params: typeof job.params === 'function' ? job.params() : job.params,
    unit: 's',
    ...summarize(samples[i]!),
  }));
}

/** A single measured value (e.g. bytes) as a result with n = 1. */
export function single(name: string, impl: string, params: Params, unit: string, value: number): BenchResult {
  return { name, impl, params, unit, median: value, p10: value, p90: value, n: 1 };
}

/** Compact number: 3–4 significant digits, no exponent for the ranges benches produce. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  if (a >= 1) return v.toFixed(3);
  return v.toPrecision(3);
}

export interface TableOptions {
  title?: string;
  /**
   * Impl names to compare against: column "vs X" = X's median / this median (> 1: faster than X),
   * taken from a result of the same name (and same `match` params) in the same run.
   */
  baselines?: string[];
  /** Param keys that must be equal for a baseline to apply (default: all of this result's keys). */
  match?: string[];
  /** Extra computed columns. */
  columns?: { header: string; value: (r: BenchResult) => string }[];
}

const paramsText = (p: Params): string => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');

/** Formats results as an aligned text table (name, impl, params, median, p10, p90, n, ratios, extras). */
export function table(results: readonly BenchResult[], o: TableOptions = {}): string {
  const baselines = o.baselines ?? [];
  const same = (a: BenchResult, b: BenchResult): boolean => {
    if (a.name !== b.name) return false;
    const keys = o.match ?? Object.keys(a.params);
    return keys.every((k) => a.params[k] === b.params[k]);
  };
  const head = ['name', 'impl', 'params', 'median', 'p10', 'p90', 'unit', 'n',
    ...baselines.map((b) => `vs ${b}`), ...(o.columns ?? []).map((c) => c.header)];
  const rows = results.map((r) => [
    r.name, r.impl, paramsText(r.params), fmt(r.median), fmt(r.p10), fmt(r.p90), r.unit, String(r.n),
    ...baselines.map((b) => {
      const base = results.find((x) => x.impl === b && same(r, x));
      return base ? `${(base.median / r.median).toFixed(2)}x` : '';
    }),
    ...(o.columns ?? []).map((c) => c.value(r)),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j]!.length)));
  const numeric = new Set([3, 4, 5, 7]);
  const line = (cells: string[]): string =>
    cells.map((c, j) => (numeric.has(j) || j >= 8 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  const out: string[] = [];
  if (o.title) out.push(o.title);
  out.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  if (baselines.length) out.push('(vs X = X median / this median: > 1 means faster than X; same run only)');
  return out.join('\n');
}
