/**
 * HmmClassifier: one GmmHmm per label; an utterance goes to the label whose model gives it the
 * highest log-likelihood (Viterbi path or forward), as in the lab's recogniser (steps 10–12).
 */
import { ParameterError } from '../errors.ts';
import { getEngine } from '../engine.ts';
import { GmmHmm, prepareFrames, type GmmHmmOptions, type ScoreAlgorithm, type Sequence } from './model.ts';

export type { ScoreAlgorithm };

export class HmmClassifier {
  labels: number[] = [];
  models: GmmHmm[] = [];

  constructor(readonly options: GmmHmmOptions = {}) {}

  /** Trains one model per distinct label on that label's sequences. */
  fit(X: readonly Sequence[], y: ArrayLike<number>): this {
    if (X.length !== y.length || X.length === 0) throw new ParameterError(`X (${X.length}) and y (${y.length}) must be non-empty and of equal length`);
    this.labels = [...new Set(Array.from(y))].sort((a, b) => a - b);
    this.models = this.labels.map((label) => {
      const mine = X.filter((_, i) => y[i] === label);
      return new GmmHmm({ ...this.options, name: `${this.options.name ?? 'model'} ${label}` }).fit(mine);
    });
    return this;
  }

  /** Log-likelihood of every sequence under every model: [n][labels]. */
  scores(X: readonly Sequence[], algorithm: ScoreAlgorithm = 'viterbi'): Float64Array[] {
    return this.scoresBy(X, [algorithm])[0];
  }

  /**
   * Scores under several algorithms at once ([algorithms][n][labels]): frames are copied into wasm
   * once and each model's emission densities are shared between the algorithms.
   */
  scoresBy(X: readonly Sequence[], algorithms: readonly ScoreAlgorithm[]): Float64Array[][] {
    if (this.models.length === 0) throw new ParameterError('HmmClassifier is not fitted: call fit() first');
    const engine = this.options.engine ?? getEngine();
    const perModel = engine.arena.scope(() => {
      const f = prepareFrames(engine, X, this.models[0].nFeatures);
      return this.models.map((m) => m.scorePrepared(f, algorithms));
    });
    return algorithms.map((_, a) => X.map((_, i) => Float64Array.from(perModel, (s) => s[a][i])));
  }

  /** The best-scoring label of each sequence (ties: the lower label; no finite score: the first label). */
  predict(X: readonly Sequence[], algorithm: ScoreAlgorithm = 'viterbi'): number[] {
    return this.scores(X, algorithm).map((row) => {
      let best = 0;
      for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
      return this.labels[best];
    });
  }

  /** Log posterior over labels with a uniform prior: scores − logsumexp(scores); [n][labels]. */
  predictLogProba(X: readonly Sequence[], algorithm: ScoreAlgorithm = 'forward'): Float64Array[] {
    return this.scores(X, algorithm).map((row) => {
      const m = Math.max(...row);
      if (m === -Infinity) return row.map(() => -Math.log(row.length));
      let s = 0;
      for (const v of row) s += Math.exp(v - m);
      const lse = m + Math.log(s);
      return row.map((v) => v - lse);
    });
  }
}
