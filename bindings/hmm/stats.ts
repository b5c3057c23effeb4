/**
 * EM sufficient statistics (twin of assembly/hmm/stats.ts) and the M-step for the mixtures
 * (hmmlearn does its M-step in numpy; ours is TS, O(K·D³) per iteration).
 */
import type { Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import type { GmmParams } from './gmm.ts';
import { floorEigenvalues } from './linalg.ts';

export interface StatsPtrs {
  W: Ptr; // [K]
  X1: Ptr; // [K][D]
  X2: Ptr; // [K][D] (diag) or [K][D][D] (full, upper triangle)
}

/** Zeroed statistics in the current scope. */
export function statsPtrs(engine: Engine, p: Pick<GmmParams, 'S' | 'M' | 'D' | 'covarianceType'>): StatsPtrs {
  const K = p.S * p.M, D = p.D, a = engine.arena;
  const n2 = p.covarianceType === 'full' ? K * D * D : K * D;
  const W = a.alloc(K * 8), X1 = a.alloc(K * D * 8), X2 = a.alloc(n2 * 8);
  a.f64(W, K).fill(0);
  a.f64(X1, K * D).fill(0);
  a.f64(X2, n2).fill(0);
  return { W, X1, X2 };
}

/** Adds the frames X [T][D] with posteriors gamma [T][S] and in-state shares resp [T][K]. */
export function accumulate(engine: Engine, p: GmmParams, s: StatsPtrs, X: Ptr, T: number, gamma: Ptr, resp: Ptr): void {
  engine.exports.accumulateGmm(X, T, p.D, gamma, resp, p.S, p.M, p.covarianceType === 'full' ? 1 : 0, s.W, s.X1, s.X2);
}

/**
 * New mixture parameters from the statistics. A state with no posterior mass keeps its old
 * mixture; a component with (almost) none keeps its old mean and covariance, with its tiny weight.
 * Variances (diag) and covariance eigenvalues (full) are floored at minCovar, which is the
 * constrained maximiser, so EM's log-likelihood stays non-decreasing.
 */
export function mStep(engine: Engine, old: GmmParams, s: StatsPtrs, minCovar: number): GmmParams {
  const { S, M, D } = old;
  const K = S * M, full = old.covarianceType === 'full';
  const a = engine.arena;
  const W = a.f64(s.W, K).slice(), X1 = a.f64(s.X1, K * D).slice(), X2 = a.f64(s.X2, full ? K * D * D : K * D).slice();
  const p: GmmParams = { ...old, weights: Float64Array.from(old.weights), means: Float64Array.from(old.means), covars: Float64Array.from(old.covars) };
  for (let st = 0; st < S; st++) {
    let total = 0;
    for (let m = 0; m < M; m++) total += W[st * M + m];
    if (!(total > 0)) continue;
    for (let m = 0; m < M; m++) {
      const k = st * M + m, w = W[k];
      p.weights[k] = w / total;
      // Fewer than ~1e-6 frames' worth: the sample moments would be noise (or 0/0).
      if (!(w > 1e-6)) continue;
      for (let d = 0; d < D; d++) p.means[k * D + d] = X1[k * D + d] / w;
      if (!full) {
        for (let d = 0; d < D; d++) {
          const mu = p.means[k * D + d];
          p.covars[k * D + d] = Math.max(X2[k * D + d] / w - mu * mu, minCovar);
        }
      } else {
        const C = new Float64Array(D * D);
        for (let i = 0; i < D; i++) {
          for (let j = i; j < D; j++) {
            const v = X2[k * D * D + i * D + j] / w - p.means[k * D + i] * p.means[k * D + j];
            C[i * D + j] = v;
            C[j * D + i] = v;
          }
        }
        p.covars.set(floorEigenvalues(C, D, minCovar), k * D * D);
      }
    }
  }
  return p;
}
