/**
 * Gaussian naive Bayes written here, with sklearn 1.x GaussianNB semantics.
 *
 * Provenance: sklearn.naive_bayes.GaussianNB (fit without partial updates): per-class means and
 * population variances, every variance increased by `varSmoothing · max_j var(X[:, j])`,
 * priors = class frequencies, prediction = argmax of log prior + Σ log N(x_j; θ_cj, σ²_cj).
 *
 * @module
 */
import { argmax, ParameterError, type Matrix } from 'speechcore';
import { BaseClassifier, checkFit, checkX, fitted, probaMatrix, rowsOf, type Samples } from './estimator.ts';

export interface GaussianNBOptions {
  /** Fraction of the largest feature variance added to every variance, float ≥ 0 (default 1e-9). */
  varSmoothing?: number;
  /** Class priors in the order of the sorted classes; default the training frequencies. */
  priors?: number[];
}

/**
 * @see sklearn.naive_bayes.GaussianNB
 * @example new GaussianNB().fit(Xtrain, ytrain).score(Xtest, ytest)
 */
export class GaussianNB extends BaseClassifier {
  readonly name = 'GaussianNB (ours)';
  readonly varSmoothing: number;
  readonly priors?: number[];
  /** Sorted class labels. */
  classes: number[] | null = null;
  /** theta[c][j]: mean of feature j in class c. */
  theta: Float64Array[] | null = null;
  /** variance[c][j] (smoothed). */
  variance: Float64Array[] | null = null;
  classPrior: Float64Array | null = null;
  /** The smoothing actually added (varSmoothing · max variance). */
  epsilon = 0;

  constructor(options: GaussianNBOptions = {}) {
    super();
    this.varSmoothing = options.varSmoothing ?? 1e-9;
    if (!(this.varSmoothing >= 0)) throw new ParameterError(`varSmoothing=${this.varSmoothing} must be >= 0`);
    this.priors = options.priors;
  }

  fit(samples: Samples, y: readonly number[]): this {
    const X = rowsOf(samples);
    const classes = checkFit(X, y, 'GaussianNB.fit');
    const D = X[0].length, n = X.length;
    if (this.priors) {
      const sum = this.priors.reduce((a, b) => a + b, 0);
      if (this.priors.length !== classes.length) throw new ParameterError(`GaussianNB: priors has ${this.priors.length} entries for ${classes.length} classes`);
      if (this.priors.some((p) => p < 0) || Math.abs(sum - 1) > 1e-8) throw new ParameterError(`GaussianNB: priors must be >= 0 and sum to 1 (sum ${sum})`);
    }
    // epsilon from the variance of every feature over all samples.
    const mean = new Float64Array(D), m2 = new Float64Array(D);
    for (const row of X) for (let j = 0; j < D; j++) mean[j] += row[j] / n;
    for (const row of X) for (let j = 0; j < D; j++) m2[j] += (row[j] - mean[j]) ** 2;
    let maxVar = 0;
    for (let j = 0; j < D; j++) maxVar = Math.max(maxVar, m2[j] / n);
    this.epsilon = this.varSmoothing * maxVar;

    const index = new Map(classes.map((c, i) => [c, i]));
    const counts = new Float64Array(classes.length);
    const theta = classes.map(() => new Float64Array(D));
    const variance = classes.map(() => new Float64Array(D));
    for (let i = 0; i < n; i++) {
      const c = index.get(y[i])!;
      counts[c]++;
      for (let j = 0; j < D; j++) theta[c][j] += X[i][j];
    }
    for (let c = 0; c < classes.length; c++) for (let j = 0; j < D; j++) theta[c][j] /= counts[c];
    for (let i = 0; i < n; i++) {
      const c = index.get(y[i])!;
      for (let j = 0; j < D; j++) variance[c][j] += (X[i][j] - theta[c][j]) ** 2;
    }
    for (let c = 0; c < classes.length; c++) {
      for (let j = 0; j < D; j++) variance[c][j] = variance[c][j] / counts[c] + this.epsilon;
      if (variance[c].some((v) => v <= 0)) {
        throw new ParameterError(`GaussianNB: class ${classes[c]} has a zero-variance feature and varSmoothing=${this.varSmoothing} adds nothing; use varSmoothing > 0`);
      }
    }
    this.classes = classes;
    this.theta = theta;
    this.variance = variance;
    this.classPrior = Float64Array.from(this.priors ?? Array.from(counts, (k) => k / n));
    return this;
  }

  /** Joint log-likelihood [samples][classes]: log P(c) + log P(x | c), in f64. */
  jointLogLikelihood(samples: Samples): number[][] {
    const X = rowsOf(samples);
    const theta = fitted(this.theta, 'GaussianNB'), variance = this.variance!, prior = this.classPrior!;
    checkX(X, 'GaussianNB.predict', theta[0].length);
    const consts = variance.map((v, c) => Math.log(prior[c]) - 0.5 * v.reduce((a, s) => a + Math.log(2 * Math.PI * s), 0));
    return X.map((row) => theta.map((t, c) => {
      let q = 0;
      for (let j = 0; j < t.length; j++) q += (row[j] - t[j]) ** 2 / variance[c][j];
      return consts[c] - 0.5 * q;
    }));
  }

  /**
   * Posterior probabilities (log-sum-exp normalised in f64), a Matrix [samples][classes] in the
   * order of `classes`; rows sum to 1. Differs from sklearn: f32, so posteriors below ~1e-38 are 0.
   */
  predictProba(X: Samples): Matrix {
    const jlls = this.jointLogLikelihood(X), k = this.classes!.length;
    const p = new Float64Array(jlls.length * k);
    jlls.forEach((jll, i) => {
      const m = Math.max(...jll);
      const e = jll.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => { p[i * k + c] = v / s; });
    });
    return probaMatrix(p, jlls.length, k);
  }

  /** The most probable class of every sample: Int32Array (ties: the lower class; speechcore's argmax). */
  predict(X: Samples): Int32Array {
    const classes = fitted(this.classes, 'GaussianNB');
    return Int32Array.from(this.jointLogLikelihood(X), (jll) => classes[argmax(jll)]);
  }
}
