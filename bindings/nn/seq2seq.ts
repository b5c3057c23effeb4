/**
 * The lab's warm-up regressor (MISSION step 8): a recurrent network reads 10 samples of a sine and
 * predicts the 10 samples of the cosine of the same phase. RNN (tanh), LSTM and GRU cells in PyTorch's
 * formulation, written with tfjs ops (10 steps, small batches: op dispatch is not the bottleneck
 * here), MSE loss, Adam, early stopping on validation MSE with the best weights restored.
 *
 * Model: the cell runs over the whole sine sequence; a linear layer maps its last hidden state to
 * the 10 cosine values. (A per-step readout cannot work at step 0: sin φ alone does not give the
 * sign of cos φ.)
 *
 * @module
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import { ParameterError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { ensureGradients, initNn, type Tf } from './backend.ts';

export type CellKind = 'rnn' | 'lstm' | 'gru';

export interface SineCosineOptions {
  /** Pairs (default 500). */
  n?: number;
  /** Points per sequence (default 10). */
  points?: number;
  /** Frequency, Hz (default 40). */
  freq?: number;
  /** Sampling step, s (default 1e-3: 10 points span 9 ms of the 25 ms period). */
  step?: number;
  seed?: number;
}

/** n pairs: x[i] = sin(2πf(t0 + k·step)), y[i] = cos(...) for k < points, t0 uniform over one period. */
export function sineCosinePairs(o: SineCosineOptions = {}): { x: Float32Array[]; y: Float32Array[] } {
  const n = o.n ?? 500, points = o.points ?? 10, f = o.freq ?? 40, step = o.step ?? 1e-3;
  const rng = new Rng(o.seed ?? 0);
  const x: Float32Array[] = [], y: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = rng.next() / f;
    x.push(Float32Array.from({ length: points }, (_, k) => Math.sin(2 * Math.PI * f * (t0 + k * step))));
    y.push(Float32Array.from({ length: points }, (_, k) => Math.cos(2 * Math.PI * f * (t0 + k * step))));
  }
  return { x, y };
}

export interface RegressorOptions {
  cell: CellKind;
  /** Hidden units (default 32). */
  hidden?: number;
  /** Adam learning rate (default 3e-3). */
  lr?: number;
  batchSize?: number;
  seed?: number;
}

export interface RegressorFit {
  epochs: number;
  bestEpoch: number;
  bestValMse: number;
  trainMse: number[];
  valMse: number[];
}

/** Gates per cell: PyTorch's weight layouts, gates side by side in one matrix. */
const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

export class SequenceRegressor {
  readonly cell: CellKind;
  readonly hidden: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly seed: number;
  private vars: tfTypes.Variable[] = [];
  private tf: Tf | null = null;

  constructor(o: RegressorOptions) {
    if (o.cell !== 'rnn' && o.cell !== 'lstm' && o.cell !== 'gru') throw new ParameterError(`cell='${String(o.cell)}' must be rnn, lstm or gru`);
    this.cell = o.cell;
    this.hidden = o.hidden ?? 32;
    this.lr = o.lr ?? 3e-3;
    this.batchSize = o.batchSize ?? 64;
    this.seed = o.seed ?? 0;
    if (!Number.isInteger(this.hidden) || this.hidden < 1) throw new ParameterError(`hidden=${this.hidden} must be an integer ≥ 1`);
    if (!(this.lr > 0)) throw new ParameterError(`lr=${this.lr} must be > 0`);
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ParameterError(`batchSize=${this.batchSize} must be an integer ≥ 1`);
  }

  private build(tf: Tf, points: number): void {
    if (this.vars.length) return;
    const H = this.hidden, G = GATES[this.cell] * H, rng = new Rng(this.seed);
    const u = (n: number, k: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * k);
    const k = 1 / Math.sqrt(H);
    // x·W [1][G], h·U [H][G], input and recurrent biases (GRU needs them apart), readout [H][points].
    const values: [Float32Array, number[]][] = [
      [u(G, k), [1, G]], [u(H * G, k), [H, G]], [u(G, k), [G]], [u(G, k), [G]], [u(H * points, k), [H, points]], [u(points, k), [points]],
    ];
    this.vars = values.map(([v, shape]) => tf.variable(tf.tensor(v, shape)));
  }

  private forward(tf: Tf, x: tfTypes.Tensor2D): tfTypes.Tensor2D {
    const [W, U, bx, bh, Wo, bo] = this.vars as unknown as [tfTypes.Tensor2D, tfTypes.Tensor2D, tfTypes.Tensor1D, tfTypes.Tensor1D, tfTypes.Tensor2D, tfTypes.Tensor1D];
    const [B, T] = x.shape;
    const H = this.hidden;
    let h = tf.zeros([B, H]) as tfTypes.Tensor2D, c = h;
    const steps = tf.split(x, T, 1) as tfTypes.Tensor2D[];
    for (const xt of steps) {
      const zx = tf.add(tf.matMul(xt, W), bx);
      const zh = tf.add(tf.matMul(h, U), bh);
      if (this.cell === 'rnn') {
        h = tf.tanh(tf.add(zx, zh)) as tfTypes.Tensor2D;
      } else if (this.cell === 'lstm') {
        const [i, f, g, o] = tf.split(tf.add(zx, zh), 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tfTypes.Tensor2D;
        h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tfTypes.Tensor2D;
      } else {
        const [xr, xz, xn] = tf.split(zx, 3, 1);
        const [hr, hz, hn] = tf.split(zh, 3, 1);
        const r = tf.sigmoid(tf.add(xr!, hr!)), z = tf.sigmoid(tf.add(xz!, hz!));
        const nn = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
        h = tf.add(tf.mul(tf.sub(1, z), nn), tf.mul(z, h)) as tfTypes.Tensor2D;
      }
    }
    return tf.add(tf.matMul(h, Wo), bo) as tfTypes.Tensor2D;
  }

  /** Mean squared error per cell of predictions for x against y. */
  mse(x: readonly Float32Array[], y: readonly Float32Array[]): number {
    const tf = this.requireTf();
    const P = x[0]!.length;
    return tf.tidy(() => tf.losses.meanSquaredError(tf.tensor2d(concat(y), [y.length, P]), this.forward(tf, tf.tensor2d(concat(x), [x.length, P]))).dataSync()[0]!);
  }

  /** Predicted cosines, one Float32Array per input sequence. */
  predict(x: readonly Float32Array[]): Float32Array[] {
    const tf = this.requireTf();
    const P = x[0]!.length;
    const out = tf.tidy(() => this.forward(tf, tf.tensor2d(concat(x), [x.length, P])).dataSync() as Float32Array);
    return x.map((_, i) => out.slice(i * P, (i + 1) * P));
  }

  private requireTf(): Tf {
    if (!this.tf || !this.vars.length) throw new ParameterError('SequenceRegressor is not trained: call fit() first');
    return this.tf;
  }

  /** Adam on shuffled mini-batches; early stopping on validation MSE, best weights restored. */
  async fit(train: { x: Float32Array[]; y: Float32Array[] }, val: { x: Float32Array[]; y: Float32Array[] },
            o: { epochs?: number; patience?: number; onEpoch?: (epoch: number, trainMse: number, valMse: number) => void } = {}): Promise<RegressorFit> {
    const tf = (this.tf = await initNn());
    await ensureGradients();
    const P = train.x[0]?.length ?? 0;
    if (P < 1 || train.x.length !== train.y.length || val.x.length !== val.y.length || val.x.length === 0) {
      throw new ParameterError('train and val need as many targets as inputs, and at least one pair each');
    }
    for (const s of [...train.x, ...train.y, ...val.x, ...val.y]) {
      if (s.length !== P || s.some((v) => !Number.isFinite(v))) throw new ParameterError(`every sequence must hold ${P} finite values`);
    }
    this.build(tf, P);
    const epochs = o.epochs ?? 2000, patience = o.patience ?? 100;
    const opt = tf.train.adam(this.lr, 0.9, 0.999, 1e-8);
    const fit: RegressorFit = { epochs: 0, bestEpoch: 0, bestValMse: Infinity, trainMse: [], valMse: [] };
    let best: Float32Array[] = [];
    const n = train.x.length;
    for (let epoch = 1; epoch <= epochs && epoch - fit.bestEpoch <= patience; epoch++) {
      const perm = new Rng(this.seed * 1000003 + epoch).shuffle(Array.from({ length: n }, (_, i) => i));
      let sum = 0;
      for (let s = 0; s < n; s += this.batchSize) {
        const idx = perm.slice(s, s + this.batchSize);
        const xb = tf.tensor2d(concat(idx.map((i) => train.x[i]!)), [idx.length, P]);
        const yb = tf.tensor2d(concat(idx.map((i) => train.y[i]!)), [idx.length, P]);
        const loss = opt.minimize(() => tf.losses.meanSquaredError(yb, this.forward(tf, xb)) as tfTypes.Scalar, true, this.vars);
        sum += loss!.dataSync()[0]! * idx.length;
        tf.dispose([xb, yb, loss!]);
      }
      const trainMse = sum / n, valMse = this.mse(val.x, val.y);
      fit.trainMse.push(trainMse);
      fit.valMse.push(valMse);
      fit.epochs = epoch;
      if (valMse < fit.bestValMse) {
        fit.bestValMse = valMse;
        fit.bestEpoch = epoch;
        best = this.vars.map((v) => (v.dataSync() as Float32Array).slice());
      }
      o.onEpoch?.(epoch, trainMse, valMse);
    }
    this.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(best[i]!, v.shape))));
    opt.dispose();
    return fit;
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
    this.vars = [];
  }
}

function concat(rows: readonly Float32Array[]): Float32Array {
  const P = rows[0]?.length ?? 0, out = new Float32Array(rows.length * P);
  rows.forEach((r, i) => out.set(r, i * P));
  return out;
}

/** The lab's split: 30 % test, then 8 % of the rest validation, seeded shuffle. */
export function splitPairs<T>(items: readonly T[], seed: number): { train: T[]; val: T[]; test: T[] } {
  const idx = new Rng(seed).shuffle(items.map((_, i) => i));
  const nTest = Math.round(0.3 * items.length);
  const rest = idx.slice(nTest);
  const nVal = Math.round(0.08 * rest.length);
  const pick = (ix: number[]) => ix.map((i) => items[i]!);
  return { test: pick(idx.slice(0, nTest)), val: pick(rest.slice(0, nVal)), train: pick(rest.slice(nVal)) };
}
