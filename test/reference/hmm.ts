/**
 * Naive float64 HMM oracles (STYLE §12): brute-force enumeration of all S^T state paths for the
 * forward/backward/Viterbi lattices, Gaussian log-densities through an explicit inverse and an LU
 * determinant (no Cholesky, so they share nothing with bindings/hmm/linalg.ts), and a seeded
 * GMM-HMM sampler for EM tests. Everything is plain TS on plain arrays; tiny sizes only.
 *
 * @module
 */

/** A discrete-time lattice: log start [S], log transitions [S][S], log end permissions [S], logB [T][S]. */
export interface Lattice {
  S: number;
  T: number;
  logStart: Float64Array;
  logTrans: Float64Array;
  logEnd: Float64Array;
  logB: Float64Array;
}

/** log Σ e^{v_i}, −Infinity for an empty or all −Infinity list. */
export function logSumExp(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]!);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.exp(v[i]! - m);
  return m + Math.log(s);
}

/** Calls fn with every one of the S^n sequences of n states (the array is reused between calls). */
export function eachPath(S: number, n: number, fn: (path: Int32Array) => void): void {
  const p = new Int32Array(n);
  for (;;) {
    fn(p);
    let i = n - 1;
    while (i >= 0 && p[i] === S - 1) p[i--] = 0;
    if (i < 0) return;
    p[i]!++;
  }
}

/**
 * Log-score of one full path, summed in the kernels' order:
 * ((start + b_0) + a_01) + b_1 + … + logEnd (so exact ties in the lattice stay exact ties here).
 */
export function pathScore(L: Lattice, path: ArrayLike<number>): number {
  const { S } = L;
  let s = L.logStart[path[0]!]! + L.logB[path[0]!]!;
  for (let t = 1; t < path.length; t++) s = s + L.logTrans[path[t - 1]! * S + path[t]!]! + L.logB[t * S + path[t]!]!;
  return s + L.logEnd[path[path.length - 1]!]!;
}

/** Everything forward-backward and Viterbi compute, by enumeration. */
export interface BruteForce {
  /** log p(X) = log Σ over all paths. */
  logProb: number;
  /** alpha [T][S]: log Σ over prefixes ending in state j at t (start and emissions up to t). */
  alpha: Float64Array;
  /** beta [T][S]: log Σ over suffixes leaving state i at t (transitions and emissions after t, logEnd). */
  beta: Float64Array;
  /** gamma [T][S] = p(s_t = i | X) (zeros when logProb is −Infinity). */
  gamma: Float64Array;
  /** xiSum [S][S] = Σ_t p(s_t = i, s_{t+1} = j | X). */
  xiSum: Float64Array;
  /** The best path's score (−Infinity when no path is allowed). */
  best: number;
  /** Every path whose score equals `best` exactly (empty when best is −Infinity). */
  bestPaths: Int32Array[];
}

/** Enumerates all S^T paths (and all prefixes and suffixes); O(T·S^T). */
export function bruteForce(L: Lattice): BruteForce {
  const { S, T } = L;
  const scores: number[] = [];
  const paths: Int32Array[] = [];
  eachPath(S, T, (p) => { scores.push(pathScore(L, p)); paths.push(Int32Array.from(p)); });
  const logProb = logSumExp(scores);
  let best = -Infinity;
  for (const s of scores) best = Math.max(best, s);
  const bestPaths = best === -Infinity ? [] : paths.filter((_, i) => scores[i] === best);

  const alpha = new Float64Array(T * S), beta = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    const byEnd: number[][] = Array.from({ length: S }, () => []);
    eachPath(S, t + 1, (p) => {
      let s = L.logStart[p[0]!]! + L.logB[p[0]!]!;
      for (let u = 1; u <= t; u++) s += L.logTrans[p[u - 1]! * S + p[u]!]! + L.logB[u * S + p[u]!]!;
      byEnd[p[t]!]!.push(s);
    });
    for (let j = 0; j < S; j++) alpha[t * S + j] = logSumExp(byEnd[j]!);
    const byStart: number[][] = Array.from({ length: S }, () => []);
    eachPath(S, T - t, (p) => { // p[0] is the state at t, p[k] the state at t + k
      let s = L.logEnd[p[T - t - 1]!]!;
      for (let k = 1; k < T - t; k++) s += L.logTrans[p[k - 1]! * S + p[k]!]! + L.logB[(t + k) * S + p[k]!]!;
      byStart[p[0]!]!.push(s);
    });
    for (let i = 0; i < S; i++) beta[t * S + i] = logSumExp(byStart[i]!);
  }

  const gamma = new Float64Array(T * S), xiSum = new Float64Array(S * S);
  if (logProb > -Infinity) {
    paths.forEach((p, n) => {
      const w = Math.exp(scores[n]! - logProb);
      if (w === 0) return;
      for (let t = 0; t < T; t++) gamma[t * S + p[t]!] += w;
      for (let t = 0; t + 1 < T; t++) xiSum[p[t]! * S + p[t + 1]!] += w;
    });
  }
  return { logProb, alpha, beta, gamma, xiSum, best, bestPaths };
}

/**
 * The Viterbi kernel's tie rule on exact ties: among the best paths, the one whose last state is
 * lowest, then whose second-to-last state is lowest, and so on (back-pointers prefer the lower
 * state). All −1 when there is no path.
 */
export function viterbiTieBreak(bf: BruteForce, T: number): Int32Array {
  if (bf.bestPaths.length === 0) return new Int32Array(T).fill(-1);
  let pick = bf.bestPaths[0]!;
  for (const p of bf.bestPaths) {
    for (let t = T - 1; t >= 0; t--) {
      if (p[t] !== pick[t]) { if (p[t]! < pick[t]!) pick = p; break; }
    }
  }
  return pick;
}

// ---- Gaussians -----------------------------------------------------------------------------------

const LOG_2PI = Math.log(2 * Math.PI);

/** log N(x; μ, diag(v)) as Σ_d −½(log 2π + log v_d + (x_d − μ_d)²/v_d). */
export function logNormalDiag(x: ArrayLike<number>, mu: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < mu.length; d++) s -= 0.5 * (LOG_2PI + Math.log(v[d]!) + (x[d]! - mu[d]!) ** 2 / v[d]!);
  return s;
}

/** Inverse of a D×D matrix by Gauss-Jordan with partial pivoting, and log|det| from the pivots. */
export function invertLogDet(A: ArrayLike<number>, D: number): { inv: Float64Array; logAbsDet: number } {
  const a = Float64Array.from(A as ArrayLike<number>);
  const inv = new Float64Array(D * D);
  for (let i = 0; i < D; i++) inv[i * D + i] = 1;
  let logAbsDet = 0;
  for (let c = 0; c < D; c++) {
    let piv = c;
    for (let r = c + 1; r < D; r++) if (Math.abs(a[r * D + c]!) > Math.abs(a[piv * D + c]!)) piv = r;
    if (piv !== c) {
      for (let k = 0; k < D; k++) {
        [a[c * D + k], a[piv * D + k]] = [a[piv * D + k]!, a[c * D + k]!];
        [inv[c * D + k], inv[piv * D + k]] = [inv[piv * D + k]!, inv[c * D + k]!];
      }
    }
    const p = a[c * D + c]!;
    logAbsDet += Math.log(Math.abs(p));
    for (let k = 0; k < D; k++) { a[c * D + k] = a[c * D + k]! / p; inv[c * D + k] = inv[c * D + k]! / p; }
    for (let r = 0; r < D; r++) {
      if (r === c) continue;
      const f = a[r * D + c]!;
      if (f === 0) continue;
      for (let k = 0; k < D; k++) { a[r * D + k] = a[r * D + k]! - f * a[c * D + k]!; inv[r * D + k] = inv[r * D + k]! - f * inv[c * D + k]!; }
    }
  }
  return { inv, logAbsDet };
}

/** log N(x; μ, Σ) = −½(D log 2π + log|Σ| + (x − μ)ᵀ Σ⁻¹ (x − μ)), Σ [D][D] row-major. */
export function logNormalFull(x: ArrayLike<number>, mu: ArrayLike<number>, cov: ArrayLike<number>): number {
  const D = mu.length;
  const { inv, logAbsDet } = invertLogDet(cov, D);
  let q = 0;
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) q += (x[i]! - mu[i]!) * inv[i * D + j]! * (x[j]! - mu[j]!);
  return -0.5 * (D * LOG_2PI + logAbsDet + q);
}

/** Mixture parameters as the bindings lay them out ([S][M], [S][M][D], [S][M][D] or [S][M][D][D]). */
export interface NaiveGmm {
  S: number;
  M: number;
  D: number;
  covarianceType: 'diag' | 'full';
  weights: ArrayLike<number>;
  means: ArrayLike<number>;
  covars: ArrayLike<number>;
}

/** comp [T][K] = log w_k + log N_k(x_t) and logB [T][S] = log Σ_m exp(comp), X [T][D]. */
export function naiveEmissions(g: NaiveGmm, X: ArrayLike<number>, T: number): { comp: Float64Array; logB: Float64Array } {
  const { S, M, D } = g, K = S * M;
  const comp = new Float64Array(T * K), logB = new Float64Array(T * S);
  const arr = (a: ArrayLike<number>, from: number, n: number) => Array.from({ length: n }, (_, i) => a[from + i]!);
  for (let t = 0; t < T; t++) {
    const x = arr(X, t * D, D);
    for (let k = 0; k < K; k++) {
      const mu = arr(g.means, k * D, D);
      const ln = g.covarianceType === 'diag'
        ? logNormalDiag(x, mu, arr(g.covars, k * D, D))
        : logNormalFull(x, mu, arr(g.covars, k * D * D, D * D));
      comp[t * K + k] = Math.log(g.weights[k]!) + ln;
    }
    for (let s = 0; s < S; s++) logB[t * S + s] = logSumExp(comp.subarray(t * K + s * M, t * K + s * M + M));
  }
  return { comp, logB };
}

// ---- sampling ------------------------------------------------------------------------------------

/** A uniform [0, 1) generator, e.g. test/helpers/fixtures.ts `rng(seed)`. */
export type Uniform = () => number;

/** Standard normal by Box-Muller. */
export function normal(next: Uniform): number {
  const u = 1 - next(), v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Index drawn with probability p[i] (p sums to 1). */
export function categorical(next: Uniform, p: ArrayLike<number>, from = 0, n = p.length): number {
  let r = next();
  for (let i = 0; i < n - 1; i++) { r -= p[from + i]!; if (r < 0) return i; }
  return n - 1;
}

/** Lower-triangular L with A = L·Lᵀ (A SPD; plain Cholesky-Banachiewicz, for sampling only). */
export function naiveCholesky(A: ArrayLike<number>, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * D + j]!;
      for (let k = 0; k < j; k++) s -= L[i * D + k]! * L[j * D + k]!;
      L[i * D + j] = i === j ? Math.sqrt(s) : s / L[j * D + j]!;
    }
  }
  return L;
}

/** A random SPD matrix B·Bᵀ/D + ridge·I with B's entries uniform in [−1, 1). */
export function randomSpd(next: Uniform, D: number, ridge = 0.5): Float64Array {
  const B = Array.from({ length: D * D }, () => 2 * next() - 1);
  const A = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += B[i * D + k]! * B[j * D + k]!;
      A[i * D + j] = s / D + (i === j ? ridge : 0);
    }
  }
  return A;
}

/** A generating GMM-HMM (probabilities, not logs). */
export interface NaiveGmmHmm extends NaiveGmm {
  startProb: ArrayLike<number>;
  transMat: ArrayLike<number>;
}

/** One sequence [T][D] (f64) sampled from the model, and its hidden states. */
export function sampleGmmHmm(next: Uniform, h: NaiveGmmHmm, T: number): { data: Float64Array; states: Int32Array } {
  const { S, M, D } = h;
  const data = new Float64Array(T * D), states = new Int32Array(T);
  let s = categorical(next, h.startProb, 0, S);
  for (let t = 0; t < T; t++) {
    if (t > 0) s = categorical(next, h.transMat, s * S, S);
    states[t] = s;
    const k = s * M + categorical(next, h.weights, s * M, M);
    const z = Array.from({ length: D }, () => normal(next));
    for (let d = 0; d < D; d++) {
      let v = h.means[k * D + d]!;
      if (h.covarianceType === 'diag') v += Math.sqrt(h.covars[k * D + d]!) * z[d]!;
      else {
        const L = naiveCholesky(Array.from({ length: D * D }, (_, i) => h.covars[k * D * D + i]!), D);
        for (let e = 0; e <= d; e++) v += L[d * D + e]! * z[e]!;
      }
      data[t * D + d] = v;
    }
  }
  return { data, states };
}

/**
 * One left-right sequence: state s held for durations[s] frames (so every state is visited and
 * the chain ends in the last one), emissions drawn from the model's mixtures.
 */
export function sampleLeftRight(next: Uniform, h: NaiveGmm, durations: readonly number[]): Float64Array {
  const { S, M, D } = h;
  const T = durations.reduce((a, b) => a + b, 0);
  const out = new Float64Array(T * D);
  let t = 0;
  for (let s = 0; s < S; s++) {
    for (let n = 0; n < durations[s]!; n++, t++) {
      const k = s * M + categorical(next, h.weights, s * M, M);
      const z = Array.from({ length: D }, () => normal(next));
      const L = h.covarianceType === 'full' ? naiveCholesky(Array.from({ length: D * D }, (_, i) => h.covars[k * D * D + i]!), D) : null;
      for (let d = 0; d < D; d++) {
        let v = h.means[k * D + d]!;
        if (!L) v += Math.sqrt(h.covars[k * D + d]!) * z[d]!;
        else for (let e = 0; e <= d; e++) v += L[d * D + e]! * z[e]!;
        out[t * D + d] = v;
      }
    }
  }
  return out;
}
