/**
 * HmmClassifier: one GmmHmm per label; an utterance goes to the label whose model gives it the
 * highest log-likelihood (Viterbi path or forward), as in the lab's recogniser (steps 10–12).
 * The estimator contract: inputs are Matrix sequences [T][D], `predict` returns Int32Array labels,
 * probabilities come back as a Matrix [n][labels].
 */
import { argmax } from '../argmax.ts';
import { logSoftmax } from '../softmax.ts';
import { ModelFormatError, ParameterError } from '../errors.ts';
import { getEngine, type Engine } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import { GmmHmm, prepareFrames, type GmmHmmOptions, type ScoreAlgorithm } from './model.ts';

export type { ScoreAlgorithm };

export class HmmClassifier {
  labels: number[] = [];
  models: GmmHmm[] = [];

  constructor(readonly options: GmmHmmOptions = {}) {}

  /** Trains one model per distinct label on that label's sequences (each [T][D]). */
  fit(X: readonly Matrix[], y: ArrayLike<number>): this {
    if (X.length !== y.length || X.length === 0) throw new ParameterError(`X (${X.length}) and y (${y.length}) must be non-empty and of equal length`);
    this.labels = [...new Set(Array.from(y))].sort((a, b) => a - b);
    this.models = this.labels.map((label) => {
      const mine = X.filter((_, i) => y[i] === label);
      return new GmmHmm({ ...this.options, name: `${this.options.name ?? 'model'} ${label}` }).fit(mine);
    });
    return this;
  }

  /** Log-likelihood of every sequence under every model: [n][labels], f64. */
  scores(X: readonly Matrix[], algorithm: ScoreAlgorithm = 'viterbi'): Float64Array[] {
    return this.scoresBy(X, [algorithm])[0];
  }

  /**
   * Scores under several algorithms at once ([algorithms][n][labels]): frames are copied into wasm
   * once and each model's emission densities are shared between the algorithms.
   */
  scoresBy(X: readonly Matrix[], algorithms: readonly ScoreAlgorithm[]): Float64Array[][] {
    if (this.models.length === 0) throw new ParameterError('HmmClassifier is not fitted: call fit() first');
    const engine = this.options.engine ?? getEngine();
    const perModel = engine.arena.scope(() => {
      const f = prepareFrames(engine, X, this.models[0].nFeatures);
      return this.models.map((m) => m.scorePrepared(f, algorithms));
    });
    return algorithms.map((_, a) => X.map((_, i) => Float64Array.from(perModel, (s) => s[a][i])));
  }

  /**
   * The best-scoring label of each sequence: Int32Array [n]. Ties go to the lower label, a NaN
   * score never wins (argmax.ts); with no finite score, the first label. The default scores the best
   * path (Viterbi, the lab's rule); predictProba defaults to the forward likelihood, the one that is
   * a probability, so pass the same `algorithm` to both when one must be the argmax of the other.
   */
  predict(X: readonly Matrix[], algorithm: ScoreAlgorithm = 'viterbi'): Int32Array {
    return Int32Array.from(this.scores(X, algorithm), (row) => this.labels[argmax(row)]);
  }

  /**
   * Log posterior over labels with a uniform prior: scores − logsumexp(scores), as a Matrix
   * [n][labels] (columns in `labels` order). A sequence no model can produce gets −log(labels).
   */
  predictLogProba(X: readonly Matrix[], algorithm: ScoreAlgorithm = 'forward'): Matrix {
    const rows = this.scores(X, algorithm), C = this.labels.length;
    const data = new Float32Array(rows.length * C);
    rows.forEach((row, i) => data.set(logSoftmax(row), i * C));
    return { data, rows: rows.length, cols: C };
  }

  /**
   * Posterior over labels with a uniform prior: the softmax of each sequence's per-label
   * log-likelihoods (forward by default), a Matrix [n][labels] whose rows sum to 1.
   */
  predictProba(X: readonly Matrix[], algorithm: ScoreAlgorithm = 'forward'): Matrix {
    const rows = this.scores(X, algorithm), C = this.labels.length;
    const data = new Float32Array(rows.length * C);
    rows.forEach((row, i) => data.set(logSoftmax(row).map(Math.exp), i * C));
    return { data, rows: rows.length, cols: C };
  }

  /** The fitted classifier as a plain object (labels and each GmmHmm's toJSON); HmmClassifier.fromJSON takes it back. */
  toJSON(): HmmClassifierJSON {
    if (this.models.length === 0) throw new ParameterError('HmmClassifier is not fitted: call fit() first');
    return { format: 'speechcore.HmmClassifier', version: 1, labels: this.labels.slice(), models: this.models.map((m) => m.toJSON()) };
  }

  /** Rebuilds a fitted classifier from toJSON's object; each model is checked as GmmHmm.fromJSON checks it. */
  static fromJSON(json: unknown, engine?: Engine): HmmClassifier {
    const bad = (why: string) => new ModelFormatError(`HmmClassifier: ${why}`);
    const j = json as Partial<HmmClassifierJSON> | null;
    if (!j || typeof j !== 'object' || j.format !== 'speechcore.HmmClassifier') throw bad('not an HmmClassifier document (format)');
    if (j.version !== 1) throw bad(`version ${String(j.version)} is not supported (1)`);
    if (!Array.isArray(j.labels) || !Array.isArray(j.models) || j.labels.length !== j.models.length || j.labels.length === 0) {
      throw bad('labels and models must be non-empty lists of the same length');
    }
    if (!j.labels.every(Number.isInteger)) throw bad('labels must be integers');
    const clf = new HmmClassifier({ engine });
    clf.labels = j.labels.slice();
    clf.models = j.models.map((m) => GmmHmm.fromJSON(m, engine));
    return clf;
  }
}

export interface HmmClassifierJSON {
  format: 'speechcore.HmmClassifier';
  version: 1;
  labels: number[];
  /** GmmHmm.toJSON() per label, in `labels` order. */
  models: object[];
}
