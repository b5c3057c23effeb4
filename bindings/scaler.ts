/**
 * StandardScaler (sklearn semantics): per-feature mean and population standard deviation learned
 * on the frames given to fit; a zero-variance feature gets scale 1 (sklearn does the same).
 */
import { ParameterError } from './errors.ts';
import type { Matrix } from './matrix.ts';

export class StandardScaler {
  mean: Float64Array | null = null;
  scale: Float64Array | null = null;

  /** Learns mean and scale from the rows of every matrix ([n][D] each, same D). */
  fit(matrices: readonly Matrix[]): this {
    if (matrices.length === 0) throw new ParameterError('StandardScaler.fit needs at least one matrix');
    const D = matrices[0].cols;
    const mean = new Float64Array(D), m2 = new Float64Array(D);
    let n = 0;
    for (const [i, m] of matrices.entries()) {
      if (m.cols !== D) throw new ParameterError(`matrices[${i}] has ${m.cols} features, expected ${D}`);
      for (let r = 0; r < m.rows; r++) {
        n++;
        for (let d = 0; d < D; d++) {
          // Welford: stable for long corpora.
          const x = m.data[r * D + d], delta = x - mean[d];
          mean[d] += delta / n;
          m2[d] += delta * (x - mean[d]);
        }
      }
    }
    if (n === 0) throw new ParameterError('StandardScaler.fit: no rows');
    this.mean = mean;
    this.scale = m2.map((v) => (v > 0 ? Math.sqrt(v / n) : 1));
    return this;
  }

  /** (x − mean) / scale for every row; returns new matrices. */
  transform(matrices: readonly Matrix[]): Matrix[] {
    const { mean, scale } = this;
    if (!mean || !scale) throw new ParameterError('StandardScaler is not fitted: call fit() first');
    return matrices.map((m, i) => {
      if (m.cols !== mean.length) throw new ParameterError(`matrices[${i}] has ${m.cols} features, the scaler ${mean.length}`);
      const out = new Float32Array(m.rows * m.cols);
      for (let k = 0; k < out.length; k++) out[k] = (m.data[k] - mean[k % m.cols]) / scale[k % m.cols];
      return { data: out, rows: m.rows, cols: m.cols };
    });
  }
}
