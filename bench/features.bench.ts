/**
 * Suite `features`: the MFCC front end on real speech (FSDD, 8 kHz), n_fft 240, hop 120, 128 mels,
 * 13 coefficients — the lab's configuration.
 *
 * (a) `features.mfcc13`: µs per frame over a fixed ~200-file subset, bytes read and decoded before
 *     timing, round-robin rounds: speechcore (SIMD engine, public `mfcc`), speechcore-scalar,
 *     plain-js+pffft (the realistic no-engine baseline), meyda (on ≤ 50 of those files: it is slow).
 * (b) `features.fsdd.*`: the whole-FSDD job on one thread, seconds, median of runs after a warm-up
 *     run: `compute` (bytes in memory: decodeWav + mfccWithDeltas), `total` (readFileSync + decode +
 *     features), `workers2` (extractFiles with 2 worker threads, its stats.secondsTotal); plus the
 *     plain-JS peer's compute on the same files (MFCC only: it has no deltas) and ours without
 *     deltas, for a like-for-like ratio.
 * (c) `features.arena.*`: the engine's arena high-water mark after 10 and after 10,000
 *     mfccWithDeltas calls on one real file (flat = no per-call leak).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { BenchResult, Suite } from './schema.ts';
import { fmt, loadNote, single, summarize, table, timeCase, timeJobs, type Impl } from './timing.ts';
import { createEngineSync, type Engine } from '../bindings/engine.ts';
import { mfcc, mfccWithDeltas } from '../bindings/features/mfcc.ts';
import { extractFiles, ExtractPool } from '../bindings/pipeline/extract.ts';
import { decodeWav } from '../bindings/audio/wav.ts';
import { listFsdd, resolveDataDir } from '../bindings/audio/dataset.ts';
import { plainJsMfcc } from './peers/plainjs.ts';
import { meydaMfcc } from './peers/meyda.ts';
import { MFCC_HOP, MFCC_N_COEFFS, MFCC_N_FFT, MFCC_N_MELS } from './peers/common.ts';

const CONFIG = { nFft: MFCC_N_FFT, hop: MFCC_HOP, nMels: MFCC_N_MELS, nMfcc: MFCC_N_COEFFS };

interface Utterance {
  file: string;
  sr: number;
  y: Float32Array;
}

const mfccOptions = (engine: Engine, sr: number) =>
  ({ engine, sr, nMfcc: MFCC_N_COEFFS, nFft: MFCC_N_FFT, hopLength: MFCC_HOP, nMels: MFCC_N_MELS });

/** Every `step`-th element, starting at 0. */
const every = <T>(xs: readonly T[], step: number): T[] => xs.filter((_, i) => i % step === 0);

const framesOf = (us: readonly Utterance[]) => us.reduce((s, u) => s + 1 + Math.floor(u.y.length / MFCC_HOP), 0);

/** max |a − b| over two frame-major [frames][13] results; Infinity on a shape mismatch. */
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!));
  return e;
}

export const featuresSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quick = options.quick ?? false;
  const dir = resolveDataDir(options.data);
  const all = listFsdd(dir);
  const simd = createEngineSync({ simd: true });
  const scalar = createEngineSync({ simd: false });
  await plainJsMfcc.init();
  await meydaMfcc.init();
  const results: BenchResult[] = [];

  // (a) per-utterance MFCC13, µs per frame, on a fixed spread of files (every 15th by name).
  const subset: Utterance[] = every(all, Math.max(1, Math.floor(all.length / 200))).slice(0, 200).map((u) => {
    const w = decodeWav(readFileSync(u.path), { file: u.path });
    return { file: u.file, sr: w.sampleRate, y: w.samples };
  });
  const meydaSet = every(subset, quick ? 16 : 4).slice(0, 50);
  const frames = framesOf(subset);
  const meydaFrames = framesOf(meydaSet);
  let agree = 0;
  let agreeScalar = 0;
  for (const u of subset) {
    const ours = mfcc(u.y, mfccOptions(simd, u.sr)).data;
    agree = Math.max(agree, maxAbsDiff(ours, plainJsMfcc.mfcc(u.y, u.sr)));
    agreeScalar = Math.max(agreeScalar, maxAbsDiff(ours, mfcc(u.y, mfccOptions(scalar, u.sr)).data));
  }
  log(`features: ${subset.length} files / ${frames} frames for per-frame MFCC (meyda: ${meydaSet.length} files / ${meydaFrames} frames); ` +
    `max|Δ| speechcore vs plain-js ${agree.toExponential(2)}, vs speechcore-scalar ${agreeScalar.toExponential(2)}`);
  if (!(agree < 0.05)) throw new Error(`features bench: speechcore and plain-js MFCC disagree (max |Δ| ${agree})`);
  const sink = { v: 0 }; // every result is read, so no call's output is dead
  const overSubset = (f: (u: Utterance) => Float32Array, set: readonly Utterance[]) => () => {
    for (const u of set) sink.v += f(u)[0]!;
  };
  const perFrame: Impl[] = [
    { impl: 'speechcore', per: frames, run: overSubset((u) => mfcc(u.y, mfccOptions(simd, u.sr)).data, subset) },
    { impl: 'speechcore-scalar', per: frames, run: overSubset((u) => mfcc(u.y, mfccOptions(scalar, u.sr)).data, subset) },
    { impl: 'plain-js+pffft', per: frames, run: overSubset((u) => plainJsMfcc.mfcc(u.y, u.sr), subset) },
    { impl: 'meyda', per: meydaFrames, params: { files: meydaSet.length, frames: meydaFrames },
      run: overSubset((u) => meydaMfcc.mfcc(u.y, u.sr), meydaSet) },
  ];
  const rounds = quick ? 5 : 21;
  const load0 = loadNote();
  log(`features.mfcc13: timing ${rounds} round-robin rounds`);
  const perFrameResults = timeCase({
    name: 'features.mfcc13', params: { ...CONFIG, files: subset.length, frames }, unit: 'us', impls: perFrame,
  }, { rounds, log });
  results.push(...perFrameResults);
  const hopUs = (MFCC_HOP / (subset[0]?.sr ?? 8000)) * 1e6;
  console.log('\n' + table(perFrameResults, {
    title: `features.mfcc13: µs per frame, per-utterance MFCC13 (n_fft 240, hop 120, 128 mels), decoded signals in memory, median of ${rounds} rounds (${load0} -> ${loadNote()})`,
    baselines: ['plain-js+pffft', 'meyda'],
    match: [],
    columns: [{ header: 'x realtime', value: (r) => fmt(hopUs / r.median) }],
  }));

  // (b) the whole FSDD job, one thread (and 2 workers), seconds.
  const paths = all.map((u) => u.path);
  const bytes = paths.map((p) => readFileSync(p));
  let audioSeconds = 0;
  for (const b of bytes) {
    const w = decodeWav(b);
    audioSeconds += w.samples.length / w.sampleRate;
  }
  const seen: Record<string, number> = {};
  const decodeAndFeatures = (data: Uint8Array, path: string, deltas: boolean): number => {
    const w = decodeWav(data, { file: path });
    const o = mfccOptions(simd, w.sampleRate);
    const m = deltas ? mfccWithDeltas(w.samples, o) : mfcc(w.samples, o);
    sink.v += m.data[0]!;
    return m.rows;
  };
  const common = (key: string, deltas: boolean, extra: Record<string, number | boolean | string> = {}) =>
    () => ({ files: paths.length, frames: seen[key] ?? 0, deltas, ...extra });
  const jobs = [
    { name: 'features.fsdd.compute', impl: 'speechcore', label: 'Δ+ΔΔ', params: common('compute', true, { workers: 1 }), run: () => {
      let n = 0;
      for (let i = 0; i < bytes.length; i++) n += decodeAndFeatures(bytes[i]!, paths[i]!, true);
      seen['compute'] = n;
    } },
    { name: 'features.fsdd.compute', impl: 'speechcore', label: 'MFCC only', params: common('computeMfcc', false, { workers: 1 }), run: () => {
      let n = 0;
      for (let i = 0; i < bytes.length; i++) n += decodeAndFeatures(bytes[i]!, paths[i]!, false);
      seen['computeMfcc'] = n;
    } },
    { name: 'features.fsdd.compute', impl: 'plain-js+pffft', label: 'MFCC only', params: common('plain', false, { workers: 1 }), run: () => {
      let n = 0;
      for (let i = 0; i < bytes.length; i++) {
        const w = decodeWav(bytes[i]!, { file: paths[i] });
        const m = plainJsMfcc.mfcc(w.samples, w.sampleRate);
        sink.v += m[0]!;
        n += m.length / MFCC_N_COEFFS;
      }
      seen['plain'] = n;
    } },
    { name: 'features.fsdd.total', impl: 'speechcore', params: common('total', true, { workers: 1 }), run: () => {
      let n = 0;
      for (const p of paths) n += decodeAndFeatures(readFileSync(p), p, true);
      seen['total'] = n;
    } },
    { name: 'features.fsdd.workers2', impl: 'speechcore', params: common('workers2', true, { workers: 2, pool: 'warm' }), run: async () => {
      const r = await pool.run(paths, { deltas: true });
      seen['workers2'] = r.stats.frames;
      return r.stats.secondsTotal;
    } },
    { name: 'features.fsdd.workers2-cold', impl: 'speechcore', params: common('workers2cold', true, { workers: 2, pool: 'cold' }), run: async () => {
      const r = await extractFiles(paths, { deltas: true, workers: 2 });
      seen['workers2cold'] = r.stats.frames;
      return r.stats.secondsTotal;
    } },
  ];
  // A pool kept alive across runs, as a long-lived service or the CLI's repeated jobs would keep it;
  // the cold row (fresh workers per job, as one `speechcore extract` run) is reported beside it.
  const pool = await ExtractPool.create(2);
  const runs = quick ? 5 : 15;
  const load1 = loadNote();
  log(`features.fsdd: ${paths.length} files, ${audioSeconds.toFixed(0)} s of audio; 1 warm-up + ${runs} round-robin runs`);
  const fsdd = await timeJobs(jobs, { runs, warmupRuns: 1, log });
  await pool.close();
  results.push(...fsdd);
  // What a 2-worker run costs before any real work: spawn, module load, wasm compile, cold JIT.
  const startups: number[] = [];
  for (let i = 0; i < 3; i++) startups.push((await extractFiles(paths.slice(0, 2), { deltas: true, workers: 2 })).stats.secondsTotal);
  const startup = summarize(startups).median;
  const pick = (name: string, impl: string, deltas: boolean) =>
    fsdd.find((r) => r.name === name && r.impl === impl && r.params['deltas'] === deltas)!;
  const oursD = pick('features.fsdd.compute', 'speechcore', true);
  const oursM = pick('features.fsdd.compute', 'speechcore', false);
  const plain = pick('features.fsdd.compute', 'plain-js+pffft', false);
  const total = pick('features.fsdd.total', 'speechcore', true);
  const w2 = pick('features.fsdd.workers2', 'speechcore', true);
  const w2cold = pick('features.fsdd.workers2-cold', 'speechcore', true);
  console.log('\n' + table(fsdd, {
    title: `features.fsdd: whole FSDD (${paths.length} files, ${audioSeconds.toFixed(0)} s audio), MFCC13 [+ Δ + ΔΔ], seconds per job, median of ${runs} runs (${load1} -> ${loadNote()})`,
    columns: [
      { header: 'files/s', value: (r) => fmt(Number(r.params['files']) / r.median) },
      { header: 'x realtime', value: (r) => fmt(audioSeconds / r.median) },
    ],
  }));
  console.log([
    `  speechcore MFCC+Δ+ΔΔ compute vs plain-js+pffft MFCC-only compute: ${(plain.median / oursD.median).toFixed(2)}x faster`,
    `  speechcore MFCC-only vs plain-js+pffft MFCC-only (like for like):   ${(plain.median / oursM.median).toFixed(2)}x faster`,
    `  workers2 (warm pool) speedup over one thread (total: read+decode+features): ${(total.median / w2.median).toFixed(2)}x`,
    `  workers2 (fresh pool per job) speedup over one thread: ${(total.median / w2cold.median).toFixed(2)}x` +
      ` (worker spawn + cold engine per run: ${(startup * 1000).toFixed(0)} ms for 2 files)`,
    `  one thread: readFileSync adds ${(((total.median - oursD.median) / oursD.median) * 100).toFixed(0)}% over in-memory decode+features`,
  ].join('\n'));

  // (c) arena high-water mark: flat across calls means per-call scratch is fully rewound.
  const engine = createEngineSync({ simd: true });
  const u = subset[0]!;
  const o = mfccOptions(engine, u.sr);
  const uFrames = 1 + Math.floor(u.y.length / MFCC_HOP);
  for (let i = 0; i < 10; i++) mfccWithDeltas(u.y, o);
  const after10 = engine.arena.highWater;
  for (let i = 10; i < 10000; i++) mfccWithDeltas(u.y, o);
  const after10000 = engine.arena.highWater;
  const memParams = (calls: number) => ({ file: u.file, frames: uFrames, calls });
  results.push(
    single('features.arena.after10', 'speechcore', memParams(10), 'bytes', after10),
    single('features.arena.after10000', 'speechcore', memParams(10000), 'bytes', after10000),
  );
  console.log(`\nfeatures.arena: highWater after 10 mfccWithDeltas calls on ${basename(u.file)} (${uFrames} frames): ${after10} bytes; ` +
    `after 10,000: ${after10000} bytes -> ${after10 === after10000 ? 'equal (no growth)' : `GREW by ${after10000 - after10} bytes`}\n`);
  return results;
};
