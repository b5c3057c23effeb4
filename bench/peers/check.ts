/**
 * Sanity check for the peers: FFT peers against a float64 direct DFT, MFCC
 * peers against the librosa 0.10.1 fsdd-seed fixtures, plus a quick
 * ns-per-transform timing (not a benchmark: a few rounds, no isolation).
 *
 *   node --import tsx bench/peers/check.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fftjs } from './fftjs.ts';
import { meydaMfcc } from './meyda.ts';
import { pffftScalar, pffftSimd } from './pffft.ts';
import { plainJsMfcc } from './plainjs.ts';
import { MFCC_N_COEFFS } from './common.ts';
import type { MfccPeer, RealFftInstance, RealFftPeer } from './types.ts';
import { Rng } from '../../bindings/rng.ts';
import { dftPower } from '../fft.bench.ts';

function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const SIZES = [240, 256, 400, 512, 1024];
const FIXTURE_DIR = '/work/shared/reference/librosa-0.10.1';
const FIXTURE = join(FIXTURE_DIR, '0_george_0.fsdd-seed.json');



/** max_k |P_k − R_k| / max_k R_k: normwise, since tiny bins make per-bin ratios meaningless. */
function relErr(p: Float32Array, ref: Float64Array): number {
  if (p.length !== ref.length) return NaN;
  let maxRef = 0;
  let maxDiff = 0;
  for (let k = 0; k < ref.length; k++) {
    maxRef = Math.max(maxRef, ref[k]);
    maxDiff = Math.max(maxDiff, Math.abs(p[k] - ref[k]));
  }
  return maxDiff / maxRef;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pad = (s: string, w: number) => s.padStart(w);

/** ns per run(): batches of ~5 ms, round-robin across peers, median of rounds. */
function timeRoundRobin(insts: RealFftInstance[], rounds = 7): number[] {
  const iters = insts.map((inst) => {
    // Warm up by wall time, not call count: V8 first runs wasm through the
    // Liftoff baseline tier (pffft 240: ~3000 vs ~680 ns) and tiers up to
    // TurboFan in the background after some tens of ms, later under load.
    const tw = performance.now();
    while (performance.now() - tw < 150) for (let i = 0; i < 100; i++) inst.run();
    let k = 64;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < k; i++) inst.run();
      if (performance.now() - t0 > 2) return Math.ceil((k * 5) / (performance.now() - t0));
      k *= 2;
    }
  });
  const samples: number[][] = insts.map(() => []);
  for (let r = 0; r < rounds; r++) {
    insts.forEach((inst, i) => {
      const t0 = process.hrtime.bigint();
      for (let j = 0; j < iters[i]; j++) inst.run();
      samples[i].push(Number(process.hrtime.bigint() - t0) / iters[i]);
    });
  }
  return samples.map(median);
}

async function checkFft(peers: RealFftPeer[]): Promise<void> {
  console.log('== Real FFT peers: max rel. error of |X|^2 vs float64 DFT (max|dP|/max P), ns/transform (GFLOP/s at 2.5 N log2 N), median of 7 ==');
  console.log(pad('peer', 22) + SIZES.map((n) => pad(String(n), 26)).join(''));
  const rand = rng(12345);
  const results = new Map<string, string[]>(peers.map((p) => [p.name, []]));
  for (const n of SIZES) {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = 2 * rand() - 1;
    const ref = dftPower(x);
    const active = peers.filter((p) => p.supports(n));
    const insts = active.map((p) => p.prepare(n));
    // Set inputs only after every prepare: a later malloc may have moved the heap.
    insts.forEach((inst) => inst.input.set(x));
    const errs = insts.map((inst) => {
      inst.run();
      return relErr(inst.output(), ref);
    });
    const ns = timeRoundRobin(insts);
    for (const p of peers) {
      const i = active.indexOf(p);
      const cell =
        i < 0 ? 'unsupported' : `${errs[i].toExponential(1)} ${ns[i].toFixed(0)} (${((2.5 * n * Math.log2(n)) / ns[i]).toFixed(1)})`;
      results.get(p.name)!.push(cell);
    }
    insts.forEach((inst) => inst.dispose());
  }
  for (const p of peers) console.log(pad(p.name, 22) + results.get(p.name)!.map((c) => pad(c, 26)).join(''));
}

interface Fixture {
  y: number[];
  params: { sr: number };
  outputs: { mfcc13: number[][] };
}

/** max |peer − librosa| over all coefficients; NaN on a frame-count mismatch. */
function mfccErr(out: Float32Array, ref: number[][]): number {
  const frames = ref[0].length;
  if (out.length !== frames * MFCC_N_COEFFS) return NaN;
  let e = 0;
  for (let c = 0; c < MFCC_N_COEFFS; c++)
    for (let t = 0; t < frames; t++) e = Math.max(e, Math.abs(out[t * MFCC_N_COEFFS + c] - ref[c][t]));
  return e;
}

async function checkMfcc(peers: MfccPeer[]): Promise<void> {
  console.log('\n== MFCC peers vs librosa mfcc13 (n_fft 240, hop 120, 128 mels) ==');
  const load = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Fixture;
  const main = load(FIXTURE);
  const others = readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.fsdd-seed.json'))
    .map((f) => load(join(FIXTURE_DIR, f)));
  for (const peer of peers) {
    await peer.init();
    const y = Float32Array.from(main.y);
    const err = mfccErr(peer.mfcc(y, main.params.sr), main.outputs.mfcc13);
    let errAll = 0;
    for (const fx of others) errAll = Math.max(errAll, mfccErr(peer.mfcc(Float32Array.from(fx.y), fx.params.sr), fx.outputs.mfcc13));
    const frames = main.outputs.mfcc13[0].length;
    const reps = [];
    for (let r = 0; r < 5; r++) {
      const k = 200;
      const t0 = performance.now();
      for (let i = 0; i < k; i++) peer.mfcc(y, main.params.sr);
      reps.push(((performance.now() - t0) * 1000) / (k * frames));
    }
    console.log(
      `${pad(peer.name, 22)}  max|Δ| 0_george_0: ${err.toExponential(3)}   all ${others.length} fsdd-seed: ${errAll.toExponential(3)}   ${median(reps).toFixed(2)} µs/frame`,
    );
  }
}

const simd = await pffftSimd();
// The SIMD guard must refuse 240 without touching wasm (an abort kills the instance).
let refused = false;
try {
  simd.prepare(240);
} catch (e) {
  refused = e instanceof RangeError;
}
console.log(`pffft simd: supports(240)=${simd.supports(240)}, prepare(240) throws RangeError=${refused}\n`);

await checkFft([await fftjs(), simd, await pffftScalar()]);
await checkMfcc([plainJsMfcc, meydaMfcc]);
