/**
 * Principal component analysis, sklearn-like (`fit`, `transform`, `explainedVarianceRatio`,
 * `components`) over ml-pca's SVD of the centred data (no scaling unless asked, as sklearn).
 *
 * @module
 */
import { PCA as MlPCA } from 'ml-pca';
import { ParameterError } from 'speechcore';
import { checkX, fitted, type Rows } from './estimator.ts';

export interface PCAOptions {
  /** Components kept by transform, int ≥ 1 (default all); or a variance fraction in (0, 1) as sklearn's float n_components. */
  nComponents?: number;
  /** Divide every feature by its standard deviation before the SVD (default false). */
  scale?: boolean;
}

/**
 * @see sklearn.decomposition.PCA, https://github.com/mljs/pca
 * @example const p = new PCA({ nComponents: 2 }).fit(X); p.explainedVarianceRatio; p.transform(X)
 */
export class PCA {
  readonly options: PCAOptions;
  private model: MlPCA | null = null;
  private D = 0;
  /** Fraction of the total variance along each component, decreasing. */
  explainedVarianceRatio: number[] = [];
  /** Variance along each component (eigenvalues of the covariance, n−1 normalised). */
  explainedVariance: number[] = [];
  /** components[k]: the k-th principal axis (unit vector over the features). */
  components: number[][] = [];
  /** Components transform keeps. */
  nComponents = 0;

  constructor(options: PCAOptions = {}) {
    this.options = options;
    const k = options.nComponents;
    if (k !== undefined && !(k > 0 && (k < 1 || Number.isInteger(k)))) throw new ParameterError(`PCA: nComponents=${k} must be an integer >= 1 or a fraction in (0, 1)`);
  }

  fit(X: Rows): this {
    this.D = checkX(X, 'PCA.fit');
    if (X.length < 2) throw new ParameterError('PCA.fit needs at least 2 samples');
    const model = new MlPCA(X.map((r) => Array.from(r)), { center: true, scale: this.options.scale ?? false, method: 'SVD' });
    this.model = model;
    this.explainedVarianceRatio = model.getExplainedVariance();
    this.explainedVariance = model.getEigenvalues();
    const V = model.getEigenvectors();
    const K = Math.min(V.columns, X.length - 1, this.D);
    this.components = Array.from({ length: K }, (_, k) => V.getColumn(k));
    this.explainedVarianceRatio = this.explainedVarianceRatio.slice(0, K);
    this.explainedVariance = this.explainedVariance.slice(0, K);
    const want = this.options.nComponents;
    this.nComponents = want === undefined ? K : want < 1 ? this.componentsFor(want) : Math.min(want, K);
    return this;
  }

  /** Cumulative explained-variance ratio, [K]. */
  get cumulativeVarianceRatio(): number[] {
    let s = 0;
    return this.explainedVarianceRatio.map((v) => (s += v));
  }

  /** Fewest components whose cumulative ratio reaches `target` (e.g. 0.95). */
  componentsFor(target: number): number {
    if (!(target > 0 && target <= 1)) throw new ParameterError(`PCA: variance target ${target} must be in (0, 1]`);
    const cum = this.cumulativeVarianceRatio;
    const i = cum.findIndex((c) => c >= target - 1e-12);
    return i < 0 ? cum.length : i + 1;
  }

  /** Projections on the first `nComponents` axes, [samples][nComponents]. */
  transform(X: Rows, nComponents = this.nComponents): number[][] {
    const model = fitted(this.model, 'PCA');
    checkX(X, 'PCA.transform', this.D);
    return model.predict(X.map((r) => Array.from(r)), { nComponents }).to2DArray();
  }

  fitTransform(X: Rows): number[][] {
    return this.fit(X).transform(X);
  }
}
