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

/**
 * X [frames][features] with each column's mean removed and, when `variance` (default true), its
 * population standard deviation divided out: f32 [frames][features] (a new matrix). A column with
 * standard deviation below 1e-6 is only centred (a constant feature carries nothing to scale).
 * @example cmvn(mfccWithDeltas(y, { sr: 8000, nMfcc: 13 }))
 */
export function cmvn(X: Matrix, o: { variance?: boolean } = {}): Matrix {
  const { rows: T, cols: D } = X;
  if (!(T >= 1) || !(D >= 1) || !(X.data?.length >= T * D)) throw new ParameterError(`cmvn: X must be a [frames >= 1][features >= 1] matrix, got ${T}x${D}`);
  const out = new Float32Array(T * D);
  for (let d = 0; d < D; d++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += X.data[t * D + d];
    const mu = s / T;
    let s2 = 0;
    for (let t = 0; t < T; t++) s2 += (X.data[t * D + d] - mu) ** 2;
    const sd = Math.sqrt(s2 / T);
    const inv = o.variance !== false && sd > 1e-6 ? 1 / sd : 1;
    for (let t = 0; t < T; t++) out[t * D + d] = (X.data[t * D + d] - mu) * inv;
  }
  return { data: out, rows: T, cols: D };
}
