/**
 * Suite `fft`: ns per forward real transform, speechcore's raw kernels vs the JS/wasm peers.
 *
 * Every implementation runs on buffers prepared once (wasm-side for the wasm ones), so the timing
 * is the transform alone, with no JS copies in or out — the pffft adapters' protocol, applied to
 * ours through `engine.arena.persistent` blocks and the raw `rfft` / `rfft4` exports. Ours writes
 * the complex spectrum (power = 0), as the peers do. Before timing, every implementation's power
 * spectrum is checked against a float64 DFT.
 *
 * Impls: speechcore-simd-x4 (SIMD build, `rfft4`: four lane-interleaved transforms per call,
 * reported per transform), speechcore-simd (SIMD build, `rfft`), speechcore-scalar (scalar build,
 * `rfft`), fft.js, pffft-wasm-simd, pffft-wasm (non-SIMD). Sizes 240, 256, 400, 512, 1024 for all
 * that support them, plus 441 = 3²·7² (ours only: the generic-radix path). After the table, one
 * line gives speechcore-simd / pffft-wasm-simd time ratios per size.
 *
 * @module
 */
import type { BenchResult, Suite } from './schema.ts';
import { loadNote, timeCase, table, type Impl } from './timing.ts';
import { createEngineSync, type Engine } from '../bindings/engine.ts';
import { fftPlan } from '../bindings/features/fft.ts';
import { fftjs } from './peers/fftjs.ts';
import { pffftScalar, pffftSimd } from './peers/pffft.ts';
import type { RealFftInstance, RealFftPeer } from './peers/types.ts';
import { Rng } from '../bindings/rng.ts';

const SIZES = [240, 256, 400, 441, 512, 1024];
/** Sizes only speechcore is timed at. */
const OURS_ONLY = new Set([441]);
/** Max normwise relative error of |X|² vs the float64 DFT before a result is accepted. */
const MAX_REL_ERR = 1e-5;

/** Seeded uniform [0, 1) generator (bindings/rng.ts). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** |X_k|², k = 0..n/2, by direct float64 DFT (angle index reduced mod n for exact twiddles). */
export function dftPower(x: Float32Array): Float64Array {
  const n = x.length;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / n);
    sin[j] = Math.sin((2 * Math.PI * j) / n);
  }
  const p = new Float64Array((n >> 1) + 1);
  for (let k = 0; k <= n >> 1; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const j = (k * i) % n;
      re += x[i]! * cos[j]!;
      im -= x[i]! * sin[j]!;
    }
    p[k] = re * re + im * im;
  }
  return p;
}

/** max_k |P_k − R_k| / max_k R_k (normwise: tiny bins make per-bin ratios meaningless). */
function relErr(p: ArrayLike<number>, ref: Float64Array): number {
  if (p.length !== ref.length) return Infinity;
  let maxRef = 0;
  let maxDiff = 0;
  for (let k = 0; k < ref.length; k++) {
    maxRef = Math.max(maxRef, ref[k]!);
    maxDiff = Math.max(maxDiff, Math.abs(p[k]! - ref[k]!));
  }
  return maxDiff / maxRef;
}

/** A timed implementation plus its correctness check (power spectra of the lanes it computed). */
interface Prepared extends Impl {
  /** After one run(): the power spectra it produced, one per input signal (lane). */
  spectra(): Float64Array[];
}

/** speechcore raw `rfft`: one transform, complex output, on persistent wasm buffers. */
function oursSingle(engine: Engine, impl: string, n: number, x: Float32Array): Prepared {
  const { arena, exports } = engine;
  const plan = fftPlan(engine, n);
  const nBins = (n >> 1) + 1;
  const xp = arena.persistent(n * 4);
  const out = arena.persistent(2 * nBins * 4);
  const work = arena.persistent(4 * n * 4);
  arena.f32(xp, n).set(x);
  const rfft = exports.rfft;
  return {
    impl,
    run: () => rfft(plan, xp, out, work, 0),
    spectra() {
      const o = arena.f32(out, 2 * nBins);
      const p = new Float64Array(nBins);
      for (let k = 0; k < nBins; k++) p[k] = o[2 * k]! * o[2 * k]! + o[2 * k + 1]! * o[2 * k + 1]!;
      return [p];
    },
  };
}

/** speechcore raw `rfft4`: four lane-interleaved transforms ([n][4] in, [n/2+1][2][4] out) per call. */
function oursX4(engine: Engine, impl: string, n: number, xs: Float32Array[]): Prepared {
  const { arena, exports } = engine;
  const plan = fftPlan(engine, n);
  const nBins = (n >> 1) + 1;
  const xp = arena.persistent(4 * n * 4);
  const out = arena.persistent(4 * 2 * nBins * 4);
  const work = arena.persistent(16 * n * 4);
  const xv = arena.f32(xp, 4 * n);
  for (let f = 0; f < 4; f++) for (let i = 0; i < n; i++) xv[4 * i + f] = xs[f]![i]!;
  const rfft4 = exports.rfft4;
  return {
    impl,
    per: 4,
    run: () => rfft4(plan, xp, out, work, 0),
    spectra() {
      const o = arena.f32(out, 8 * nBins);
      return [0, 1, 2, 3].map((f) => {
        const p = new Float64Array(nBins);
        for (let k = 0; k < nBins; k++) {
          const re = o[8 * k + f]!;
          const im = o[8 * k + 4 + f]!;
          p[k] = re * re + im * im;
        }
        return p;
      });
    },
  };
}

/**
 * One line: speechcore-simd's median time over pffft-wasm-simd's, per size both ran (same run).
 * The inverse of the table's "vs" column, spelled out because it is the figure the single-transform
 * SIMD path is held to (≤ 1.25).
 */
function singleVsPffft(results: readonly BenchResult[]): string {
  const at = (impl: string, n: unknown) => results.find((r) => r.impl === impl && r.params['n'] === n);
  const parts = results
    .filter((r) => r.impl === 'speechcore-simd')
    .flatMap((r) => {
      const p = at('pffft-wasm-simd', r.params['n']);
      return p ? [`n=${r.params['n']} ${(r.median / p.median).toFixed(2)}`] : [];
    });
  return `time ratio speechcore-simd (single rfft) / pffft-wasm-simd, medians of this run: ${parts.join(', ')}`;
}

/** A peer adapter's instance as a timed implementation. */
function peer(impl: string, inst: RealFftInstance): Prepared {
  return { impl, run: inst.run, spectra: () => [Float64Array.from(inst.output())] };
}

export const fftSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const rounds = options.quick ? 5 : 25;
  const loadBefore = loadNote();
  const simd = createEngineSync({ simd: true });
  const scalar = createEngineSync({ simd: false });
  if (!simd.exports.simdEnabled() || scalar.exports.simdEnabled()) throw new Error('fft bench: engine builds are not SIMD / scalar as requested');
  const peers: [string, RealFftPeer][] = [
    ['fft.js', await fftjs()],
    ['pffft-wasm-simd', await pffftSimd()],
    ['pffft-wasm', await pffftScalar()],
  ];
  const rand = rng(12345);
  const results: BenchResult[] = [];

  for (const n of SIZES) {
    const xs = [0, 1, 2, 3].map(() => Float32Array.from({ length: n }, () => 2 * rand() - 1));
    const refs = xs.map(dftPower);
    const active = OURS_ONLY.has(n) ? [] : peers.filter(([, p]) => p.supports(n));
    const insts = active.map(([name, p]) => [name, p.prepare(n)] as const);
    // Inputs only after every prepare: a later malloc may have moved a peer's heap.
    for (const [, inst] of insts) inst.input.set(xs[0]!);
    const impls: Prepared[] = [
      oursX4(simd, 'speechcore-simd-x4', n, xs),
      oursSingle(simd, 'speechcore-simd', n, xs[0]!),
      oursSingle(scalar, 'speechcore-scalar', n, xs[0]!),
      ...insts.map(([name, inst]) => peer(name, inst)),
    ];
    for (const im of impls) {
      im.run();
      im.spectra().forEach((p, lane) => {
        const e = relErr(p, refs[lane]!);
        if (!(e <= MAX_REL_ERR)) {
          throw new Error(`fft bench: ${im.impl} n=${n} lane ${lane}: |X|² rel. error ${e.toExponential(2)} > ${MAX_REL_ERR} vs float64 DFT`);
        }
      });
    }
    log(`fft n=${n}: ${impls.map((i) => i.impl).join(', ')} checked vs f64 DFT; timing ${rounds} rounds`);
    results.push(...timeCase({ name: 'fft.rfft', params: { n }, unit: 'ns', impls }, { rounds, log }));
    for (const [, inst] of insts) inst.dispose();
  }

  const gflops = (r: BenchResult) => {
    const n = Number(r.params['n']);
    return ((2.5 * n * Math.log2(n)) / r.median).toFixed(1);
  };
  console.log('\n' + table(results, {
    title: `fft: ns per forward real transform (complex output, preallocated buffers), median of ${rounds} round-robin rounds (${loadBefore} -> ${loadNote()})`,
    baselines: ['pffft-wasm-simd', 'pffft-wasm'],
    match: ['n'],
    columns: [{ header: 'GFLOP/s (2.5·N·log2N)', value: gflops }],
  }) + '\n');
  console.log(singleVsPffft(results) + '\n');
  return results;
};
