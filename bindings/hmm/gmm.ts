/**
 * Gaussian-mixture emissions (twin of assembly/hmm/gmm.ts): parameters, the tables the kernels
 * take (log normalisers, precisions or precision Cholesky factors) and the per-frame log-densities.
 */
import type { Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import { NumericalError } from '../errors.ts';
import { cholesky, precisionCholesky } from './linalg.ts';

export type CovarianceType = 'diag' | 'full';

/** Mixture parameters of all S states: K = S·M components, component k = s·M + m. */
export interface GmmParams {
  S: number;
  M: number;
  D: number;
  covarianceType: CovarianceType;
  /** [S][M], each state's row sums to 1. */
  weights: Float64Array;
  /** [S][M][D]. */
  means: Float64Array;
  /** diag: variances [S][M][D]; full: covariance matrices [S][M][D][D]. */
  covars: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Kernel tables: logNorm [K] (log weight + Gaussian normaliser), and precisions [K][D] (diag) or
 * upper-triangular precision Cholesky factors [K][D][D] (full). A covariance that is not positive
 * definite is retried with a growing diagonal boost; if that fails too, NumericalError names the
 * model, state and component.
 */
export function emissionTables(p: GmmParams, model: string): { logNorm: Float64Array; prec: Float64Array } {
  const { S, M, D } = p;
  const K = S * M;
  const logNorm = new Float64Array(K);
  const full = p.covarianceType === 'full';
  const prec = new Float64Array(full ? K * D * D : K * D);
  for (let k = 0; k < K; k++) {
    const logW = Math.log(p.weights[k]);
    if (!full) {
      let logDet = 0;
      for (let d = 0; d < D; d++) {
        const v = p.covars[k * D + d];
        if (!(v > 0) || !Number.isFinite(v)) throw starved(model, k, M, `variance ${v} in dimension ${d}`);
        prec[k * D + d] = 1 / v;
        logDet += Math.log(v);
      }
      logNorm[k] = logW - 0.5 * (D * LOG_2PI + logDet);
      continue;
    }
    const C = p.covars.subarray(k * D * D, (k + 1) * D * D);
    let L = cholesky(C, D);
    for (let boost = 1e-6; !L && boost <= 1; boost *= 10) {
      const B = Float64Array.from(C);
      let scale = 0;
      for (let d = 0; d < D; d++) scale = Math.max(scale, Math.abs(C[d * D + d]));
      for (let d = 0; d < D; d++) B[d * D + d] += boost * (scale || 1);
      L = cholesky(B, D);
    }
    if (!L) throw starved(model, k, M, 'covariance is not positive definite even with a diagonal boost');
    const U = precisionCholesky(L, D);
    prec.set(U, k * D * D);
    let logDetU = 0;
    for (let d = 0; d < D; d++) logDetU += Math.log(U[d * D + d]);
    logNorm[k] = logW - 0.5 * D * LOG_2PI + logDetU;
  }
  return { logNorm, prec };
}

function starved(model: string, k: number, M: number, what: string): NumericalError {
  return new NumericalError(`${model}: state ${Math.floor(k / M)}, component ${k % M}: ${what}; ` +
    'raise minCovar, use fewer mixtures, or give the model more data');
}

/** Wasm-side copies of the tables for one set of parameters. */
export interface EmissionPtrs {
  means: Ptr;
  prec: Ptr;
  logNorm: Ptr;
  work: Ptr;
}

/** Copies the parameters' tables (computed here, or given) into the current scope. */
export function emissionPtrs(engine: Engine, p: GmmParams, model: string, tables?: ReturnType<typeof emissionTables>): EmissionPtrs {
  const t = tables ?? emissionTables(p, model);
  const { arena } = engine;
  return { means: arena.f64In(p.means), prec: arena.f64In(t.prec), logNorm: arena.f64In(t.logNorm), work: arena.alloc(2 * p.D * 16) };
}

/**
 * comp [T][K] component log-densities of X [T][D] (f64 in wasm), then logB [T][S]; resp [T][K]
 * (each component's share within its state) when resp != 0.
 */
export function emissionLogProb(engine: Engine, p: GmmParams, e: EmissionPtrs, X: Ptr, T: number, comp: Ptr, logB: Ptr, resp: Ptr | 0): void {
  const K = p.S * p.M;
  const x = engine.exports;
  if (p.covarianceType === 'full') x.gmmLogProbFull(X, T, p.D, e.means, e.prec, e.logNorm, K, comp, e.work);
  else x.gmmLogProbDiag(X, T, p.D, e.means, e.prec, e.logNorm, K, comp);
  x.stateLogProb(comp, T, p.S, p.M, logB, resp);
}
