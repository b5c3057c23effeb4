/**
 * GmmHmm: an HMM with Gaussian-mixture emissions (hmmlearn's GMMHMM), trained by Baum-Welch in
 * log space. This file is the model: its options, the EM loop, scoring and decoding. The E-step
 * hot loops run in wasm (densities, forward, backward, posteriors, sufficient statistics); the
 * M-step is TS (stats.ts), the seeded start is init.ts, the saved document is format.ts.
 *
 * Inputs are feature matrices (`Matrix`: Float32Array frames [T][D], row-major, frame-major);
 * lattices and log-likelihoods are f64.
 */
import { getEngine, type Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import { NumericalError, ParameterError } from '../errors.ts';
import { checkChoice, checkInt, checkNumber } from '../features/options.ts';
import type { Matrix } from '../matrix.ts';
import { emissionLogProb, emissionPtrs, emissionTables, type CovarianceType, type GmmParams } from './gmm.ts';
import { chainPtrs, forwardBackward, forwardScore } from './fb.ts';
import { viterbiDecode } from './viterbi.ts';
import { accumulate, mStep, statsPtrs } from './stats.ts';
import { initialParams } from './init.ts';
import { decodeGmmHmm, encodeGmmHmm } from './format.ts';

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

/** hmmlearn's decode result: the best path's log-probability and its states. */
export interface Decoded {
  /** log p(X, best path); −Infinity when the topology cannot produce X. */
  logProb: number;
  /** State of every frame [T] (−1s when there is no path). */
  stateSequence: Int32Array;
}

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
  /** stateLogLikelihoods' emission tables, for the gmm object they were computed from (EM replaces it). */
  private tables: { gmm: GmmParams; t: ReturnType<typeof emissionTables> } | null = null;

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
  fit(sequences: readonly Matrix[]): this {
    const D = checkSequences(sequences, null);
    const S = this.nStates;
    const start0 = initialParams(sequences, D, {
      nStates: S, nMix: this.nMix, covarianceType: this.covarianceType, leftRight: this.topology === 'left-right',
      minCovar: this.minCovar, seed: this.seed,
    });
    this.gmm = start0.gmm;
    this.startProb = start0.startProb;
    this.transMat = start0.transMat;
    const history: number[] = [];
    let converged = false, skipped = 0;
    this.withEStep(sequences, D, (eStep) => {
      for (let it = 0; it < this.nIter; it++) {
        const params = this.gmm!;
        const stepLogLik = this.engine.arena.scope(() => {
          const e = eStep(params);
          skipped = e.skipped;
          history.push(e.logLik);
          if (it > 0 && e.logLik - history[it - 1] < this.tol) { converged = true; return e.logLik; }
          this.gmm = mStep(this.engine, params, e.stats(), this.minCovar);
          this.updateChain(e.xi, e.start);
          return e.logLik;
        });
        if (converged || !Number.isFinite(stepLogLik)) break;
      }
    });
    this.fitInfo = { history, converged, skipped };
    return this;
  }

  /**
   * MAP adaptation of the Gaussian means (Gauvain & Lee 1994; the usual speaker enrolment of a
   * GMM-HMM): with posteriors γ from the current model on the adaptation sequences [T][D],
   * μ̂ = (τ·μ + Σγx) / (τ + Σγ). Weights, covariances and transitions stay. A component the
   * data barely visits keeps its mean; with much data the mean moves to the data's.
   * @param o.tau prior weight in frames (default 10); o.nIter passes (default 1, each re-aligning).
   * @returns a new adapted model (this one is unchanged).
   */
  adaptMeans(sequences: readonly Matrix[], o: { tau?: number; nIter?: number } = {}): GmmHmm {
    const { gmm } = this.fitted();
    const D = checkSequences(sequences, gmm.D);
    const tau = checkNumber('tau', o.tau ?? 10, 0);
    const nIter = checkInt('nIter', o.nIter ?? 1, 1);
    const out = GmmHmm.fromJSON(this.toJSON(), this.engine);
    const prior = gmm.means;
    out.withEStep(sequences, D, (eStep) => {
      for (let it = 0; it < nIter; it++) {
        this.engine.arena.scope(() => {
          const e = eStep(out.gmm!);
          const K = gmm.S * gmm.M;
          const stats = e.stats();
          const W = this.engine.arena.f64(stats.W, K), X1 = this.engine.arena.f64(stats.X1, K * D);
          const means = Float64Array.from(prior);
          for (let k = 0; k < K; k++) {
            const denom = tau + W[k];
            if (!(denom > 0)) continue;
            for (let d = 0; d < D; d++) means[k * D + d] = (tau * prior[k * D + d] + X1[k * D + d]) / denom;
          }
          out.gmm = { ...out.gmm!, means };
        });
      }
    });
    return out;
  }

  /**
   * Copies the sequences into wasm once and hands `body` an E-step: for given mixture parameters
   * and this model's chain, the total log-likelihood, expected transition counts, start posteriors
   * and a function that accumulates the GMM sufficient statistics (pointers valid in the caller's
   * scope; a pass over every frame, so fit skips it once EM has converged).
   * @throws NumericalError when no sequence fits the topology or the log-likelihood is not finite.
   */
  private withEStep(sequences: readonly Matrix[], D: number,
    body: (eStep: (params: GmmParams) => { logLik: number; skipped: number; stats: () => ReturnType<typeof statsPtrs>; xi: Float64Array; start: Float64Array }) => void): void {
    const engine = this.engine, { arena } = engine, S = this.nStates;
    arena.scope(() => {
      const { ptr: X, totalT, maxT } = prepareFrames(engine, sequences, D);
      const K = S * this.nMix;
      const comp = arena.alloc(totalT * K * 8), resp = arena.alloc(totalT * K * 8);
      const logB = arena.alloc(totalT * S * 8), gamma = arena.alloc(totalT * S * 8);
      const scratch = { alpha: arena.alloc(maxT * S * 8), beta: arena.alloc(maxT * S * 8) };
      const xiSum = arena.alloc(S * S * 8);
      body((params) => {
        const e = emissionPtrs(engine, params, this.name);
        const chain = chainPtrs(engine, ...this.logChainArrays());
        emissionLogProb(engine, params, e, X, totalT, comp, logB, resp);
        arena.f64(xiSum, S * S).fill(0);
        const start = new Float64Array(S);
        let ll = 0, skipped = 0;
        for (let i = 0, off = 0; i < sequences.length; off += sequences[i].rows, i++) {
          const T = sequences[i].rows;
          const lp = forwardBackward(engine, chain, (logB + off * S * 8) as Ptr, T, S, scratch, (gamma + off * S * 8) as Ptr, xiSum);
          if (lp === -Infinity) { skipped++; continue; }
          ll += lp;
          const g0 = arena.f64((gamma + off * S * 8) as Ptr, S);
          for (let s = 0; s < S; s++) start[s] += g0[s];
        }
        if (skipped === sequences.length) {
          throw new NumericalError(`${this.name}: no sequence can be produced by a ${S}-state ${this.topology} model ` +
            '(each needs at least as many frames as states); use fewer states');
        }
        if (!Number.isFinite(ll)) throw new NumericalError(`${this.name}: log-likelihood ${ll} at an EM iteration; raise minCovar`);
        const stats = () => {
          const p = statsPtrs(engine, params);
          accumulate(engine, params, p, X, totalT, gamma, resp);
          return p;
        };
        return { logLik: ll, skipped, stats, xi: arena.f64(xiSum, S * S).slice(), start };
      });
    });
  }

  /** log p(X) of one sequence [T][D] by the forward algorithm (−Infinity if the topology cannot produce it). */
  score(X: Matrix): number {
    return this.scoreMany([X])[0];
  }

  /** log p(X) of each sequence (forward, or the best path's when algorithm is 'viterbi'): [n]. */
  scoreMany(sequences: readonly Matrix[], algorithm: ScoreAlgorithm = 'forward'): Float64Array {
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

  /**
   * Emission log-likelihoods log p(x_t | state s) of every frame of X [T][D] under every state's
   * mixture: [T][S] f64 (hmmlearn's `_compute_log_likelihood`). What a decoder over several
   * models (a word loop) combines with `logChain`.
   */
  stateLogLikelihoods(X: Matrix): { data: Float64Array; rows: number; cols: number } {
    const { gmm } = this.fitted();
    const engine = this.engine, { arena } = engine, S = this.nStates;
    return arena.scope(() => {
      const f = prepareFrames(engine, [X], gmm.D);
      // A decoder calls this every few frames: the tables (a log and a division per parameter) once per gmm.
      if (this.tables?.gmm !== gmm) this.tables = { gmm, t: emissionTables(gmm, this.name) };
      const e = emissionPtrs(engine, gmm, this.name, this.tables.t);
      const comp = arena.alloc(f.totalT * S * this.nMix * 8), logB = arena.alloc(f.totalT * S * 8);
      emissionLogProb(engine, gmm, e, f.ptr, f.totalT, comp, logB, 0);
      return { data: arena.f64(logB, f.totalT * S).slice(), rows: f.totalT, cols: S };
    });
  }

  /**
   * The Markov chain in log form: start [S], transitions [S][S] (row = from) and end permissions
   * [S] (0 where a sequence may end, −Infinity elsewhere: only the last state of a left-right
   * model with endInLast). Structural zeros are −Infinity.
   */
  logChain(): { logStart: Float64Array; logTrans: Float64Array; logEnd: Float64Array } {
    this.fitted();
    const [logStart, logTrans, logEnd] = this.logChainArrays();
    return { logStart, logTrans, logEnd };
  }

  /**
   * The most likely state sequence of one sequence [T][D] and its log-probability: hmmlearn's
   * `decode(X)` (algorithm 'viterbi'), which returns (log_prob, state_sequence).
   */
  decode(X: Matrix): Decoded {
    const { gmm } = this.fitted();
    let r: { logProb: number; path: Int32Array } = { logProb: -Infinity, path: new Int32Array(0) };
    this.engine.arena.scope(() => this.eachLattice(prepareFrames(this.engine, [X], gmm.D), (_, logB, T, chain, scratch) => {
      r = viterbiDecode(this.engine, chain, logB, T, this.nStates, { delta: scratch.alpha, psi: scratch.psi, path: scratch.path });
    }));
    return { logProb: r.logProb, stateSequence: r.path };
  }

  /**
   * @deprecated Use {@link GmmHmm.decode} (hmmlearn's name), which returns `{ logProb, stateSequence }`.
   * Kept for callers of 0.1: the same result with the path as `path`.
   */
  viterbi(X: Matrix): { logProb: number; path: Int32Array } {
    const d = this.decode(X);
    return { logProb: d.logProb, path: d.stateSequence };
  }

  /** Versioned, plain-JSON document (numbers as arrays; format.ts): an object, ready for JSON.stringify. */
  toJSON(): object {
    const { gmm } = this.fitted();
    return encodeGmmHmm({
      nStates: this.nStates, nMix: this.nMix, covarianceType: this.covarianceType, topology: this.topology,
      endInLast: this.endInLast, nIter: this.nIter, tol: this.tol, minCovar: this.minCovar, seed: this.seed, name: this.name,
    }, { startProb: this.startProb!, transMat: this.transMat!, gmm, fitInfo: this.fitInfo });
  }

  /**
   * Rebuilds a model from toJSON's document (the object, e.g. JSON.parse of a file), validating
   * schema, version, shapes and probabilities (format.ts).
   * @throws ModelFormatError naming the first problem.
   */
  static fromJSON(json: unknown, engine?: Engine): GmmHmm {
    const { model, params } = decodeGmmHmm(json, (options) => new GmmHmm({ ...options, engine }));
    model.startProb = params.startProb;
    model.transMat = params.transMat;
    model.gmm = params.gmm;
    model.fitInfo = params.fitInfo as FitInfo | null;
    return model;
  }

  private fitted(): { gmm: GmmParams } {
    if (!this.gmm || !this.startProb || !this.transMat) throw new ParameterError(`${this.name} is not fitted: call fit() or fromJSON() first`);
    return { gmm: this.gmm };
  }

  /** log start, log transitions, log end permissions [S]. */
  private logChainArrays(): [Float64Array, Float64Array, Float64Array] {
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
      const chain = chainPtrs(engine, ...this.logChainArrays());
      const comp = arena.alloc(f.totalT * K * 8), logB = arena.alloc(f.totalT * S * 8);
      emissionLogProb(engine, gmm, e, f.ptr, f.totalT, comp, logB, 0);
      const scratch = { alpha: arena.alloc(f.maxT * S * 8), psi: arena.alloc(f.maxT * S * 4), path: arena.alloc(f.maxT * 4) };
      for (let i = 0, off = 0; i < f.rows.length; off += f.rows[i], i++) {
        fn(i, (logB + off * S * 8) as Ptr, f.rows[i], chain, scratch);
      }
    });
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

/** Checks every sequence is a Matrix [T ≥ 1][D] (Float32Array data) with finite values; returns D. */
function checkSequences(sequences: readonly Matrix[], D: number | null): number {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new ParameterError('sequences must be a non-empty array of [frames][features] matrices');
  const dim = D ?? sequences[0]?.cols;
  sequences.forEach((q, i) => {
    if (q && !(q.data instanceof Float32Array)) {
      throw new ParameterError(`sequences[${i}] is not a Matrix: data must be a Float32Array (got ${q.data?.constructor?.name ?? typeof q.data})`);
    }
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
export function prepareFrames(engine: Engine, sequences: readonly Matrix[], D: number | null): PreparedFrames {
  const dim = checkSequences(sequences, D);
  const rows = sequences.map((q) => q.rows);
  const totalT = rows.reduce((a, b) => a + b, 0);
  return { engine, ptr: copyFrames(engine, sequences, totalT, dim), D: dim, totalT, maxT: Math.max(...rows), rows };
}

/** All sequences' frames as one f64 block [ΣT][D] in the current scope (f32 → f64 is exact). */
function copyFrames(engine: Engine, sequences: readonly Matrix[], totalT: number, D: number): Ptr {
  const p = engine.arena.alloc(totalT * D * 8);
  const v = engine.arena.f64(p, totalT * D);
  let o = 0;
  for (const q of sequences) {
    v.set(q.data.length === q.rows * D ? q.data : q.data.subarray(0, q.rows * D), o);
    o += q.rows * D;
  }
  return p;
}
