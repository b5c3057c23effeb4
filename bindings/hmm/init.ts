/**
 * The seeded start of Baum-Welch (GmmHmm.fit's initialisation, nothing else): each training
 * sequence is cut uniformly into S segments, k-means++ (kmeans.ts) clusters each state's frames
 * into M components (means, weights, per-cluster covariances floored at minCovar), and the chain
 * starts uniform (ergodic) or as a left-right chain whose expected stay matches the segmentation.
 * Deterministic for a given seed.
 *
 * @module
 */
import type { Matrix } from '../matrix.ts';
import { Rng } from '../rng.ts';
import type { CovarianceType, GmmParams } from './gmm.ts';
import { kmeans } from './kmeans.ts';
import { floorEigenvalues } from './linalg.ts';

/** The settings the start depends on. */
export interface InitOptions {
  nStates: number;
  nMix: number;
  covarianceType: CovarianceType;
  /** Left-right chain (start in state 0, a_ij = 0 unless j ∈ {i, i+1}); else ergodic. */
  leftRight: boolean;
  minCovar: number;
  seed: number;
}

/** Initial parameters: the mixtures of every state and the chain (start [S], transitions [S][S]). */
export interface InitialParams {
  gmm: GmmParams;
  startProb: Float64Array;
  transMat: Float64Array;
}

/**
 * Seeded start from sequences [T][D] (already checked: T ≥ 1, finite values): uniform
 * segmentation of each sequence into S parts, k-means(M) within each part.
 */
export function initialParams(sequences: readonly Matrix[], D: number, opts: InitOptions): InitialParams {
  const S = opts.nStates, M = opts.nMix, full = opts.covarianceType === 'full';
  const rng = new Rng(opts.seed);
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
        const v = q.data[t * q.cols + d]!;
        parts[s][fill[s]++] = v;
        all[o++] = v;
      }
    }
  }
  const globalCov = covarianceOf(all, frames, D, full, opts.minCovar);
  const weights = new Float64Array(S * M), means = new Float64Array(S * M * D);
  const covars = new Float64Array(full ? S * M * D * D : S * M * D);
  const cs = full ? D * D : D;
  for (let s = 0; s < S; s++) {
    const pts = parts[s];
    const n = pts.length / D;
    const stateCov = n >= 2 ? covarianceOf(pts, n, D, full, opts.minCovar) : globalCov;
    const km = kmeans(n > 0 ? pts : all, n > 0 ? n : frames, D, M, rng);
    for (let m = 0; m < M; m++) {
      const k = s * M + m;
      means.set(km.centers.subarray(m * D, m * D + D), k * D);
      // An empty or single-frame cluster (duplicates, tiny data) borrows its state's spread and a small weight.
      weights[k] = Math.max(km.counts[m], 1e-3);
      const members = km.counts[m] >= 2 ? clusterPoints(n > 0 ? pts : all, km.labels, m, D) : null;
      covars.set(members ? covarianceOf(members, members.length / D, D, full, opts.minCovar) : stateCov, k * cs);
    }
    let tot = 0;
    for (let m = 0; m < M; m++) tot += weights[s * M + m];
    for (let m = 0; m < M; m++) weights[s * M + m] /= tot;
  }
  const gmm: GmmParams = { S, M, D, covarianceType: opts.covarianceType, weights, means, covars };
  const startProb = new Float64Array(S), transMat = new Float64Array(S * S);
  if (opts.leftRight) {
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
  return { gmm, startProb, transMat };
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
