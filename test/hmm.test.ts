/**
 * GmmHmm and HmmClassifier (bindings/hmm/): EM never lowers the log-likelihood (hmmlearn's
 * monotonicity test) on synthetic GMM-HMM samples and on real MFCC6 frames, structural zeros of
 * left-right chains survive training, training is reproducible per seed, degenerate data never
 * yields NaN, starved covariances raise a NumericalError naming model/state/component, saved
 * models reload with identical scores and corrupt ones raise ModelFormatError, and the
 * classifier recognises the lab split's validation digits. Random inputs come from the seeded
 * rng (override with SPEECHCORE_SEED).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applySplit, listFsdd, loadSplit, type FsddUtterance } from '../bindings/audio/dataset.ts';
import { decodeWav } from '../bindings/audio/wav.ts';
import { accuracy, confusionMatrix } from '../bindings/metrics.ts';
import { StandardScaler } from '../bindings/scaler.ts';
import { createEngineSync, hostHasSimd } from '../bindings/engine.ts';
import { ModelFormatError, NumericalError, ParameterError } from '../bindings/errors.ts';
import { mfcc } from '../bindings/features/mfcc.ts';
import { HmmClassifier } from '../bindings/hmm/classifier.ts';
import { classifierFile, LAB_FEATURES, parseClassifier } from '../bindings/hmm/classifier-file.ts';
import { emissionTables, type GmmParams } from '../bindings/hmm/gmm.ts';
import { GmmHmm, type GmmHmmOptions } from '../bindings/hmm/model.ts';
import type { Matrix } from '../bindings/matrix.ts';
import { rng, SEED } from './helpers/fixtures.ts';
import { sharedDir } from './helpers/shared.ts';
import { naiveCholesky, randomSpd, sampleGmmHmm, sampleLeftRight, type NaiveGmmHmm, type Uniform } from './reference/hmm.ts';

const seedNote = `(SPEECHCORE_SEED=${SEED})`;
const isParameterError = (e: unknown) => e instanceof ParameterError;

// ---- data ---------------------------------------------------------------------------------------

type CovType = 'diag' | 'full';
type Topo = 'ergodic' | 'left-right';

/** A generating S-state, M-mixture GMM-HMM in D dimensions with well separated state means. */
function generator(next: Uniform, S: number, M: number, D: number, covarianceType: CovType): NaiveGmmHmm {
  const weights = new Float64Array(S * M), means = new Float64Array(S * M * D);
  const covars = new Float64Array(covarianceType === 'diag' ? S * M * D : S * M * D * D);
  for (let s = 0; s < S; s++) {
    let tot = 0;
    for (let m = 0; m < M; m++) tot += (weights[s * M + m] = 0.3 + next());
    for (let m = 0; m < M; m++) {
      const k = s * M + m;
      weights[k] = weights[k]! / tot;
      for (let d = 0; d < D; d++) means[k * D + d] = 3 * (d === s % D ? s + 1 : 0) + 1.5 * (2 * next() - 1);
      if (covarianceType === 'diag') for (let d = 0; d < D; d++) covars[k * D + d] = 0.3 + next();
      else covars.set(randomSpd(next, D, 0.3), k * D * D);
    }
  }
  const startProb = Float64Array.from({ length: S }, () => 1 / S);
  const transMat = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) transMat[i * S + j] = i === j ? 0.8 : 0.2 / (S - 1);
  return { S, M, D, covarianceType, weights, means, covars, startProb, transMat };
}

/** n sequences from the generator: free-running chains (ergodic) or visiting every state in order (left-right). */
function synthetic(seed: number, topology: Topo, covarianceType: CovType, n = 6): Matrix[] {
  const next = rng(seed);
  const S = topology === 'ergodic' ? 2 : 3, D = topology === 'ergodic' ? 2 : 3;
  const h = generator(next, S, 2, D, covarianceType);
  return Array.from({ length: n }, () => {
    if (topology === 'ergodic') {
      const T = 15 + Math.floor(next() * 45);
      return { data: Float32Array.from(sampleGmmHmm(next, h, T).data), rows: T, cols: D };
    }
    const durations = Array.from({ length: S }, () => 3 + Math.floor(next() * 12));
    const T = durations.reduce((a, b) => a + b, 0);
    return { data: Float32Array.from(sampleLeftRight(next, h, durations)), rows: T, cols: D };
  });
}

const MFCC6 = { sr: 8000, nMfcc: 6, nFft: 240, hopLength: 120 } as const;
const FSDD = join(sharedDir, 'data/fsdd');

function features(u: FsddUtterance): Matrix {
  const wav = decodeWav(readFileSync(u.path), { file: u.file });
  assert.is(wav.sampleRate, 8000, `${u.file}: FSDD is 8 kHz`);
  return mfcc(wav.samples, MFCC6);
}

let fsdd: FsddUtterance[] | null = null;
const allFsdd = () => (fsdd ??= listFsdd(FSDD));

/** MFCC6 of digit `digit` by six speakers (takes 0 and 1), standardised on those frames. */
function realMfcc(digit: number): Matrix[] {
  const speakers = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'];
  const utts = allFsdd().filter((u) => u.digit === digit && u.index < 2 && speakers.includes(u.speaker));
  assert.is(utts.length, 12, 'twelve recordings');
  const m = utts.map(features);
  return new StandardScaler().fit(m).transform(m);
}

/** Every number in the model's parameters is finite. */
function paramsFinite(m: GmmHmm): boolean {
  const g = m.gmm!;
  return [m.startProb!, m.transMat!, g.weights, g.means, g.covars].every((a) => a.every(Number.isFinite));
}

/** history[i+1] ≥ history[i] − 1e-8·|history[i]|; returns the worst relative drop (≤ 0 is fine). */
function worstDrop(history: readonly number[]): number {
  let worst = -Infinity;
  for (let i = 1; i < history.length; i++) worst = Math.max(worst, (history[i - 1]! - history[i]!) / Math.abs(history[i - 1]!));
  return worst;
}

function assertMonotone(m: GmmHmm, label: string): void {
  const h = m.fitInfo!.history;
  assert.ok(h.length >= 2, `${label}: at least two EM iterations recorded (${h.length})`);
  assert.ok(h.every(Number.isFinite), `${label}: finite history ${h}`);
  const drop = worstDrop(h);
  assert.ok(drop <= 1e-8, `${label}: log-likelihood fell by ${drop} relative: ${h.join(', ')} ${seedNote}`);
  assert.ok(h[h.length - 1]! > h[0]!, `${label}: EM improved the fit (${h[0]} → ${h[h.length - 1]})`);
}

/** Left-right: a_ij = 0 exactly for j < i and j > i+1; start exactly [1, 0, …]. */
function assertLeftRightZeros(m: GmmHmm, label: string): void {
  const S = m.nStates, A = m.transMat!;
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < S; j++) {
      if (j < i || j > i + 1) assert.ok(Object.is(A[i * S + j], 0), `${label}: transMat[${i}][${j}] = ${A[i * S + j]}, not exactly 0`);
    }
  }
  assert.equal(Array.from(m.startProb!), [1, ...new Array(S - 1).fill(0)], `${label}: startProb`);
}

// ---- EM ---------------------------------------------------------------------------------------------

const Em = suite('EM: monotone log-likelihood, structural zeros, reproducibility');

for (const covarianceType of ['diag', 'full'] as const) {
  for (const topology of ['ergodic', 'left-right'] as const) {
    Em(`synthetic ${covarianceType} ${topology}: history never decreases, seeds 0..2`, () => {
      const data = synthetic(SEED + (covarianceType === 'full' ? 100 : 0) + (topology === 'ergodic' ? 0 : 10), topology, covarianceType);
      const S = topology === 'ergodic' ? 2 : 3;
      for (const seed of [0, 1, 2]) {
        const m = new GmmHmm({ nStates: S, nMix: 2, covarianceType, topology, nIter: 15, tol: 0, seed }).fit(data);
        const label = `${covarianceType} ${topology} seed ${seed}`;
        assertMonotone(m, label);
        assert.is(m.fitInfo!.skipped, 0, `${label}: nothing skipped`);
        assert.ok(paramsFinite(m), `${label}: finite parameters`);
        if (topology === 'left-right') assertLeftRightZeros(m, label);
        // The last E-step's total is the data's log-likelihood under the parameters before the last M-step,
        // so scoring with the final parameters can only be better.
        const total = m.scoreMany(data).reduce((a, b) => a + b, 0);
        const h = m.fitInfo!.history;
        assert.ok(total >= h[h.length - 1]! - 1e-8 * Math.abs(total), `${label}: final score ${total} ≥ last history ${h[h.length - 1]}`);
      }
    });
  }
}

Em('real MFCC6 (12 FSDD recordings of "5", standardised): monotone for diag/full × ergodic/left-right, 2 seeds', () => {
  const data = realMfcc(5);
  for (const covarianceType of ['diag', 'full'] as const) {
    for (const topology of ['ergodic', 'left-right'] as const) {
      for (const seed of [0, 1]) {
        const m = new GmmHmm({ nStates: 3, nMix: 2, covarianceType, topology, nIter: 10, tol: 0, seed }).fit(data);
        const label = `MFCC6 ${covarianceType} ${topology} seed ${seed}`;
        assertMonotone(m, label);
        assert.ok(paramsFinite(m), `${label}: finite parameters`);
        if (topology === 'left-right') assertLeftRightZeros(m, label);
      }
    }
  }
});

Em('left-right structural zeros stay exactly zero with 5 states and more iterations', () => {
  const data = synthetic(SEED + 20, 'left-right', 'diag', 8);
  const m = new GmmHmm({ nStates: 5, nMix: 1, topology: 'left-right', nIter: 25, tol: 0 }).fit(data);
  assertLeftRightZeros(m, '5-state');
  assert.ok(Object.is(m.transMat![4 * 5 + 4], 1), 'the last state only loops');
  for (let i = 0; i < 5; i++) {
    let s = 0;
    for (let j = 0; j < 5; j++) s += m.transMat![i * 5 + j]!;
    assert.ok(Math.abs(s - 1) <= 1e-12, `row ${i} sums to ${s}`);
  }
  assertMonotone(m, '5-state');
});

Em('same seed, same model bit for bit (also on a fresh engine); another seed gives another model', () => {
  const data = realMfcc(2); // real frames: k-means++ from another seed settles elsewhere
  for (const covarianceType of ['diag', 'full'] as const) {
    const o: GmmHmmOptions = { nStates: 3, nMix: 2, covarianceType, nIter: 8, seed: 7 };
    const a = JSON.stringify(new GmmHmm(o).fit(data).toJSON());
    const b = JSON.stringify(new GmmHmm(o).fit(data).toJSON());
    const c = JSON.stringify(new GmmHmm({ ...o, engine: createEngineSync() }).fit(data).toJSON());
    assert.is(b, a, `${covarianceType}: refit with seed 7`);
    assert.is(c, a, `${covarianceType}: refit on a private engine`);
    const other = new GmmHmm({ ...o, seed: 8 }).fit(data);
    assert.is.not(JSON.stringify({ ...other.toJSON(), options: null }), JSON.stringify({ ...JSON.parse(a), options: null }), `${covarianceType}: seed 8 differs`);
    assert.not.equal(Array.from(other.gmm!.means), JSON.parse(a).means, `${covarianceType}: seed 8 starts elsewhere`);
  }
});

Em.run();

// ---- degenerate data ------------------------------------------------------------------------------------

const Degenerate = suite('degenerate data: no NaN, no crash');

const seq = (rows: number, cols: number, f: (t: number, d: number) => number): Matrix =>
  ({ data: Float32Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)), rows, cols });

const CONFIGS = (['diag', 'full'] as const).flatMap((covarianceType) =>
  (['ergodic', 'left-right'] as const).map((topology) => ({ covarianceType, topology })));

/** Fits, then checks: finite history and parameters, no NaN score, and the covariance floor. */
function fitsCleanly(o: GmmHmmOptions, data: Matrix[], label: string): GmmHmm {
  const m = new GmmHmm({ nIter: 8, ...o }).fit(data);
  assert.ok(m.fitInfo!.history.every(Number.isFinite), `${label}: history ${m.fitInfo!.history}`);
  assert.ok(paramsFinite(m), `${label}: finite parameters`);
  for (const alg of ['forward', 'viterbi'] as const) {
    for (const v of m.scoreMany(data, alg)) assert.ok(!Number.isNaN(v), `${label}: ${alg} score is NaN`);
  }
  assertCovarianceFloor(m, label);
  if (m.fitInfo!.history.length >= 2) assert.ok(worstDrop(m.fitInfo!.history) <= 1e-8, `${label}: monotone ${m.fitInfo!.history}`);
  return m;
}

/** diag: every variance ≥ minCovar; full: every eigenvalue ≥ minCovar (C − 0.999·minCovar·I is PD). */
function assertCovarianceFloor(m: GmmHmm, label: string): void {
  const g = m.gmm!, D = g.D, K = g.S * g.M, floor = m.minCovar;
  for (let k = 0; k < K; k++) {
    if (g.covarianceType === 'diag') {
      for (let d = 0; d < D; d++) assert.ok(g.covars[k * D + d]! >= floor, `${label}: variance ${g.covars[k * D + d]} < minCovar ${floor}`);
    } else {
      const C = Float64Array.from(g.covars.subarray(k * D * D, (k + 1) * D * D));
      for (let d = 0; d < D; d++) C[d * D + d] -= 0.999 * floor;
      const L = naiveCholesky(C, D);
      for (let d = 0; d < D; d++) assert.ok(L[d * D + d]! > 0, `${label}: component ${k} has an eigenvalue below minCovar ${floor}`);
    }
  }
}

Degenerate('a constant feature dimension', () => {
  const data = [0, 1, 2].map((i) => seq(30, 3, (t, d) => (d === 1 ? 4 : Math.sin(t * (i + 1) + d))));
  for (const c of CONFIGS) fitsCleanly({ ...c, nStates: 3, nMix: 2 }, data, `${c.covarianceType} ${c.topology}`);
});

Degenerate('identical frames everywhere: covariances sit on the floor, every sequence scores the same', () => {
  const data = [0, 1, 2].map(() => seq(12, 2, () => 0.5));
  for (const c of CONFIGS) {
    for (const minCovar of [1e-3, 0.05]) {
      const m = fitsCleanly({ ...c, nStates: 3, nMix: 2, minCovar }, data, `${c.covarianceType} ${c.topology} minCovar ${minCovar}`);
      const s = m.scoreMany(data);
      assert.ok(Number.isFinite(s[0]!) && s[1] === s[0] && s[2] === s[0], `${c.covarianceType} ${c.topology}: scores ${s}`);
      if (c.covarianceType === 'diag') assert.ok(m.gmm!.covars.every((v) => v === minCovar), 'diag variances are exactly minCovar');
    }
  }
});

Degenerate('1-frame sequences (ergodic fits them; a 1-state left-right chain too)', () => {
  const data = [0, 1, 2, 3].map((i) => seq(1, 2, (_, d) => i + d));
  for (const covarianceType of ['diag', 'full'] as const) {
    fitsCleanly({ covarianceType, nStates: 3, nMix: 2 }, data, `${covarianceType} ergodic`);
    const lr = fitsCleanly({ covarianceType, topology: 'left-right', nStates: 1, nMix: 1 }, data, `${covarianceType} 1-state left-right`);
    assert.ok(lr.scoreMany(data).every(Number.isFinite));
  }
});

Degenerate('sequences shorter than a left-right chain: skipped in fit, −Infinity (not NaN) when scored', () => {
  const data = [seq(10, 2, (t, d) => Math.cos(t + d)), seq(2, 2, (t, d) => t + d), seq(1, 2, () => 0), seq(7, 2, (t, d) => Math.sin(t * d))];
  for (const covarianceType of ['diag', 'full'] as const) {
    const m = fitsCleanly({ covarianceType, topology: 'left-right', nStates: 3, nMix: 2 }, data, covarianceType);
    assert.is(m.fitInfo!.skipped, 2, `${covarianceType}: the 2- and 1-frame sequences are skipped`);
    const f = m.scoreMany(data), v = m.scoreMany(data, 'viterbi');
    for (const scores of [f, v]) {
      assert.ok(Number.isFinite(scores[0]!) && Number.isFinite(scores[3]!), `${covarianceType}: long ones score`);
      assert.is(scores[1], -Infinity);
      assert.is(scores[2], -Infinity);
    }
    assert.is(m.score(data[1]!), -Infinity);
    const dec = m.decode(data[1]!);
    assert.is(dec.logProb, -Infinity);
    assert.equal(Array.from(dec.stateSequence), [-1, -1], `${covarianceType}: no path: −1s`);
    assert.equal(m.viterbi(data[1]!), { logProb: dec.logProb, path: dec.stateSequence }, 'viterbi: the deprecated alias of decode');
    const long = m.decode(data[0]!);
    assert.is(long.stateSequence.length, data[0]!.rows);
    assert.ok(Number.isFinite(long.logProb) && long.logProb <= m.score(data[0]!), 'best path ≤ forward total');
    // Without the end constraint a 2-frame sequence is producible by a 3-state chain.
    const open = new GmmHmm({ covarianceType, topology: 'left-right', endInLast: false, nStates: 3, nIter: 3 }).fit(data);
    assert.is(open.fitInfo!.skipped, 0, 'endInLast: false skips nothing');
    assert.ok(open.scoreMany(data).every(Number.isFinite));
  }
});

Degenerate('all sequences too short: NumericalError naming the model and suggesting fewer states', () => {
  const data = [seq(2, 2, (t) => t), seq(1, 2, () => 1)];
  for (const covarianceType of ['diag', 'full'] as const) {
    try {
      new GmmHmm({ covarianceType, topology: 'left-right', nStates: 3, name: 'digit 7' }).fit(data);
      assert.unreachable('expected NumericalError');
    } catch (e) {
      assert.instance(e, NumericalError);
      const msg = (e as Error).message;
      assert.ok(msg.includes('digit 7') && msg.includes('fewer states'), msg);
    }
  }
});

Degenerate('more mixture components than distinct frames', () => {
  const data = [0, 1].map(() => seq(20, 2, (t) => t % 3)); // 3 distinct frames
  for (const c of CONFIGS) fitsCleanly({ ...c, nStates: 2, nMix: 5 }, data, `${c.covarianceType} ${c.topology} nMix 5`);
  fitsCleanly({ nStates: 1, nMix: 4 }, [seq(3, 1, () => 2)], 'one distinct frame, 4 mixtures');
});

Degenerate('non-finite frames are a ParameterError, not a NaN model', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(() => new GmmHmm().fit([seq(4, 2, (t, d) => (t === 2 && d === 1 ? bad : t))]),
      (e: unknown) => e instanceof ParameterError && /frame 2 feature 1/.test((e as Error).message));
  }
});

Degenerate('inputs are Matrix sequences: other data (f64, plain arrays) is a ParameterError naming the sequence', () => {
  const good = seq(4, 2, (t, d) => t + d);
  const m = new GmmHmm({ nIter: 2 }).fit([good]);
  for (const data of [Float64Array.from(good.data), Array.from(good.data)]) {
    const bad = { ...good, data } as unknown as Matrix;
    assert.throws(() => new GmmHmm().fit([good, bad]), (e: unknown) => e instanceof ParameterError && /sequences\[1\] is not a Matrix: data must be a Float32Array/.test((e as Error).message));
    assert.throws(() => m.score(bad), isParameterError);
    assert.throws(() => new HmmClassifier().fit([good, bad], [0, 1]), isParameterError);
  }
});

Degenerate.run();

// ---- covariance failures: emissionTables on hand-made parameters --------------------------------------

const Starve = suite('starved or broken covariances');

/** Two states × two components in 2-D, identity covariances; `patch` edits component 2 (state 1, component 0). */
function handMade(covarianceType: CovType, patch: number[]): GmmParams {
  const S = 2, M = 2, D = 2;
  const covars = covarianceType === 'diag' ? new Float64Array(S * M * D).fill(1) : new Float64Array(S * M * D * D);
  if (covarianceType === 'full') for (let k = 0; k < S * M; k++) { covars[k * 4] = 1; covars[k * 4 + 3] = 1; }
  covars.set(patch, 2 * (covarianceType === 'diag' ? D : D * D));
  return { S, M, D, covarianceType, weights: new Float64Array(4).fill(0.5), means: new Float64Array(8), covars };
}

function starves(p: GmmParams, label: string, detail?: RegExp): void {
  try {
    emissionTables(p, 'digit 3');
    assert.unreachable(`${label}: expected NumericalError`);
  } catch (e) {
    assert.instance(e, NumericalError, `${label}: ${(e as Error).message}`);
    const msg = (e as Error).message;
    assert.ok(msg.startsWith('digit 3: state 1, component 0:'), `${label}: names model, state and component: "${msg}"`);
    assert.ok(/minCovar/.test(msg), `${label}: suggests a fix: "${msg}"`);
    if (detail) assert.ok(detail.test(msg), `${label}: "${msg}" should match ${detail}`);
  }
}

Starve('full: a singular (PSD, not PD) covariance is rescued by the diagonal boost', () => {
  const t = emissionTables(handMade('full', [1, 1, 1, 1]), 'm');
  assert.ok(t.logNorm.every(Number.isFinite) && t.prec.every(Number.isFinite), 'finite tables after the boost');
  // Boosted by ≥ 1e-6: the component is very peaked along (1, −1) but finite.
  assert.ok(t.logNorm[2]! > t.logNorm[0]!, 'the near-singular component has the larger normaliser');
  // An all-zero covariance (every frame identical) is boosted by 1e-6 · I (scale 1 when the diagonal is 0).
  const z = emissionTables(handMade('full', [0, 0, 0, 0]), 'm');
  assert.ok(Math.abs(z.prec[2 * 4]! - 1e3) <= 1e-6 && z.prec[2 * 4 + 1] === 0, `U = I/√1e-6, got ${Array.from(z.prec.subarray(8, 12))}`);
});

Starve('full: non-PD even after the boost, or NaN: NumericalError naming model, state and component', () => {
  starves(handMade('full', [1, 3, 3, 1]), 'indefinite [[1,3],[3,1]]', /not positive definite/);
  starves(handMade('full', [1, 0, 0, -50]), 'negative eigenvalue −50');
  starves(handMade('full', [NaN, 0, 0, 1]), 'NaN');
  starves(handMade('full', [1, Infinity, Infinity, 1]), 'Infinity');
});

Starve('diag: zero, negative, NaN or infinite variances: NumericalError naming the dimension', () => {
  starves(handMade('diag', [1, 0]), 'zero variance', /dimension 1/);
  starves(handMade('diag', [-1, 1]), 'negative variance', /dimension 0/);
  starves(handMade('diag', [NaN, 1]), 'NaN variance', /NaN/);
  starves(handMade('diag', [1, Infinity]), 'infinite variance', /dimension 1/);
});

Starve('a fitted model whose covariance is broken afterwards fails to score with the model\'s name', () => {
  const data = synthetic(SEED + 40, 'ergodic', 'full');
  const m = new GmmHmm({ nStates: 2, nMix: 2, covarianceType: 'full', nIter: 3, name: 'digit 9' }).fit(data);
  m.gmm!.covars.fill(NaN, 2 * 4, 3 * 4); // state 1, component 0
  assert.throws(() => m.score(data[0]!), (e: unknown) => e instanceof NumericalError && (e as Error).message.startsWith('digit 9: state 1, component 0'));
});

Starve.run();

// ---- save / load -----------------------------------------------------------------------------------

const Save = suite('toJSON / fromJSON');

const roundTrip = (m: GmmHmm) => JSON.parse(JSON.stringify(m.toJSON())) as Record<string, any>;

Save('a saved model scores identically (forward, Viterbi, paths), diag/full × ergodic/left-right', () => {
  for (const c of CONFIGS) {
    const data = synthetic(SEED + 50, c.topology, c.covarianceType);
    const m = new GmmHmm({ ...c, nStates: c.topology === 'ergodic' ? 2 : 3, nMix: 2, nIter: 5, name: 'saved' }).fit(data);
    const json = roundTrip(m);
    const back = GmmHmm.fromJSON(json);
    for (const alg of ['forward', 'viterbi'] as const) {
      assert.equal(Array.from(back.scoreMany(data, alg)), Array.from(m.scoreMany(data, alg)), `${c.covarianceType} ${c.topology}: ${alg}`);
    }
    for (const q of data) assert.equal(back.decode(q), m.decode(q));
    assert.equal(back.toJSON(), m.toJSON(), 'toJSON of the reloaded model is the same document');
    assert.equal(back.fitInfo, m.fitInfo);
    assert.is(back.name, 'saved');
    assert.is(back.nFeatures, m.nFeatures);
  }
});

Save('a reloaded model scores the same on the scalar and the SIMD engine (1e-12 relative)', () => {
  if (!hostHasSimd()) return;
  for (const covarianceType of ['diag', 'full'] as const) {
    const data = synthetic(SEED + 60, 'left-right', covarianceType);
    const json = roundTrip(new GmmHmm({ covarianceType, topology: 'left-right', nStates: 3, nMix: 2, nIter: 5 }).fit(data));
    const scalar = GmmHmm.fromJSON(json, createEngineSync({ simd: false }));
    const simd = GmmHmm.fromJSON(json, createEngineSync({ simd: true }));
    for (const alg of ['forward', 'viterbi'] as const) {
      const a = simd.scoreMany(data, alg), b = scalar.scoreMany(data, alg);
      for (let i = 0; i < b.length; i++) {
        assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-12 * Math.abs(b[i]!), `${covarianceType} ${alg} #${i}: SIMD ${a[i]} vs scalar ${b[i]}`);
      }
    }
  }
});

Save('fitting on the SIMD and on the scalar engine gives the same EM history (1e-12 relative)', () => {
  if (!hostHasSimd()) return;
  const data = synthetic(SEED + 61, 'ergodic', 'full');
  for (const covarianceType of ['diag', 'full'] as const) {
    const fit = (simd: boolean) => new GmmHmm({ covarianceType, nStates: 2, nMix: 2, nIter: 10, tol: 0, engine: createEngineSync({ simd }) }).fit(data);
    const a = fit(true).fitInfo!.history, b = fit(false).fitInfo!.history;
    assert.is(a.length, b.length, `${covarianceType}: same number of iterations`);
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-12 * Math.abs(b[i]!), `${covarianceType} iteration ${i}: ${a[i]} vs ${b[i]}`);
  }
});

/** fromJSON(doc) throws a ModelFormatError whose message matches `why`. */
function rejects(doc: unknown, why: RegExp, label: string): void {
  try {
    GmmHmm.fromJSON(doc);
  } catch (e) {
    assert.instance(e, ModelFormatError, `${label}: ${(e as Error).name}: ${(e as Error).message}`);
    assert.is((e as Error).name, 'ModelFormatError');
    assert.ok(why.test((e as Error).message), `${label}: "${(e as Error).message}" should match ${why}`);
    return;
  }
  assert.unreachable(`${label}: a corrupt model file was accepted`);
}

let fitted: Record<CovType, Record<string, any>> | null = null;
/** A saved 2-state, 2-mixture ergodic model in 2-D, per covariance type (parsed JSON). */
function savedModels(): Record<CovType, Record<string, any>> {
  return (fitted ??= {
    diag: roundTrip(new GmmHmm({ nStates: 2, nMix: 2, nIter: 3 }).fit(synthetic(SEED + 70, 'ergodic', 'diag'))),
    full: roundTrip(new GmmHmm({ nStates: 2, nMix: 2, nIter: 3, covarianceType: 'full' }).fit(synthetic(SEED + 70, 'ergodic', 'full'))),
  });
}

/** A deep copy of a saved model with `edit` applied. */
function corrupt(covarianceType: CovType, edit: (j: Record<string, any>) => void): Record<string, any> {
  const j = structuredClone(savedModels()[covarianceType]);
  edit(j);
  return j;
}

Save('corrupt or wrong-version files: ModelFormatError with a clear reason', () => {
  rejects(null, /not a JSON object/, 'null');
  rejects('{"schema": "speechcore-gmmhmm"}', /not a JSON object/, 'unparsed text');
  rejects(corrupt('diag', (j) => { j.schema = 'hmmlearn'; }), /schema is "hmmlearn", expected "speechcore-gmmhmm"/, 'wrong schema');
  rejects(corrupt('diag', (j) => { delete j.schema; }), /schema/, 'no schema');
  rejects(corrupt('diag', (j) => { j.version = 2; }), /version 2 is not supported/, 'version 2');
  rejects(corrupt('diag', (j) => { j.version = '1'; }), /version "1"/, 'version as a string');
  rejects(corrupt('diag', (j) => { delete j.means; }), /means must be an array of 8 numbers, got undefined/, 'missing means');
  rejects(corrupt('diag', (j) => { delete j.transMat; }), /transMat/, 'missing transMat');
  rejects(corrupt('diag', (j) => { j.transMat.pop(); }), /transMat must be an array of 4 numbers, got 3/, 'short transMat');
  rejects(corrupt('full', (j) => { j.covars.push(1); }), /covars must be an array of 16 numbers, got 17/, 'long covars');
  rejects(corrupt('diag', (j) => { j.nFeatures = 3; }), /means must be an array of 12/, 'nFeatures disagrees with means');
  rejects(corrupt('diag', (j) => { j.nFeatures = 0; }), /nFeatures=0/, 'nFeatures 0');
  rejects(corrupt('diag', (j) => { j.options.nStates = 0; }), /options: nStates=0/, 'bad options');
  rejects(corrupt('diag', (j) => { j.options.covarianceType = 'spherical'; }), /options: covarianceType=spherical/, 'unknown covariance type');
  rejects(corrupt('diag', (j) => { j.means[3] = NaN; }), /means\[3\]=NaN is not a finite number/, 'NaN mean');
  rejects(corrupt('diag', (j) => { j.covars[0] = Infinity; }), /covars\[0\]=Infinity/, 'infinite variance');
  rejects(corrupt('diag', (j) => { j.transMat = [1.2, -0.2, 0.5, 0.5]; }), /transMat row 0 has a negative entry/, 'negative probability');
  rejects(corrupt('diag', (j) => { j.startProb = [0.6, 0.6]; }), /startProb row 0 sums to 1\.2/, 'start does not sum to 1');
  rejects(corrupt('diag', (j) => { j.transMat = [0.5, 0.5, 0.5, 0.6]; }), /transMat row 1 sums to 1\.1/, 'transition row does not sum to 1');
  rejects(corrupt('diag', (j) => { j.weights = [0.5, 0.5, 0.2, 0.2]; }), /weights row 1 sums to 0\.4/, 'mixture weights do not sum to 1');
  rejects(corrupt('full', (j) => { j.covars.splice(4, 4, 1, 3, 3, 1); }), /covariances: .*state 0, component 1: covariance is not positive definite/, 'non-PD covariance');
  rejects(corrupt('diag', (j) => { j.covars[5] = -0.1; }), /covariances: .*state 1, component 0: variance -0\.1 in dimension 1/, 'negative variance');
});

Save('a model file with non-numbers where numbers belong is rejected (JSON writes NaN as null)', () => {
  // JSON.stringify turns NaN and ±Infinity into null, so a model that went NaN and was saved reads back
  // with nulls; Float64Array.from would silently make them 0 (strings and booleans would coerce too).
  const nanModel = savedModels().diag;
  const text = JSON.stringify({ ...nanModel, means: nanModel.means.map((v: number, i: number) => (i === 0 ? NaN : v)) });
  assert.ok(text.includes('"means":[null,'), 'JSON has no NaN: it writes null');
  rejects(JSON.parse(text), /means\[0\]/, 'null mean (a saved NaN)');
  rejects(corrupt('diag', (j) => { j.means[1] = '0.5'; }), /means\[1\]/, 'a string');
  rejects(corrupt('diag', (j) => { j.covars[1] = true; }), /covars\[1\]/, 'a boolean');
  rejects(corrupt('diag', (j) => { j.means[2] = [0.5]; }), /means\[2\]/, 'a nested array');
});

Save('a recogniser file whose config has the 0.2 names (states, mixtures, covariance) loads, with the new names', () => {
  const data = [0, 1, 2].map((i) => seq(12, 6, (t, d) => Math.sin(t * (i + 1) + d)));
  const m = new GmmHmm({ nStates: 2, nMix: 1, nIter: 2 }).fit(data);
  const scaler = new StandardScaler().fit(data);
  const config = { nStates: 2, nMix: 1, covarianceType: 'diag' as const, nIter: 2, tol: 1e-2, seed: 0 };
  const file = classifierFile({ features: LAB_FEATURES, sampleRate: 8000, scaler, labels: [4], algorithm: 'viterbi', config, models: [m.toJSON()] });
  assert.equal(parseClassifier(JSON.stringify(file), 'new.json').config, config);
  const old = { ...file, config: { states: 2, mixtures: 1, covariance: 'diag', nIter: 2, tol: 1e-2, seed: 0 } };
  const loaded = parseClassifier(JSON.stringify(old), 'old.json');
  assert.equal(loaded.config, config);
  assert.equal(loaded.models[0]!.scoreMany(data), m.scoreMany(data));
  assert.is(parseClassifier(JSON.stringify({ ...file, config: undefined }), 'none.json').config, null);
});

Save('an unfitted model cannot be saved or scored', () => {
  const m = new GmmHmm({ name: 'empty' });
  assert.throws(() => m.toJSON(), (e: unknown) => e instanceof ParameterError && /empty is not fitted/.test((e as Error).message));
  assert.throws(() => m.score(seq(3, 1, () => 0)), isParameterError);
});

Save.run();

// ---- arena ------------------------------------------------------------------------------------------

const Arena = suite('arena: scoring and failing fits do not leak wasm memory');

Arena('1000 scoreMany / viterbi calls leave the high-water mark where the first 10 left it; a throwing fit rewinds', () => {
  const engine = createEngineSync();
  const data = synthetic(SEED + 90, 'left-right', 'full');
  const m = new GmmHmm({ covarianceType: 'full', topology: 'left-right', nStates: 3, nMix: 2, nIter: 3, engine }).fit(data);
  const top = () => engine.arena.scope(() => engine.arena.alloc(16));
  const snap = () => ({ highWater: engine.arena.highWater, bytes: engine.exports.memory.buffer.byteLength, top: top() });
  for (let i = 0; i < 10; i++) { m.scoreMany(data); m.scoreMany(data, 'viterbi'); m.decode(data[0]!); }
  const after10 = snap();
  for (let i = 10; i < 1000; i++) { m.scoreMany(data); m.scoreMany(data, 'viterbi'); m.decode(data[0]!); }
  assert.equal(snap(), after10);
  assert.throws(() => new GmmHmm({ topology: 'left-right', nStates: 5, engine }).fit([seq(3, 2, (t) => t)]), (e: unknown) => e instanceof NumericalError);
  assert.is(top(), after10.top, 'the NumericalError thrown inside fit\'s scope rewound the arena');
});

Arena.run();

// ---- the recogniser on the lab split -------------------------------------------------------------------

const Lab = suite('HmmClassifier on the FSDD lab split');

Lab('MFCC6, scaler on train frames only, 4-state left-right × 2 diag mixtures, nIter 5: validation accuracy > 0.8', () => {
  const t0 = performance.now();
  const split = applySplit(allFsdd(), loadSplit(join(sharedDir, 'data/fsdd-split.json')));
  const train = split.train.map(features), val = split.val.map(features);
  const scaler = new StandardScaler().fit(train); // train frames only
  const Xtr = scaler.transform(train), Xva = scaler.transform(val);
  const yTrain = split.train.map((u) => u.digit), yVal = split.val.map((u) => u.digit);
  const clf = new HmmClassifier({ nStates: 4, nMix: 2, covarianceType: 'diag', topology: 'left-right', nIter: 5, name: 'digit' });
  clf.fit(Xtr, yTrain);
  assert.equal(clf.labels, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const m of clf.models) {
    assertMonotone(m, m.name);
    assertLeftRightZeros(m, m.name);
  }
  for (const algorithm of ['viterbi', 'forward'] as const) {
    const pred = clf.predict(Xva, algorithm);
    const acc = accuracy(yVal, pred);
    assert.ok(acc > 0.8, `${algorithm}: validation accuracy ${acc}`);
    const cm = confusionMatrix(yVal, pred, clf.labels);
    assert.is(cm.flat().reduce((a, b) => a + b, 0), val.length);
    assert.is(cm.reduce((s, row, i) => s + row[i]!, 0) / val.length, acc, 'trace / n = accuracy');
  }
  const logProba = clf.predictLogProba(Xva.slice(0, 20)), proba = clf.predictProba(Xva.slice(0, 20));
  assert.is(logProba.rows, 20);
  assert.is(logProba.cols, 10);
  assert.instance(logProba.data, Float32Array);
  for (let i = 0; i < 20; i++) {
    let total = 0, totalP = 0;
    for (let j = 0; j < 10; j++) {
      total += Math.exp(logProba.data[i * 10 + j]!);
      totalP += proba.data[i * 10 + j]!;
      assert.ok(Math.abs(proba.data[i * 10 + j]! - Math.exp(logProba.data[i * 10 + j]!)) <= 1e-6, 'predictProba = exp(predictLogProba)');
    }
    // f32 entries: each within 2^-24 relative of the f64 posterior.
    assert.ok(Math.abs(total - 1) <= 1e-5, `posteriors over labels sum to ${total}`);
    assert.ok(Math.abs(totalP - 1) <= 1e-5, `predictProba row sums to ${totalP}`);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms (budget 10 s)`);
});

Lab('accuracy and confusionMatrix by hand', () => {
  assert.is(accuracy([0, 1, 2, 2], [0, 2, 2, 1]), 0.5);
  assert.is(accuracy([3], [3]), 1);
  assert.is(accuracy(new Int32Array([1, 1, 1]), [0, 0, 0]), 0);
  // rows are true labels, columns predictions; labels default to the sorted union
  assert.equal(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
  assert.equal(confusionMatrix([5, 7], [7, 9]), [[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  // explicit labels fix the order; samples with other labels are left out
  assert.equal(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], [2, 0]), [[1, 0], [0, 1]]);
  assert.equal(confusionMatrix([], []), []);
  assert.throws(() => accuracy([0, 1], [0]), isParameterError);
  assert.throws(() => accuracy([], []), isParameterError);
  assert.throws(() => confusionMatrix([0], [0, 1]), isParameterError);
});

Lab('HmmClassifier on a toy two-class problem, and its errors', () => {
  // Class 8 is class 3's kind of data moved by +10 in every feature: separable whatever the seed.
  const a = synthetic(SEED + 80, 'ergodic', 'diag', 6);
  const b = synthetic(SEED + 81, 'ergodic', 'diag', 6).map((q) => ({ ...q, data: q.data.map((v) => v + 10) }));
  const X = [...a.slice(0, 4), ...b.slice(0, 4)], y = [3, 3, 3, 3, 8, 8, 8, 8];
  const clf = new HmmClassifier({ nStates: 2, nMix: 2, nIter: 5 }).fit(X, y);
  assert.equal(clf.labels, [3, 8]);
  assert.equal(clf.predict([...a.slice(4), ...b.slice(4)]), Int32Array.of(3, 3, 8, 8));
  const s = clf.scores(X.slice(0, 2));
  assert.is(s.length, 2);
  assert.is(s[0]!.length, 2);
  assert.throws(() => new HmmClassifier().fit(X, [1]), isParameterError);
  assert.throws(() => new HmmClassifier().predict(X), isParameterError);
});

Lab.run();
