/**
 * HMM kernels at the lattice level (assembly/hmm/*.ts through bindings/hmm/{fb,viterbi,gmm}.ts):
 * the hmmlearn test_base.py / Wikipedia umbrella-world numbers, brute-force enumeration of every
 * state path on tiny models (structural zeros, a logEnd constraint, emission zeros, T = 1, ties,
 * no allowed path), the GMM log-density kernels against a naive f64 Gaussian (diag and full,
 * D = 1..7, odd and even frame counts for the two-frame lanes' scalar tail), and the SIMD engine
 * against the scalar one. Random inputs come from the seeded rng (override with SPEECHCORE_SEED).
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Ptr } from '../bindings/abi.ts';
import { createEngineSync, hostHasSimd, type Engine } from '../bindings/engine.ts';
import { chainPtrs, forwardBackward, forwardScore } from '../bindings/hmm/fb.ts';
import { emissionLogProb, emissionPtrs, type GmmParams } from '../bindings/hmm/gmm.ts';
import { viterbiDecode } from '../bindings/hmm/viterbi.ts';
import { rng, SEED } from './helpers/fixtures.ts';
import { bruteForce, logSumExp, naiveEmissions, normal, pathScore, randomSpd, viterbiTieBreak, type Lattice, type Uniform } from './reference/hmm.ts';

const seedNote = `(SPEECHCORE_SEED=${SEED})`;

const engines: Array<[string, Engine]> = [['scalar', createEngineSync({ simd: false })]];
if (hostHasSimd()) engines.push(['simd', createEngineSync({ simd: true })]);

const SENTINEL = 31337.25;

/** |got − ref| ≤ tol·max(1, |ref|), with −Infinity equal only to −Infinity. */
function near(got: number, ref: number, tol: number): boolean {
  if (ref === -Infinity || got === -Infinity) return got === ref;
  return Math.abs(got - ref) <= tol * Math.max(1, Math.abs(ref));
}

/** Elementwise `near`, reporting the first miss. */
function closeAll(got: ArrayLike<number>, ref: ArrayLike<number>, tol: number, label: string): void {
  assert.is(got.length, ref.length, `${label}: length`);
  for (let i = 0; i < ref.length; i++) {
    if (!near(got[i]!, ref[i]!, tol)) assert.unreachable(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (tol ${tol}) ${seedNote}`);
  }
}

// ---- running the kernels on a lattice -------------------------------------------------------------

interface KernelRun {
  logProb: number; // forwardScore
  fbLogProb: number; // forwardBackward
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  xiSum: Float64Array;
  viterbi: number;
  path: Int32Array;
}

/** Block of n f64 plus one sentinel slot after it, filled with `fill`. */
function block(engine: Engine, n: number, fill: number): Ptr {
  const p = engine.arena.alloc((n + 1) * 8);
  engine.arena.f64(p, n + 1).fill(fill).fill(SENTINEL, n);
  return p;
}

function sentinelIntact(engine: Engine, p: Ptr, n: number, label: string): void {
  assert.is(engine.arena.f64(p, n + 1)[n], SENTINEL, `${label}: kernel wrote past its [T][S] output`);
}

/** forwardScore, backwardLog, forwardBackward (gamma, xiSum from 0) and viterbiDecode on one lattice. */
function runKernels(engine: Engine, L: Lattice): KernelRun {
  const { S, T } = L;
  const a = engine.arena;
  return a.scope(() => {
    const chain = chainPtrs(engine, L.logStart, L.logTrans, L.logEnd);
    const logB = a.f64In(L.logB);
    const alpha = block(engine, T * S, NaN), beta = block(engine, T * S, NaN);
    const gamma = block(engine, T * S, NaN), xiSum = block(engine, S * S, 0);
    const logProb = forwardScore(engine, chain, logB, T, S, alpha);
    const alphaOut = a.f64(alpha, T * S).slice();
    engine.exports.backwardLog(chain.logTrans, chain.logEnd, logB, T, S, beta);
    const betaOut = a.f64(beta, T * S).slice();
    const fbLogProb = forwardBackward(engine, chain, logB, T, S, { alpha, beta }, gamma, xiSum);
    const delta = block(engine, T * S, NaN);
    const psi = a.alloc(T * S * 4), path = a.alloc(T * 4 + 4);
    a.i32(path, T + 1).fill(-7).fill(-99, T);
    const v = viterbiDecode(engine, chain, logB, T, S, { delta, psi, path });
    for (const [p, n, what] of [[alpha, T * S, 'alpha'], [beta, T * S, 'beta'], [gamma, T * S, 'gamma'], [xiSum, S * S, 'xiSum'], [delta, T * S, 'delta']] as const) {
      sentinelIntact(engine, p, n, what);
    }
    assert.is(a.i32(path, T + 1)[T], -99, 'viterbiLog wrote past path[T]');
    return {
      logProb, fbLogProb, alpha: alphaOut, beta: betaOut, gamma: a.f64(gamma, T * S).slice(), xiSum: a.f64(xiSum, S * S).slice(),
      viterbi: v.logProb, path: v.path,
    };
  });
}

/** Every kernel output against the brute-force enumeration, to 1e-9. */
function checkAgainstBruteForce(engine: Engine, L: Lattice, label: string): KernelRun {
  const bf = bruteForce(L);
  const r = runKernels(engine, L);
  const TOL = 1e-9;
  assert.ok(near(r.logProb, bf.logProb, TOL), `${label}: forward log p(X) ${r.logProb} vs brute force ${bf.logProb} ${seedNote}`);
  assert.is(r.fbLogProb, r.logProb, `${label}: forwardBackward and forwardScore agree`);
  closeAll(r.alpha, bf.alpha, TOL, `${label}: alpha`);
  closeAll(r.beta, bf.beta, TOL, `${label}: beta`);
  closeAll(r.gamma, bf.gamma, TOL, `${label}: gamma`);
  closeAll(r.xiSum, bf.xiSum, TOL, `${label}: xiSum`);
  assert.ok(near(r.viterbi, bf.best, TOL), `${label}: Viterbi log-prob ${r.viterbi} vs best path ${bf.best} ${seedNote}`);
  if (bf.best === -Infinity) {
    assert.equal(Array.from(r.path), new Array(L.T).fill(-1), `${label}: no allowed path gives a path of −1s`);
    assert.is(r.logProb, -Infinity, `${label}: no path: forward is −Infinity too`);
  } else {
    assert.ok(bf.bestPaths.some((p) => p.every((s, t) => s === r.path[t])),
      `${label}: Viterbi path ${Array.from(r.path)} is not one of the best paths ${seedNote}`);
    assert.ok(near(pathScore(L, r.path), r.viterbi, TOL), `${label}: the returned path scores what Viterbi reports`);
  }
  for (const v of [r.logProb, r.viterbi, ...r.gamma, ...r.xiSum]) assert.ok(!Number.isNaN(v), `${label}: NaN in the kernel output`);
  return r;
}

/** log of a row-stochastic matrix with some entries zeroed (−Infinity) and the rest renormalised. */
function randomLogRows(next: Uniform, rows: number, cols: number, zeroProb: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const w = Array.from({ length: cols }, (): number => (next() < zeroProb ? 0 : 0.05 + next()));
    if (!w.some((x) => x > 0)) w[Math.floor(next() * cols)] = 1;
    const s = w.reduce((a, b) => a + b, 0);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.log(w[c]! / s);
  }
  return out;
}

/** A random lattice: S states, T frames, emission log-densities in [−6, 3) (some −Infinity when asked). */
function randomLattice(next: Uniform, S: number, T: number, o: { zeroProb?: number; endZeroProb?: number; emissionZeroProb?: number } = {}): Lattice {
  const logEnd = new Float64Array(S);
  if (o.endZeroProb) {
    for (let s = 0; s < S; s++) logEnd[s] = next() < o.endZeroProb ? -Infinity : 0;
    if (logEnd.every((v) => v === -Infinity)) logEnd[S - 1] = 0;
  }
  const logB = Float64Array.from({ length: T * S }, () => (o.emissionZeroProb && next() < o.emissionZeroProb ? -Infinity : -6 + 9 * next()));
  return { S, T, logStart: randomLogRows(next, 1, S, o.zeroProb ?? 0), logTrans: randomLogRows(next, S, S, o.zeroProb ?? 0), logEnd, logB };
}

/** A left-right chain (a_ij = 0 unless j ∈ {i, i+1}, start in 0), ending in the last state when asked. */
function leftRight(next: Uniform, S: number, T: number, endInLast: boolean): Lattice {
  const logTrans = new Float64Array(S * S).fill(-Infinity);
  for (let i = 0; i < S; i++) {
    if (i === S - 1) logTrans[i * S + i] = 0;
    else { const stay = 0.2 + 0.6 * next(); logTrans[i * S + i] = Math.log(stay); logTrans[i * S + i + 1] = Math.log(1 - stay); }
  }
  const logStart = new Float64Array(S).fill(-Infinity);
  logStart[0] = 0;
  const logEnd = new Float64Array(S).fill(endInLast ? -Infinity : 0);
  logEnd[S - 1] = 0;
  return { S, T, logStart, logTrans, logEnd, logB: Float64Array.from({ length: T * S }, () => -6 + 9 * next()) };
}

// ---- the textbook example ---------------------------------------------------------------------------

const Textbook = suite('umbrella world (Wikipedia forward-backward; hmmlearn test_base.py)');

/** Rain / no rain; frame probabilities of umbrella, umbrella, no umbrella, umbrella, umbrella. */
const UMBRELLA: Lattice = {
  S: 2, T: 5,
  logStart: Float64Array.from([0.5, 0.5], Math.log),
  logTrans: Float64Array.from([0.7, 0.3, 0.3, 0.7], Math.log),
  logEnd: new Float64Array(2),
  logB: Float64Array.from([0.9, 0.2, 0.9, 0.2, 0.1, 0.8, 0.9, 0.2, 0.9, 0.2], Math.log),
};

// Every factor is a multiple of 1/10, so the exact answers are rationals (summed over the 32 paths
// in integers): p(X) = 343037005 / 10^10, the best path 0,0,1,0,0 has p = 115736040 / 10^10.
const UMBRELLA_P = 343037005 / 1e10;
const UMBRELLA_BEST = 115736040 / 1e10;

Textbook('forward, backward, posteriors and Viterbi match hmmlearn\'s reference tables', () => {
  for (const [name, engine] of engines) {
    const r = checkAgainstBruteForce(engine, UMBRELLA, name);
    // hmmlearn test_base.py: log_prob -3.3725, Viterbi log_prob -4.4590 with states [0, 0, 1, 0, 0].
    assert.is(Math.round(r.logProb * 1e4) / 1e4, -3.3725, `${name}: reflogprob`);
    assert.is(Math.round(r.viterbi * 1e4) / 1e4, -4.459, `${name}: Viterbi reflogprob`);
    assert.equal(Array.from(r.path), [0, 0, 1, 0, 0], `${name}: Viterbi path`);
    // and the exact rationals, to 1e-12
    assert.ok(Math.abs(r.logProb - Math.log(UMBRELLA_P)) <= 1e-12, `${name}: log p(X) ${r.logProb} vs log(0.0343037005)`);
    assert.ok(Math.abs(r.viterbi - Math.log(UMBRELLA_BEST)) <= 1e-12, `${name}: Viterbi ${r.viterbi} vs log(0.011573604)`);
    const fwd = [[0.45, 0.1], [0.3105, 0.041], [0.023, 0.0975], [0.0408, 0.015], [0.0298, 0.0046]];
    const bwd = [[0.0661, 0.0455], [0.0906, 0.1503], [0.4593, 0.2437], [0.69, 0.41], [1, 1]];
    // Wikipedia's smoothed posteriors (hmmlearn's refposteriors).
    const post = [[0.8673, 0.1327], [0.8204, 0.1796], [0.3075, 0.6925], [0.8204, 0.1796], [0.8673, 0.1327]];
    // hmmlearn compares these tables with 4 decimals (its 0.0046 is a rounding of 0.00455).
    closeAll(r.alpha.map(Math.exp), fwd.flat(), 6e-4, `${name}: exp(alpha) vs reffwdlattice`);
    closeAll(r.beta.map(Math.exp), bwd.flat(), 1e-4, `${name}: exp(beta) vs refbwdlattice`);
    closeAll(r.gamma, post.flat(), 1e-4, `${name}: posteriors vs refposteriors`);
    // exact: gamma_0(rain) = 0.45 · 0.06611763 / p(X) = 297529335 / 343037005
    assert.ok(Math.abs(r.gamma[0]! - 297529335 / 343037005) <= 1e-12, `${name}: gamma[0][0] exact`);
    for (let t = 0; t < 5; t++) assert.ok(Math.abs(r.gamma[2 * t]! + r.gamma[2 * t + 1]! - 1) <= 1e-12, `${name}: gamma row ${t} sums to 1`);
    // xi sums over t < T−1 equal the gamma sums over those frames, row by row.
    for (let i = 0; i < 2; i++) {
      let g = 0;
      for (let t = 0; t < 4; t++) g += r.gamma[2 * t + i]!;
      assert.ok(Math.abs(r.xiSum[2 * i]! + r.xiSum[2 * i + 1]! - g) <= 1e-12, `${name}: xiSum row ${i} = Σ_{t<T−1} gamma`);
    }
  }
});

Textbook.run();

// ---- brute force on tiny models -----------------------------------------------------------------------

const Brute = suite('forward / backward / posteriors / Viterbi vs all S^T paths');

Brute('ergodic, S = 1..3, T = 1..6, several draws each', () => {
  const next = rng(SEED + 1);
  for (const [name, engine] of engines) {
    for (let S = 1; S <= 3; S++) for (let T = 1; T <= 6; T++) for (let n = 0; n < 3; n++) {
      checkAgainstBruteForce(engine, randomLattice(next, S, T), `${name} S=${S} T=${T} #${n}`);
    }
  }
});

Brute('structural zeros (−Infinity transitions and start), S = 2..4', () => {
  const next = rng(SEED + 2);
  for (const [name, engine] of engines) {
    for (let S = 2; S <= 4; S++) for (let T = 1; T <= 6; T++) for (let n = 0; n < 3; n++) {
      checkAgainstBruteForce(engine, randomLattice(next, S, T, { zeroProb: 0.4 }), `${name} S=${S} T=${T} #${n}`);
    }
  }
});

Brute('a logEnd constraint (only some states may end), and emission zeros (logB = −Infinity)', () => {
  const next = rng(SEED + 3);
  for (const [name, engine] of engines) {
    for (let S = 2; S <= 3; S++) for (let T = 1; T <= 6; T++) for (let n = 0; n < 3; n++) {
      checkAgainstBruteForce(engine, randomLattice(next, S, T, { endZeroProb: 0.6 }), `${name} logEnd S=${S} T=${T} #${n}`);
      checkAgainstBruteForce(engine, randomLattice(next, S, T, { zeroProb: 0.3, emissionZeroProb: 0.25 }), `${name} logB zeros S=${S} T=${T} #${n}`);
    }
  }
});

Brute('left-right chains must end in the last state: T < S has no path (−Infinity, path of −1s, gamma zeroed)', () => {
  const next = rng(SEED + 4);
  for (const [name, engine] of engines) {
    for (let S = 1; S <= 4; S++) for (let T = 1; T <= 6; T++) {
      const L = leftRight(next, S, T, true);
      const r = checkAgainstBruteForce(engine, L, `${name} left-right S=${S} T=${T}`);
      if (T < S) {
        assert.is(r.logProb, -Infinity, `${name} S=${S} T=${T}: too short for the chain`);
        assert.is(r.viterbi, -Infinity);
        assert.ok(r.gamma.every((g) => g === 0), `${name} S=${S} T=${T}: forwardBackward zeroes gamma when no path exists`);
        assert.ok(r.xiSum.every((x) => x === 0), `${name} S=${S} T=${T}: xiSum untouched`);
      } else {
        assert.ok(Number.isFinite(r.logProb), `${name} S=${S} T=${T}: finite`);
        assert.is(r.path[0], 0, 'starts in state 0');
        assert.is(r.path[T - 1], S - 1, 'ends in the last state');
        for (let t = 1; t < T; t++) assert.ok(r.path[t]! - r.path[t - 1]! === 0 || r.path[t]! - r.path[t - 1]! === 1, 'left-right steps');
      }
      checkAgainstBruteForce(engine, leftRight(next, S, T, false), `${name} left-right, end anywhere, S=${S} T=${T}`);
    }
  }
});

Brute('T = 1: log p = logsumexp(start + b + end); Viterbi = argmax', () => {
  const L: Lattice = {
    S: 3, T: 1, logStart: Float64Array.from([0.2, 0.3, 0.5], Math.log), logTrans: new Float64Array(9).fill(Math.log(1 / 3)),
    logEnd: Float64Array.from([0, -Infinity, 0]), logB: Float64Array.from([-1, 5, -2]),
  };
  for (const [name, engine] of engines) {
    const r = checkAgainstBruteForce(engine, L, name);
    const ref = logSumExp([Math.log(0.2) - 1, Math.log(0.5) - 2]);
    assert.ok(Math.abs(r.logProb - ref) <= 1e-12, `${name}: ${r.logProb} vs ${ref}`);
    assert.equal(Array.from(r.path), [0], `${name}: state 1 is the best emitter but may not end`);
    assert.ok(Math.abs(r.gamma[0]! + r.gamma[2]! - 1) <= 1e-12 && r.gamma[1] === 0, `${name}: gamma ${Array.from(r.gamma)}`);
    assert.equal(Array.from(r.beta), [0, -Infinity, 0], `${name}: beta[T−1] = logEnd`);
  }
});

Brute('Viterbi ties go to the lower state, at the end and in every back-pointer', () => {
  const flat = (S: number, T: number): Lattice => ({
    S, T, logStart: new Float64Array(S).fill(Math.log(1 / S)), logTrans: new Float64Array(S * S).fill(Math.log(1 / S)),
    logEnd: new Float64Array(S), logB: new Float64Array(T * S),
  });
  // A tie at the end between states 1 and 2, and in the middle: state 2 at t = 1 is reached equally from 0 and 1.
  const mid: Lattice = {
    S: 3, T: 3, logStart: Float64Array.from([0, 0, -Infinity]), logTrans: Float64Array.from([-Infinity, -Infinity, -1, -Infinity, -Infinity, -1, -Infinity, -2, -2]),
    logEnd: new Float64Array(3), logB: Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0]),
  };
  for (const [name, engine] of engines) {
    for (const [S, T] of [[2, 1], [2, 4], [3, 3], [4, 2]] as const) {
      const L = flat(S, T);
      const r = checkAgainstBruteForce(engine, L, `${name} flat S=${S} T=${T}`);
      assert.is(bruteForce(L).bestPaths.length, S ** T, 'every path ties');
      assert.equal(Array.from(r.path), new Array(T).fill(0), `${name} flat S=${S} T=${T}: all-0 path`);
    }
    const r = checkAgainstBruteForce(engine, mid, `${name} designed ties`);
    assert.equal(Array.from(r.path), Array.from(viterbiTieBreak(bruteForce(mid), 3)), `${name}: tie rule`);
    assert.equal(Array.from(r.path), [0, 2, 1], `${name}: lower end state 1 (tie with 2), then the lower of the tied predecessors 0/1`);
  }
});

Brute('no allowed path at all: every start or every transition forbidden', () => {
  const next = rng(SEED + 5);
  for (const [name, engine] of engines) {
    const noStart = randomLattice(next, 3, 4);
    noStart.logStart.fill(-Infinity);
    const noTrans = randomLattice(next, 3, 4);
    noTrans.logTrans.fill(-Infinity);
    const noEnd = randomLattice(next, 2, 3);
    noEnd.logEnd.fill(-Infinity);
    for (const [what, L] of [['start', noStart], ['transitions', noTrans], ['end', noEnd]] as const) {
      const r = checkAgainstBruteForce(engine, L, `${name} no ${what}`);
      assert.is(r.logProb, -Infinity);
      assert.ok(r.gamma.every((g) => g === 0), `${name} no ${what}: gamma zeroed`);
    }
  }
});

Brute('long sequences stay finite and normalised (T = 2000, log-space needs no rescaling)', () => {
  const next = rng(SEED + 6);
  const L = randomLattice(next, 4, 2000, { zeroProb: 0.3 });
  L.logB = L.logB.map((v) => v - 2); // ≈ −1.6 nats per frame: p(X) ≈ e^−3000 underflows f64
  for (const [name, engine] of engines) {
    const r = runKernels(engine, L);
    assert.ok(Number.isFinite(r.logProb) && r.logProb < -745, `${name}: log p = ${r.logProb} (p itself underflows)`);
    let worst = 0;
    for (let t = 0; t < L.T; t++) {
      let s = 0;
      for (let i = 0; i < L.S; i++) s += r.gamma[t * L.S + i]!;
      worst = Math.max(worst, Math.abs(s - 1));
    }
    assert.ok(worst <= 1e-9, `${name}: gamma rows sum to 1 within ${worst}`);
    let xi = 0;
    for (const v of r.xiSum) xi += v;
    assert.ok(Math.abs(xi - (L.T - 1)) <= 1e-8 * L.T, `${name}: Σ xiSum = T − 1 (${xi})`);
    assert.ok(r.viterbi <= r.logProb + 1e-9, `${name}: best path ≤ total`);
  }
});

Brute.run();

// ---- GMM log-densities vs a naive Gaussian ------------------------------------------------------------

const Gmm = suite('GMM kernels vs naive f64 Gaussian log-densities');

/** Random mixture parameters: weights > 0, diag variances in [0.2, 3.2), full SPD covariances. */
function randomGmm(next: Uniform, S: number, M: number, D: number, covarianceType: 'diag' | 'full'): GmmParams {
  const weights = new Float64Array(S * M);
  for (let s = 0; s < S; s++) {
    const w = Array.from({ length: M }, () => 0.1 + next());
    const tot = w.reduce((a, b) => a + b, 0);
    for (let m = 0; m < M; m++) weights[s * M + m] = w[m]! / tot;
  }
  const means = Float64Array.from({ length: S * M * D }, () => 3 * (2 * next() - 1));
  let covars: Float64Array;
  if (covarianceType === 'diag') covars = Float64Array.from({ length: S * M * D }, () => 0.2 + 3 * next());
  else {
    covars = new Float64Array(S * M * D * D);
    for (let k = 0; k < S * M; k++) covars.set(randomSpd(next, D, 0.3), k * D * D);
  }
  return { S, M, D, covarianceType, weights, means, covars };
}

function randomFrames(next: Uniform, T: number, D: number): Float64Array {
  return Float64Array.from({ length: T * D }, () => 2.5 * normal(next));
}

/** comp [T][K], logB [T][S], resp [T][K] from the kernels, with sentinels checked. */
function kernelEmissions(engine: Engine, g: GmmParams, X: Float64Array, T: number): { comp: Float64Array; logB: Float64Array; resp: Float64Array } {
  const a = engine.arena, K = g.S * g.M;
  return a.scope(() => {
    const e = emissionPtrs(engine, g, 'test model');
    const x = a.f64In(X);
    const comp = block(engine, T * K, NaN), logB = block(engine, T * g.S, NaN), resp = block(engine, T * K, NaN);
    emissionLogProb(engine, g, e, x, T, comp, logB, resp);
    sentinelIntact(engine, comp, T * K, 'comp');
    sentinelIntact(engine, logB, T * g.S, 'logB');
    sentinelIntact(engine, resp, T * K, 'resp');
    return { comp: a.f64(comp, T * K).slice(), logB: a.f64(logB, T * g.S).slice(), resp: a.f64(resp, T * K).slice() };
  });
}

function checkEmissions(engine: Engine, g: GmmParams, X: Float64Array, T: number, label: string): void {
  const got = kernelEmissions(engine, g, X, T);
  const ref = naiveEmissions(g, X, T);
  closeAll(got.comp, ref.comp, 1e-10, `${label}: comp`);
  closeAll(got.logB, ref.logB, 1e-10, `${label}: logB`);
  const { S, M } = g, K = S * M;
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      let sum = 0;
      for (let m = 0; m < M; m++) {
        const k = t * K + s * M + m;
        sum += got.resp[k]!;
        assert.ok(Math.abs(got.resp[k]! - Math.exp(ref.comp[k]! - ref.logB[t * S + s]!)) <= 1e-10, `${label}: resp[${t}][${s * M + m}]`);
      }
      assert.ok(Math.abs(sum - 1) <= 1e-12, `${label}: resp of state ${s} at frame ${t} sums to ${sum}`);
    }
  }
}

for (const covarianceType of ['diag', 'full'] as const) {
  Gmm(`${covarianceType}: D = 1..7, T = 1..7 and 101 (odd T runs the scalar tail), S = 2, M = 1..3`, () => {
    const next = rng(SEED + (covarianceType === 'diag' ? 10 : 11));
    for (const [name, engine] of engines) {
      for (let D = 1; D <= 7; D++) {
        for (const T of [1, 2, 3, 4, 5, 6, 7, 101]) {
          const M = 1 + ((D + T) % 3);
          const g = randomGmm(next, 2, M, D, covarianceType);
          checkEmissions(engine, g, randomFrames(next, T, D), T, `${name} ${covarianceType} D=${D} T=${T} M=${M}`);
        }
      }
    }
  });
}

Gmm('full with a diagonal covariance equals diag; frames far from every mean give finite, very negative logB', () => {
  const next = rng(SEED + 12);
  for (const [name, engine] of engines) {
    for (const T of [1, 2, 5]) {
      const D = 3;
      const diag = randomGmm(next, 2, 2, D, 'diag');
      const covars = new Float64Array(4 * D * D);
      for (let k = 0; k < 4; k++) for (let d = 0; d < D; d++) covars[k * D * D + d * D + d] = diag.covars[k * D + d]!;
      const full: GmmParams = { ...diag, covarianceType: 'full', covars };
      const X = randomFrames(next, T, D);
      const a = kernelEmissions(engine, diag, X, T), b = kernelEmissions(engine, full, X, T);
      closeAll(b.comp, a.comp, 1e-13, `${name} T=${T}: full(diag Σ) vs diag`);
      const far = X.map((v) => v + 1e4);
      for (const g of [diag, full]) {
        const r = kernelEmissions(engine, g, far, T);
        assert.ok(r.logB.every((v) => Number.isFinite(v) && v < -1e5), `${name} ${g.covarianceType}: far frames give finite logB`);
        checkEmissions(engine, g, far, T, `${name} ${g.covarianceType} far`);
      }
    }
  }
});

Gmm.run();

// ---- SIMD vs scalar --------------------------------------------------------------------------------

const Simd = suite('HMM kernels: SIMD engine vs scalar engine');

/** max |a − b| / max(1e-300, |b|) over finite entries; Infinity when finiteness differs. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i]) continue;
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) return Infinity;
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1e-300, Math.abs(b[i]!)));
  }
  return worst;
}

Simd('the SIMD engine runs the SIMD build', () => {
  if (!hostHasSimd()) return;
  assert.is(engines[1]![1].exports.simdEnabled(), 1);
  assert.is(engines[0]![1].exports.simdEnabled(), 0);
});

Simd('emissions and lattices: same values to 1e-12 relative (D = 1..7, T = 1..9, diag and full)', () => {
  if (!hostHasSimd()) return;
  const [scalar, simd] = [engines[0]![1], engines[1]![1]];
  const next = rng(SEED + 20);
  for (const covarianceType of ['diag', 'full'] as const) {
    for (let D = 1; D <= 7; D++) {
      for (const T of [1, 2, 3, 8, 9]) {
        const g = randomGmm(next, 3, 2, D, covarianceType);
        const X = randomFrames(next, T, D);
        const a = kernelEmissions(simd, g, X, T), b = kernelEmissions(scalar, g, X, T);
        const label = `${covarianceType} D=${D} T=${T}`;
        for (const k of ['comp', 'logB', 'resp'] as const) {
          const e = maxRel(a[k], b[k]);
          assert.ok(e <= 1e-12, `${label}: ${k} differs by ${e} relative ${seedNote}`);
        }
        const L: Lattice = { S: 3, T, logStart: randomLogRows(next, 1, 3, 0), logTrans: randomLogRows(next, 3, 3, 0.2), logEnd: new Float64Array(3), logB: b.logB };
        const ra = runKernels(simd, L), rb = runKernels(scalar, L);
        assert.ok(maxRel([ra.logProb, ra.viterbi], [rb.logProb, rb.viterbi]) <= 1e-12, `${label}: forward/Viterbi scores`);
        assert.ok(maxRel(ra.gamma, rb.gamma) <= 1e-12 && maxRel(ra.xiSum, rb.xiSum) <= 1e-12, `${label}: posteriors`);
        assert.equal(ra.path, rb.path, `${label}: Viterbi path`);
      }
    }
  }
});

Simd.run();
