/**
 * GmmHmm: an HMM with Gaussian-mixture emissions (hmmlearn's GMMHMM), trained by Baum-Welch in
 * log space. The E-step hot loops run in wasm (densities, forward, backward, posteriors, sufficient
 * statistics); initialisation and the M-step are TS.
 */
import { getEngine, type Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import { ModelFormatError, NumericalError, ParameterError } from '../errors.ts';
import { checkChoice, checkInt, checkNumber } from '../features/options.ts';
import { Rng } from '../rng.ts';
import { emissionLogProb, emissionPtrs, emissionTables, type CovarianceType, type GmmParams } from './gmm.ts';
import { chainPtrs, forwardBackward, forwardScore } from './fb.ts';
import { viterbiDecode } from './viterbi.ts';
import { accumulate, mStep, statsPtrs } from './stats.ts';
import { kmeans } from './kmeans.ts';
import { floorEigenvalues } from './linalg.ts';

/** A sequence of frames [T][D], row-major (a feature Matrix, or f64 data). */
export interface Sequence {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

export type Topology = 'left-right' | 'ergodic';

/** How a sequence is scored: the forward likelihood, or the best (Viterbi) path's. */
export type ScoreAlgorithm = 'forward' | 'viterbi';

export interface GmmHmmOptions {
  /** Hidden states, int ≥ 1 (default 1; hmmlearn's n_components). */
  nStates?: number;
  /** Gaussians per state, int ≥ 1 (default 1). */
  nMix?: number;
  /** 'diag' (default) or 'full' covariance matrices. */
  covarianceType?: CovarianceType;
  /** 'ergodic' (default, hmmlearn's only kind) or 'left-right': a_ij = 0 unless j ∈ {i, i+1}, start in state 0. */
  topology?: Topology;
  /** Left-right only: sequences must end in the last state (default true). Ergodic models end anywhere. */
  endInLast?: boolean;
  /** Maximum EM iterations (default 10). */
  nIter?: number;
  /** Stop when an iteration gains less than this log-likelihood (default 1e-2, total over sequences). */
  tol?: number;
  /** Floor on variances (diag) / covariance eigenvalues (full), default 1e-3. */
  minCovar?: number;
  /** Seed of the initialisation (k-means++ on a uniform segmentation), default 0. */
  seed?: number;
  /** Name used in error messages (e.g. the digit the model is for). */
  name?: string;
  engine?: Engine;
}

/** Training record. */
export interface FitInfo {
  /** Total log-likelihood of the training sequences at each E-step. */
  history: number[];
  converged: boolean;
  /** Sequences that no path of the topology can produce (too short for a left-right chain). */
  skipped: number;
}

const SCHEMA = 'speechcore-gmmhmm';
const SCHEMA_VERSION = 1;

export class GmmHmm {
  readonly nStates: number;
  readonly nMix: number;
  readonly covarianceType: CovarianceType;
  readonly topology: Topology;
  readonly endInLast: boolean;
  readonly nIter: number;
  readonly tol: number;
  readonly minCovar: number;
  readonly seed: number;
  readonly name: string;
  /** [S]. */
  startProb: Float64Array | null = null;
  /** [S][S]. */
  transMat: Float64Array | null = null;
  gmm: GmmParams | null = null;
  fitInfo: FitInfo | null = null;
  private readonly engine: Engine;

  constructor(o: GmmHmmOptions = {}) {
    this.nStates = checkInt('nStates', o.nStates ?? 1, 1);
    this.nMix = checkInt('nMix', o.nMix ?? 1, 1);
    this.covarianceType = checkChoice('covarianceType', o.covarianceType ?? 'diag', ['diag', 'full'] as const);
    this.topology = checkChoice('topology', o.topology ?? 'ergodic', ['left-right', 'ergodic'] as const);
    this.endInLast = this.topology === 'left-right' && (o.endInLast ?? true);
    this.nIter = checkInt('nIter', o.nIter ?? 10, 1);
    this.tol = checkNumber('tol', o.tol ?? 1e-2, 0);
    this.minCovar = checkNumber('minCovar', o.minCovar ?? 1e-3, 0, Infinity, true);
    this.seed = checkInt('seed', o.seed ?? 0, 0);
    this.name = o.name ?? 'GmmHmm';
    this.engine = o.engine ?? getEngine();
  }

  /** Dimension of the frames the model was fitted on. */
  get nFeatures(): number {
    return this.fitted().gmm.D;
  }

  /**
   * Baum-Welch over several sequences [T][D]. Deterministic for a given seed.
   * @returns this
   */
  fit(sequences: readonly Sequence[]): this {
    const D = checkSequences(sequences, null);
    const S = this.nStates;
    this.initialise(sequences, D);
    const engine = this.engine, { arena } = engine;
    const K = S * this.nMix;
    const history: number[] = [];
    let converged = false, skipped = 0;
    arena.scope(() => {
      const { ptr: X, totalT, maxT } = prepareFrames(engine, sequences, D);
      const comp = arena.alloc(totalT * K * 8), resp = arena.alloc(totalT * K * 8);
      const logB = arena.alloc(totalT * S * 8), gamma = arena.alloc(totalT * S * 8);
      const scratch = { alpha: arena.alloc(maxT * S * 8), beta: arena.alloc(maxT * S * 8) };
      const xiSum = arena.alloc(S * S * 8);
      for (let it = 0; it < this.nIter; it++) {
        const params = this.gmm!;
        const stepLogLik = arena.scope(() => {
          const e = emissionPtrs(engine, params, this.name);
          const chain = chainPtrs(engine, ...this.logChain());
          emissionLogProb(engine, params, e, X, totalT, comp, logB, resp);
          arena.f64(xiSum, S * S).fill(0);
          const start = new Float64Array(S);
          let ll = 0;
          skipped = 0;
          for (let i = 0, off = 0; i < sequences.length; off += sequences[i].rows, i++) {
            const T = sequences[i].rows;
            const lp = forwardBackward(engine, chain, (logB + off * S * 8) as Ptr, T, S, scratch, (gamma + off * S * 8) as Ptr, xiSum);
            if (lp === -Infinity) { skipped++; continue; }
            ll += lp;
            const g0 = arena.f64((gamma + off * S * 8) as Ptr, S);
            for (let s = 0; s < S; s++) start[s] += g0[s];
          }
          if (skipped === sequences.length) {
            throw new NumericalError(`${this.name}: no training sequence can be produced by a ${S}-state ${this.topology} model ` +
              '(each needs at least as many frames as states); use fewer states');
          }
          if (!Number.isFinite(ll)) throw new NumericalError(`${this.name}: log-likelihood ${ll} at EM iteration ${it}; raise minCovar`);
          history.push(ll);
          if (it > 0 && ll - history[it - 1] < this.tol) { converged = true; return ll; }
          const stats = statsPtrs(engine, params);
          accumulate(engine, params, stats, X, totalT, gamma, resp);
          this.gmm = mStep(engine, params, stats, this.minCovar);
          this.updateChain(arena.f64(xiSum, S * S), start);
          return ll;
        });
        if (converged || !Number.isFinite(stepLogLik)) break;
      }
    });
    this.fitInfo = { history, converged, skipped };
    return this;
  }

  /** log p(X) of one sequence by the forward algorithm (−Infinity if the topology cannot produce it). */
  score(sequence: Sequence): number {
    return this.scoreMany([sequence])[0];
  }

  /** log p(X) of each sequence (forward, or the best path's when algorithm is 'viterbi'). */
  scoreMany(sequences: readonly Sequence[], algorithm: ScoreAlgorithm = 'forward'): Float64Array {
    const { gmm } = this.fitted();
    return this.engine.arena.scope(() => this.scorePrepared(prepareFrames(this.engine, sequences, gmm.D), [algorithm])[0]);
  }

  /**
   * Scores frames already copied into wasm (prepareFrames, in the caller's scope) with each
   * algorithm; the emission densities are computed once and shared. [algorithms][sequences].
   */
  scorePrepared(f: PreparedFrames, algorithms: readonly ScoreAlgorithm[]): Float64Array[] {
    const out = algorithms.map(() => new Float64Array(f.rows.length));
    this.eachLattice(f, (i, logB, T, chain, scratch) => {
      algorithms.forEach((a, j) => {
        out[j][i] = a === 'forward'
          ? forwardScore(this.engine, chain, logB, T, this.nStates, scratch.alpha)
          : this.engine.exports.viterbiLog(chain.logStart, chain.logTrans, chain.logEnd, logB, T, this.nStates, scratch.alpha, scratch.psi, scratch.path);
      });
    });
    return out;
  }

  /** The most likely state sequence and its log-probability (hmmlearn's decode, algorithm 'viterbi'). */
  viterbi(sequence: Sequence): { logProb: number; path: Int32Array } {
    const { gmm } = this.fitted();
    let r: { logProb: number; path: Int32Array } = { logProb: -Infinity, path: new Int32Array(0) };
    this.engine.arena.scope(() => this.eachLattice(prepareFrames(this.engine, [sequence], gmm.D), (_, logB, T, chain, scratch) => {
      r = viterbiDecode(this.engine, chain, logB, T, this.nStates, { delta: scratch.alpha, psi: scratch.psi, path: scratch.path });
    }));
    return r;
  }

  /** Versioned, plain-JSON form (numbers as arrays). */
  toJSON(): object {
    const g = this.fitted().gmm;
    return {
      schema: SCHEMA, version: SCHEMA_VERSION,
      options: {
        nStates: this.nStates, nMix: this.nMix, covarianceType: this.covarianceType, topology: this.topology,
        endInLast: this.endInLast, nIter: this.nIter, tol: this.tol, minCovar: this.minCovar, seed: this.seed, name: this.name,
      },
      nFeatures: g.D,
      startProb: Array.from(this.startProb!), transMat: Array.from(this.transMat!),
      weights: Array.from(g.weights), means: Array.from(g.means), covars: Array.from(g.covars),
      fitInfo: this.fitInfo,
    };
  }

  /** Rebuilds a model from toJSON's output, validating schema, version, shapes and probabilities. */
  static fromJSON(json: unknown, engine?: Engine): GmmHmm {
    const j = json as Record<string, any>;
    const bad = (what: string) => new ModelFormatError(`model file: ${what}`);
    if (!j || typeof j !== 'object') throw bad('not a JSON object');
    if (j.schema !== SCHEMA) throw bad(`schema is ${JSON.stringify(j.schema)}, expected "${SCHEMA}"`);
    if (j.version !== SCHEMA_VERSION) throw bad(`version ${JSON.stringify(j.version)} is not supported (this build reads version ${SCHEMA_VERSION})`);
    if (!j.options || typeof j.options !== 'object') throw bad('options object is missing');
    let m: GmmHmm;
    try {
      m = new GmmHmm({ ...j.options, engine });
    } catch (e) {
      throw bad(`options: ${(e as Error).message}`);
    }
    const S = m.nStates, M = m.nMix, D = j.nFeatures;
    if (!Number.isInteger(D) || D < 1) throw bad(`nFeatures=${D} must be an integer >= 1`);
    const arr = (name: string, n: number) => {
      const v = j[name];
      if (!Array.isArray(v) || v.length !== n) throw bad(`${name} must be an array of ${n} numbers, got ${Array.isArray(v) ? v.length : typeof v}`);
      // Check the raw values: Float64Array.from would turn null (how JSON writes NaN), "1", true, [1] into numbers.
      for (let i = 0; i < n; i++) {
        if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw bad(`${name}[${i}]=${typeof v[i] === "number" ? v[i] : JSON.stringify(v[i])} is not a finite number`);
      }
      return Float64Array.from(v);
    };
    const full = m.covarianceType === 'full';
    const startProb = arr('startProb', S), transMat = arr('transMat', S * S);
    const weights = arr('weights', S * M), means = arr('means', S * M * D), covars = arr('covars', full ? S * M * D * D : S * M * D);
    const stochastic = (name: string, a: Float64Array, rows: number, cols: number) => {
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < cols; c++) { if (a[r * cols + c] < 0) throw bad(`${name} row ${r} has a negative entry`); s += a[r * cols + c]; }
        if (Math.abs(s - 1) > 1e-6) throw bad(`${name} row ${r} sums to ${s}, not 1`);
      }
    };
    stochastic('startProb', startProb, 1, S);
    stochastic('transMat', transMat, S, S);
    stochastic('weights', weights, S, M);
    m.startProb = startProb;
    m.transMat = transMat;
    m.gmm = { S, M, D, covarianceType: m.covarianceType, weights, means, covars };
    try {
      emissionTables(m.gmm, m.name);
    } catch (e) {
      throw bad(`covariances: ${(e as Error).message}`);
    }
    m.fitInfo = j.fitInfo ?? null;
    return m;
  }

  private fitted(): { gmm: GmmParams } {
    if (!this.gmm || !this.startProb || !this.transMat) throw new ParameterError(`${this.name} is not fitted: call fit() or fromJSON() first`);
    return { gmm: this.gmm };
  }

  /** log start, log transitions, log end permissions [S]. */
  private logChain(): [Float64Array, Float64Array, Float64Array] {
    const S = this.nStates;
    const logEnd = new Float64Array(S).fill(this.endInLast ? -Infinity : 0);
    if (this.endInLast) logEnd[S - 1] = 0;
    return [this.startProb!.map(Math.log), this.transMat!.map(Math.log), logEnd];
  }

  /** Runs fn over each prepared sequence's emission lattice, in a scope with shared scratch. */
  private eachLattice(f: PreparedFrames, fn: (i: number, logB: Ptr, T: number, chain: ReturnType<typeof chainPtrs>,
    scratch: { alpha: Ptr; psi: Ptr; path: Ptr }) => void): void {
    const { gmm } = this.fitted();
    if (f.engine !== this.engine) throw new ParameterError(`${this.name}: frames were prepared on another engine`);
    if (f.D !== gmm.D) throw new ParameterError(`${this.name}: frames have ${f.D} features, the model ${gmm.D}`);
    const engine = this.engine, { arena } = engine, S = this.nStates, K = S * this.nMix;
    arena.scope(() => {
      const e = emissionPtrs(engine, gmm, this.name);
      const chain = chainPtrs(engine, ...this.logChain());
      const comp = arena.alloc(f.totalT * K * 8), logB = arena.alloc(f.totalT * S * 8);
      emissionLogProb(engine, gmm, e, f.ptr, f.totalT, comp, logB, 0);
      const scratch = { alpha: arena.alloc(f.maxT * S * 8), psi: arena.alloc(f.maxT * S * 4), path: arena.alloc(f.maxT * 4) };
      for (let i = 0, off = 0; i < f.rows.length; off += f.rows[i], i++) {
        fn(i, (logB + off * S * 8) as Ptr, f.rows[i], chain, scratch);
      }
    });
  }

  /** Seeded start: uniform segmentation of each sequence into S parts, k-means(M) within each part. */
  private initialise(sequences: readonly Sequence[], D: number): void {
    const S = this.nStates, M = this.nMix, full = this.covarianceType === 'full';
    const rng = new Rng(this.seed);
    const segment = (t: number, rows: number) => Math.min(S - 1, Math.floor((t * S) / rows));
    const counts = new Int32Array(S);
    let frames = 0;
    for (const q of sequences) {
      for (let t = 0; t < q.rows; t++) counts[segment(t, q.rows)]++;
      frames += q.rows;
    }
    const parts = Array.from(counts, (c) => new Float64Array(c * D));
    const fill = new Int32Array(S);
    const all = new Float64Array(frames * D);
    let o = 0;
    for (const q of sequences) {
      for (let t = 0; t < q.rows; t++) {
        const s = segment(t, q.rows);
        for (let d = 0; d < D; d++) {
          const v = q.data[t * q.cols + d];
          parts[s][fill[s]++] = v;
          all[o++] = v;
        }
      }
    }
    const globalCov = covarianceOf(all, frames, D, full, this.minCovar);
    const weights = new Float64Array(S * M), means = new Float64Array(S * M * D);
    const covars = new Float64Array(full ? S * M * D * D : S * M * D);
    const cs = full ? D * D : D;
    for (let s = 0; s < S; s++) {
      const pts = parts[s];
      const n = pts.length / D;
      const stateCov = n >= 2 ? covarianceOf(pts, n, D, full, this.minCovar) : globalCov;
      const km = kmeans(n > 0 ? pts : all, n > 0 ? n : frames, D, M, rng);
      for (let m = 0; m < M; m++) {
        const k = s * M + m;
        means.set(km.centers.subarray(m * D, m * D + D), k * D);
        // An empty or single-frame cluster (duplicates, tiny data) borrows its state's spread and a small weight.
        weights[k] = Math.max(km.counts[m], 1e-3);
        const members = km.counts[m] >= 2 ? clusterPoints(n > 0 ? pts : all, km.labels, m, D) : null;
        covars.set(members ? covarianceOf(members, members.length / D, D, full, this.minCovar) : stateCov, k * cs);
      }
      let tot = 0;
      for (let m = 0; m < M; m++) tot += weights[s * M + m];
      for (let m = 0; m < M; m++) weights[s * M + m] /= tot;
    }
    this.gmm = { S, M, D, covarianceType: this.covarianceType, weights, means, covars };
    const startProb = new Float64Array(S), transMat = new Float64Array(S * S);
    if (this.topology === 'left-right') {
      startProb[0] = 1;
      // Expected stay = frames per state under the uniform segmentation: a_ii = 1 − 1/stay.
      const stay = Math.max(2, frames / sequences.length / S);
      for (let i = 0; i < S; i++) {
        if (i === S - 1) transMat[i * S + i] = 1;
        else { transMat[i * S + i] = 1 - 1 / stay; transMat[i * S + i + 1] = 1 / stay; }
      }
    } else {
      startProb.fill(1 / S);
      transMat.fill(1 / S);
    }
    this.startProb = startProb;
    this.transMat = transMat;
  }

  /** M-step for the Markov chain: normalise expected counts; structural zeros stay zero. */
  private updateChain(xi: Float64Array, start: Float64Array): void {
    const S = this.nStates;
    const trans = Float64Array.from(this.transMat!);
    for (let i = 0; i < S; i++) {
      let sum = 0;
      for (let j = 0; j < S; j++) sum += xi[i * S + j];
      if (!(sum > 0)) continue; // state never left (or never reached): keep its row
      for (let j = 0; j < S; j++) trans[i * S + j] = xi[i * S + j] / sum;
    }
    this.transMat = trans;
    if (this.topology === 'ergodic') {
      let sum = 0;
      for (let s = 0; s < S; s++) sum += start[s];
      if (sum > 0) this.startProb = start.map((v) => v / sum);
    }
  }
}

/** Checks every sequence is [T ≥ 1][D] with finite values; returns D. */
function checkSequences(sequences: readonly Sequence[], D: number | null): number {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new ParameterError('sequences must be a non-empty array of [frames][features] matrices');
  const dim = D ?? sequences[0]?.cols;
  sequences.forEach((q, i) => {
    if (!q || !Number.isInteger(q.rows) || q.rows < 1 || q.cols !== dim || !q.data || q.data.length < q.rows * q.cols) {
      throw new ParameterError(`sequences[${i}] must be a [frames >= 1][${dim}] matrix, got ${q?.rows}x${q?.cols}`);
    }
    for (let k = 0; k < q.rows * q.cols; k++) {
      const v = q.data[k];
      if (v - v !== 0) throw new ParameterError(`sequences[${i}] frame ${Math.floor(k / q.cols)} feature ${k % q.cols} is ${v}, not finite`);
    }
  });
  return dim;
}

/** Frames of many sequences copied once into wasm, f64 [ΣT][D], to score against several models. */
export interface PreparedFrames {
  engine: Engine;
  ptr: Ptr;
  D: number;
  totalT: number;
  maxT: number;
  rows: number[];
}

/** Checks and copies sequences [T][D] into the current arena scope (valid until the scope ends). */
export function prepareFrames(engine: Engine, sequences: readonly Sequence[], D: number | null): PreparedFrames {
  const dim = checkSequences(sequences, D);
  const rows = sequences.map((q) => q.rows);
  const totalT = rows.reduce((a, b) => a + b, 0);
  return { engine, ptr: copyFrames(engine, sequences, totalT, dim), D: dim, totalT, maxT: Math.max(...rows), rows };
}

/** All sequences' frames as one f64 block [ΣT][D] in the current scope. */
function copyFrames(engine: Engine, sequences: readonly Sequence[], totalT: number, D: number): Ptr {
  const p = engine.arena.alloc(totalT * D * 8);
  const v = engine.arena.f64(p, totalT * D);
  let o = 0;
  for (const q of sequences) {
    if (q.data.length === q.rows * D && ArrayBuffer.isView(q.data)) { v.set(q.data as Float32Array, o); o += q.rows * D; }
    else for (let i = 0; i < q.rows * D; i++) v[o++] = q.data[i];
  }
  return p;
}

function clusterPoints(pts: Float64Array, labels: Int32Array, m: number, D: number): Float64Array {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === m) n++;
  const out = new Float64Array(n * D);
  for (let i = 0, o = 0; i < labels.length; i++) {
    if (labels[i] === m) { out.set(pts.subarray(i * D, i * D + D), o); o += D; }
  }
  return out;
}

/** Sample covariance of n points (diag: variances [D]; full: [D][D]), floored at minCovar. */
function covarianceOf(pts: Float64Array, n: number, D: number, full: boolean, minCovar: number): Float64Array {
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mean[d] += pts[i * D + d] / n;
  if (!full) {
    const v = new Float64Array(D);
    for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) v[d] += (pts[i * D + d] - mean[d]) ** 2 / n;
    return v.map((x) => Math.max(x, minCovar));
  }
  const C = new Float64Array(D * D);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < D; a++) {
      const da = pts[i * D + a] - mean[a];
      for (let b = a; b < D; b++) C[a * D + b] += (da * (pts[i * D + b] - mean[b])) / n;
    }
  }
  for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) C[a * D + b] = C[b * D + a];
  return floorEigenvalues(C, D, minCovar);
}
