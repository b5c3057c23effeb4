/**
 * Step-7 classifiers from maintained libraries, behind the same fit/predict/score contract:
 * ml-naivebayes (GaussianNB), ml-knn (KNN), libsvm-js (LIBSVM C-SVC with a linear kernel, the
 * library sklearn's SVC wraps). The adapters map labels to 0..n-1 and back, check inputs and name
 * the library in every error.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { GaussianNB as MlGaussianNB } from 'ml-naivebayes';
import MlKNN from 'ml-knn';
import { argmax, NumericalError, ParameterError } from 'speechcore';
import { BaseClassifier, checkFit, checkX, fitted, rowsOf, type Rows, type Samples } from './estimator.ts';

const plain = (X: Rows): number[][] => X.map((r) => Array.from(r));

/** Maps labels to 0..n-1 (what ml-naivebayes requires) and back. */
class LabelMap {
  readonly index: Map<number, number>;
  constructor(readonly classes: number[]) {
    this.index = new Map(classes.map((c, i) => [c, i]));
  }
  encode(y: readonly number[]): number[] { return y.map((v) => this.index.get(v)!); }
  decode(i: number): number { return i >= 0 && i < this.classes.length ? this.classes[i] : -1; }
}

/**
 * ml-naivebayes' GaussianNB: per-class means and sample standard deviations (n−1), no variance
 * smoothing, fitted by the library.
 *
 * Its `predict` (4.0.0) has a bug: the feature loop is bounded by `classes[0][1].length`, the
 * length of one feature's [coefficient, exponent] pair, so only the first two features are ever
 * used (0.37 on the lab's data instead of 0.63). By default this adapter therefore scores with the
 * library's fitted parameters over every feature, in the log domain; `libraryPredict: true` calls
 * the library's own predict, bug included (a sample no class can claim gets label −1).
 * @see https://github.com/mljs/naive-bayes
 */
export class LibraryGaussianNB extends BaseClassifier {
  readonly name: string;
  readonly libraryPredict: boolean;
  private model: MlGaussianNB | null = null;
  private labels: LabelMap | null = null;
  private D = 0;

  constructor(options: { libraryPredict?: boolean } = {}) {
    super();
    this.libraryPredict = options.libraryPredict ?? false;
    this.name = this.libraryPredict ? 'GaussianNB (ml-naivebayes, its predict)' : 'GaussianNB (ml-naivebayes)';
  }

  fit(samples: Samples, y: readonly number[]): this {
    const X = rowsOf(samples);
    const classes = checkFit(X, y, 'LibraryGaussianNB.fit');
    this.labels = new LabelMap(classes);
    this.D = X[0].length;
    const model = new MlGaussianNB();
    model.train(plain(X), this.labels.encode(y));
    this.model = model;
    return this;
  }

  predict(samples: Samples): Int32Array {
    const X = rowsOf(samples);
    const model = fitted(this.model, 'LibraryGaussianNB');
    checkX(X, 'LibraryGaussianNB.predict', this.D);
    if (this.libraryPredict) return Int32Array.from(model.predict(plain(X)) as number[], (i) => this.labels!.decode(i));
    // calculateProbabilities[c] = [log prior, [1/(√(2π)σ_j), −2σ_j²] per feature j].
    const { means, calculateProbabilities: cp } = model.toJSON();
    return Int32Array.from(X, (row) => {
      const lps = cp.map((cc, c) => {
        let lp = cc[0] as number;
        for (let j = 0; j < row.length; j++) {
          const [coef, denom] = cc[j + 1] as [number, number];
          lp += Math.log(coef) + (row[j] - means[c][j]) ** 2 / denom;
        }
        return lp;
      });
      const best = argmax(lps);
      if (!(lps[best] > -Infinity)) throw new NumericalError('LibraryGaussianNB: no class has a finite likelihood (a zero-variance feature?); use GaussianNB with varSmoothing');
      return this.labels!.decode(best);
    });
  }
}

export interface KNNOptions {
  /** Neighbours, int ≥ 1 (default 3, as the lab). */
  k?: number;
}

/**
 * k-nearest neighbours (Euclidean, majority vote): neighbours from ml-knn's k-d tree, the vote
 * here. ml-knn's own vote breaks a tie in favour of the *farthest* tied neighbour (its tree returns
 * neighbours farthest first); with k = 3 and ten classes three-way ties are common, and that cost
 * 7 points of accuracy on the lab's data. Here a tie goes to the class of the nearest neighbour.
 * @see sklearn.neighbors.KNeighborsClassifier, https://github.com/mljs/knn
 */
export class KNN extends BaseClassifier {
  readonly name: string;
  readonly k: number;
  private model: MlKNN | null = null;
  private D = 0;

  constructor(options: KNNOptions = {}) {
    super();
    this.k = options.k ?? 3;
    if (!Number.isInteger(this.k) || this.k < 1) throw new ParameterError(`KNN: k=${this.k} must be an integer >= 1`);
    this.name = `kNN (k=${this.k}, ml-knn)`;
  }

  fit(samples: Samples, y: readonly number[]): this {
    const X = rowsOf(samples);
    checkFit(X, y, 'KNN.fit');
    if (this.k > X.length) throw new ParameterError(`KNN: k=${this.k} exceeds the ${X.length} training samples`);
    this.D = X[0].length;
    this.model = new MlKNN(plain(X), [...y], { k: this.k });
    return this;
  }

  predict(samples: Samples): Int32Array {
    const X = rowsOf(samples);
    const model = fitted(this.model, 'KNN');
    checkX(X, 'KNN.predict', this.D);
    return Int32Array.from(X, (row) => {
      // [[point..., label], distance][], any order.
      const near = model.kdTree.nearest(Array.from(row), this.k).sort((a, b) => a[1] - b[1]);
      // Classes in order of their nearest neighbour, so argmax's first-maximum rule gives a tie to the nearest.
      const votes = new Map<number, number>();
      for (const [p] of near) votes.set(p[p.length - 1], (votes.get(p[p.length - 1]) ?? 0) + 1);
      const classes = [...votes.keys()];
      return classes[argmax(classes.map((c) => votes.get(c)!))];
    });
  }
}

interface LibsvmModel {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
  free(): void;
}
interface LibsvmStatic {
  new (options: Record<string, unknown>): LibsvmModel;
  KERNEL_TYPES: Record<string, number>;
  SVM_TYPES: Record<string, number>;
}

let libsvm: LibsvmStatic | null = null;
/** libsvm-js's asm.js build loads synchronously (its wasm build needs an async init). */
function loadLibsvm(): LibsvmStatic {
  libsvm ??= createRequire(import.meta.url)('libsvm-js/asm') as LibsvmStatic;
  return libsvm;
}

export interface LinearSVCOptions {
  /** Regularisation C, float > 0 (default 1, sklearn's). */
  C?: number;
}

/**
 * Linear support-vector classifier: LIBSVM's C-SVC with a linear kernel and one-vs-one multiclass,
 * i.e. sklearn's `SVC(kernel='linear')`, compiled to JS by libsvm-js.
 * @see sklearn.svm.SVC, https://github.com/mljs/libsvm
 */
export class LinearSVC extends BaseClassifier {
  readonly name = 'linear SVM (libsvm-js)';
  readonly C: number;
  private model: LibsvmModel | null = null;
  private D = 0;

  constructor(options: LinearSVCOptions = {}) {
    super();
    this.C = options.C ?? 1;
    if (!(this.C > 0)) throw new ParameterError(`LinearSVC: C=${this.C} must be > 0`);
  }

  fit(samples: Samples, y: readonly number[]): this {
    const X = rowsOf(samples);
    checkFit(X, y, 'LinearSVC.fit');
    const SVM = loadLibsvm();
    this.model?.free();
    const model = new SVM({ kernel: SVM.KERNEL_TYPES.LINEAR, type: SVM.SVM_TYPES.C_SVC, cost: this.C, quiet: true });
    model.train(plain(X), [...y]);
    this.model = model;
    this.D = X[0].length;
    return this;
  }

  predict(samples: Samples): Int32Array {
    const X = rowsOf(samples);
    const model = fitted(this.model, 'LinearSVC');
    checkX(X, 'LinearSVC.predict', this.D);
    const out = model.predict(plain(X));
    if (out.some((v) => !Number.isFinite(v))) throw new NumericalError('LinearSVC: libsvm returned a non-finite label; check the features for extreme values');
    return Int32Array.from(out);
  }

  /** Frees libsvm's heap copy of the model. */
  dispose(): void {
    this.model?.free();
    this.model = null;
  }
}
