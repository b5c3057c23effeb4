/**
 * Per-utterance cepstral mean and variance normalisation (CMVN; Kaldi's apply-cmvn with
 * per-utterance statistics, sklearn's `scale` over one utterance's frames). It removes what a
 * channel or a speaker adds to every frame alike (a microphone's colour, a level), which is the
 * cheapest step towards voices and recordings a model has not seen.
 *
 * @module
 */
import type { Matrix } from '../matrix.ts';
import { ParameterError } from '../errors.ts';

/** Per-feature statistics of some frames: mean and population standard deviation, f64 [features]. */
export interface CmvnStats {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * The mean and population standard deviation of each column of X [frames][features], over the
 * frames where `mask` is 1 (all frames without a mask, or when the mask selects none): what a
 * decoder normalises a recording of several words with (its speech frames only).
 */
export function cmvnStats(X: Matrix, mask?: Uint8Array): CmvnStats {
  const { rows: T, cols: D } = checked(X, 'cmvnStats');
  let n = 0;
  if (mask && mask.length !== T) throw new ParameterError(`cmvnStats: mask has ${mask.length} entries, X has ${T} frames`);
  if (mask) for (let t = 0; t < T; t++) n += mask[t]!;
  const use = mask && n > 0 ? mask : null;
  if (!use) n = T;
  const mean = new Float64Array(D), std = new Float64Array(D);
  for (let t = 0; t < T; t++) if (!use || use[t]) for (let d = 0; d < D; d++) mean[d] += X.data[t * D + d]!;
  for (let d = 0; d < D; d++) mean[d] /= n;
  for (let t = 0; t < T; t++) if (!use || use[t]) for (let d = 0; d < D; d++) std[d] += (X.data[t * D + d]! - mean[d]!) ** 2;
  for (let d = 0; d < D; d++) std[d] = Math.sqrt(std[d]! / n);
  return { mean, std };
}

/**
 * (X − mean) / std per column with given statistics, f32 [frames][features] (a new matrix); a
 * column whose std is below 1e-6, or every column when `variance` is false, is only centred.
 */
export function applyCmvn(X: Matrix, stats: CmvnStats, o: { variance?: boolean } = {}): Matrix {
  const { rows: T, cols: D } = checked(X, 'applyCmvn');
  if (stats.mean.length !== D || stats.std.length !== D) throw new ParameterError(`applyCmvn: statistics for ${stats.mean.length} features, X has ${D}`);
  const out = new Float32Array(T * D);
  for (let d = 0; d < D; d++) {
    const inv = o.variance !== false && stats.std[d]! > 1e-6 ? 1 / stats.std[d]! : 1;
    for (let t = 0; t < T; t++) out[t * D + d] = (X.data[t * D + d]! - stats.mean[d]!) * inv;
  }
  return { data: out, rows: T, cols: D };
}

/**
 * X [frames][features] with each column's mean removed and, when `variance` (default true), its
 * population standard deviation divided out: f32 [frames][features] (a new matrix). A column with
 * standard deviation below 1e-6 is only centred (a constant feature carries nothing to scale).
 * @example cmvn(mfccWithDeltas(y, { sr: 8000, nMfcc: 13 }))
 */
export function cmvn(X: Matrix, o: { variance?: boolean } = {}): Matrix {
  checked(X, 'cmvn');
  return applyCmvn(X, cmvnStats(X), o);
}

function checked(X: Matrix, fn: string): Matrix {
  const { rows: T, cols: D } = X;
  if (!(T >= 1) || !(D >= 1) || !(X.data?.length >= T * D)) throw new ParameterError(`${fn}: X must be a [frames >= 1][features >= 1] matrix, got ${T}x${D}`);
  return X;
}
