/**
 * SequenceClassifier: a stacked (bi)LSTM over frame sequences, its last state(s) through dropout
 * and a dense layer to class logits; cross-entropy, Adam, L2, early stopping on validation loss.
 * PyTorch's `nn.LSTM(batch_first)` + `nn.Linear` + `CrossEntropyLoss` + `Adam(weight_decay)` is the
 * model of reference; the lab (MISSION step 14) trains it on 6 MFCCs of FSDD.
 *
 * The recurrence runs in the fused wasm kernels registered with tfjs as one custom op
 * (`impl: 'fused'`, fused.ts) or, as a reference, in per-step tfjs ops (`impl: 'tfjs-ops'`, ops.ts);
 * tfjs computes the dense layer, the loss, the rest of the gradient and the Adam step either way.
 *
 * @module
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import { ModelFormatError, NumericalError, ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../rng.ts';
import { createEngineSync, getEngine, type Engine } from '../engine.ts';
import { getTf, initNn, type Tf } from './backend.ts';
import { fillRows, layoutBatch, type Batching, type BatchLayout } from './batch.ts';
import { dropoutMask, fusedFeatures } from './fused.ts';
import { opsFeatures } from './ops.ts';
import { featureDim, initLstmParams, lstmParamShapes, type LstmSpec, type ParamShape, type Pooling } from './stack.ts';
import { decodeModel, encodeModel, readModelText, type SavedParam } from './format.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { nodeFs, nodePath } from '../io/node.ts';
import { emptySamples, summarizeTiming, type TimingSamples, type TrainingTiming } from './profile.ts';

export type RecurrentImpl = 'fused' | 'tfjs-ops';

export interface SequenceClassifierOptions {
  /** Features per frame: int ≥ 1. */
  inputDim: number;
  /** Classes: int ≥ 2 (default 10, the digits). */
  nClasses?: number;
  /** LSTM units per direction: int ≥ 1 (default 60). */
  hidden?: number;
  /** Stacked LSTM layers: int ≥ 1 (default 1). */
  layers?: number;
  /** Run a reverse direction too and concatenate (default false). */
  bidirectional?: boolean;
  /** 'last' (default, the lab's): each direction's final state; 'mean': top-layer outputs averaged over frames. */
  pooling?: Pooling;
  /** Dropout probability between LSTM layers and before the output layer, in [0, 1) (default 0). */
  dropout?: number;
  /**
   * L2 coefficient λ ≥ 0 (default 0): adds λ/2·Σθ² over every parameter to the loss, i.e. λ·θ to
   * the gradient — PyTorch's `Adam(weight_decay=λ)`. Reported losses exclude it.
   */
  l2?: number;
  /**
   * Standard deviation of Gaussian noise added to every input feature of every real frame while
   * training (augmentation; inputs are usually standardised), ≥ 0 (default 0).
   */
  inputNoise?: number;
  /** Adam learning rate (default 1e-3; β = 0.9, 0.999, ε = 1e-8 as PyTorch). */
  lr?: number;
  /** Sequences per training batch: int ≥ 1 (default 64). */
  batchSize?: number;
  /** 'packed' (default) or 'padded': same function, different work (batch.ts). */
  batching?: Batching;
  /** 'fused' (default): wasm kernels; 'tfjs-ops': per-step tfjs ops (reference, slow). */
  impl?: RecurrentImpl;
  /** Seed of initialisation, shuffling and dropout (default 0). */
  seed?: number;
}

type Config = Required<SequenceClassifierOptions>;

/** Sequences ([frames][inputDim] each) with integer labels in [0, nClasses). */
export interface LabeledSequences {
  x: readonly Matrix[];
  y: ArrayLike<number>;
}

export interface EpochInfo {
  /** 1-based. */
  epoch: number;
  /** Mean cross-entropy over the epoch's batches (training mode: with dropout). */
  trainLoss: number;
  /** Cross-entropy on the validation set (NaN without one). */
  valLoss: number;
  valAccuracy: number;
  /** True when this epoch's validation loss is the best so far. */
  improved: boolean;
  /** Training pass seconds. */
  seconds: number;
  /** tf.memory().numTensors after the epoch (the leak check). */
  numTensors: number;
}

export interface FitOptions {
  /** Maximum epochs: int ≥ 1 (default 100). */
  epochs?: number;
  /** Stop after this many epochs without a lower validation loss (default 10; 0 = never stop early). */
  patience?: number;
  /** Overrides the constructor's learning rate / batch size for this fit. */
  lr?: number;
  batchSize?: number;
  /**
   * Folder for checkpoints: `best.json` (the best model so far, loadable with `load`) and
   * `state.json` (everything needed to resume), both rewritten atomically after every epoch.
   */
  checkpoint?: string;
  /** Continue from `checkpoint`/state.json when it exists (it must come from the same configuration). */
  resume?: boolean;
  /** Called after every epoch (awaited). */
  onEpoch?: (info: EpochInfo) => void | Promise<void>;
  /** Keep every per-batch timing sample in the history (summaries are always kept). */
  profile?: boolean;
  /**
   * Reduce-on-plateau: multiply the learning rate by `factor` (0 < factor < 1) after `patience`
   * epochs without a lower validation loss, not below `minLr` (default 1e-5). Off by default.
   */
  lrDecay?: { factor: number; patience: number; minLr?: number };
}

export interface History {
  epochs: number;
  /** 1-based epoch whose weights the model holds after fit (best validation loss). */
  bestEpoch: number;
  bestValLoss: number;
  stoppedEarly: boolean;
  trainLoss: number[];
  valLoss: number[];
  valAccuracy: number[];
  numTensors: number[];
  /** Learning rate used in each epoch. */
  lr: number[];
  timing: TrainingTiming;
  samples?: TimingSamples;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  predictions: Int32Array;
}

const FORMAT = 'speechcore.SequenceClassifier';
const STATE_FORMAT = 'speechcore.SequenceClassifier.trainingState';
const VERSION = 1;
const EVAL_BATCH = 256;

let sharedEngine: Engine | null = null;
/**
 * The nn engine: in Node its own wasm instance, so training activations never grow the feature
 * engine's memory; elsewhere (browsers, workers) the default engine, which `await init()` loads.
 */
function nnEngine(): Engine {
  if (!sharedEngine) sharedEngine = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ? createEngineSync() : getEngine();
  return sharedEngine;
}

let instances = 0;

function checkInt(name: string, v: unknown, lo: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) throw new ParameterError(`${name}=${String(v)} must be an integer ≥ ${lo}`);
  return v;
}

function resolveConfig(o: SequenceClassifierOptions): Config {
  if (typeof o !== 'object' || o === null) throw new ParameterError('SequenceClassifier needs an options object with inputDim');
  const c: Config = {
    inputDim: checkInt('inputDim', o.inputDim, 1),
    nClasses: checkInt('nClasses', o.nClasses ?? 10, 2),
    hidden: checkInt('hidden', o.hidden ?? 60, 1),
    layers: checkInt('layers', o.layers ?? 1, 1),
    bidirectional: o.bidirectional ?? false,
    pooling: o.pooling ?? 'last',
    dropout: o.dropout ?? 0,
    l2: o.l2 ?? 0,
    inputNoise: o.inputNoise ?? 0,
    lr: o.lr ?? 1e-3,
    batchSize: checkInt('batchSize', o.batchSize ?? 64, 1),
    batching: o.batching ?? 'packed',
    impl: o.impl ?? 'fused',
    seed: o.seed ?? 0,
  };
  if (c.pooling !== 'last' && c.pooling !== 'mean') throw new ParameterError(`pooling='${String(c.pooling)}' must be 'last' or 'mean'`);
  if (typeof c.bidirectional !== 'boolean') throw new ParameterError(`bidirectional=${String(c.bidirectional)} must be a boolean`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new ParameterError(`dropout=${c.dropout} must be in [0, 1)`);
  if (!(c.l2 >= 0 && Number.isFinite(c.l2))) throw new ParameterError(`l2=${c.l2} must be a finite number ≥ 0`);
  if (!(c.inputNoise >= 0 && Number.isFinite(c.inputNoise))) throw new ParameterError(`inputNoise=${c.inputNoise} must be a finite number ≥ 0`);
  if (!(c.lr > 0 && Number.isFinite(c.lr))) throw new ParameterError(`lr=${c.lr} must be a finite number > 0`);
  if (c.batching !== 'packed' && c.batching !== 'padded') throw new ParameterError(`batching='${String(c.batching)}' must be 'packed' or 'padded'`);
  if (c.impl !== 'fused' && c.impl !== 'tfjs-ops') throw new ParameterError(`impl='${String(c.impl)}' must be 'fused' or 'tfjs-ops'`);
  if (c.impl === 'tfjs-ops' && c.dropout > 0 && c.layers > 1) throw new ParameterError("impl='tfjs-ops' has no dropout between layers; use impl='fused'");
  if (!Number.isFinite(c.seed)) throw new ParameterError(`seed=${c.seed} must be a finite number`);
  return c;
}

/** Checks a labelled set against the model; returns the lengths. */
function checkSet(set: LabeledSequences, c: Config, what: string): Int32Array {
  if (!set || !Array.isArray(set.x)) throw new ParameterError(`${what}.x must be an array of [frames][inputDim] matrices`);
  if (set.x.length === 0) throw new ParameterError(`${what} has no sequences`);
  if (!set.y || set.y.length !== set.x.length) throw new ParameterError(`${what}.y has ${set.y?.length ?? 'no'} labels for ${set.x.length} sequences`);
  for (let i = 0; i < set.y.length; i++) {
    const v = set.y[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= c.nClasses) throw new ParameterError(`${what}.y[${i}]=${v} is not a class in [0, ${c.nClasses})`);
  }
  return checkSequences(set.x, c.inputDim, `${what}.x`);
}

function checkSequences(x: readonly Matrix[], D: number, what: string): Int32Array {
  if (!Array.isArray(x)) throw new ParameterError(`${what} must be an array of [frames][inputDim] matrices`);
  const lengths = new Int32Array(x.length);
  x.forEach((m, i) => {
    if (!m || !(m.data instanceof Float32Array)) throw new ParameterError(`${what}[${i}] is not a matrix with Float32Array data`);
    if (m.cols !== D) throw new ParameterError(`${what}[${i}] has ${m.cols} features per frame; the model's inputDim is ${D}`);
    if (!Number.isInteger(m.rows) || m.rows < 1) throw new ParameterError(`${what}[${i}] is empty (${m.rows} frames); every sequence needs at least one frame`);
    if (m.data.length !== m.rows * m.cols) throw new ParameterError(`${what}[${i}] has ${m.data.length} values, not rows·cols = ${m.rows * m.cols}`);
    for (let k = 0; k < m.data.length; k++) {
      if (!Number.isFinite(m.data[k])) {
        throw new ParameterError(`${what}[${i}] frame ${Math.floor(k / D)} feature ${k % D} is ${m.data[k]}; features must be finite`);
      }
    }
    lengths[i] = m.rows;
  });
  return lengths;
}

/**
 * A (bi)LSTM sequence classifier.
 *
 * @example
 * const clf = new SequenceClassifier({ inputDim: 6, hidden: 60, bidirectional: true, dropout: 0.3 });
 * const history = await clf.fit({ x: trainX, y: trainY }, { x: valX, y: valY }, { epochs: 100, patience: 10 });
 * const { accuracy } = clf.evaluate({ x: testX, y: testY });
 */
export class SequenceClassifier {
  readonly config: Config;
  readonly spec: LstmSpec;
  /** Free-form JSON saved with the model (the CLI stores the feature settings and the scaler). */
  meta: Record<string, unknown> = {};
  private vars: tfTypes.Variable[] | null = null;
  private optimizer: tfTypes.Optimizer | null = null;
  private readonly prefix = `sc${++instances}`;
  private readonly engine: Engine;

  constructor(options: SequenceClassifierOptions, engine?: Engine) {
    this.config = resolveConfig(options);
    const { inputDim, hidden, layers, bidirectional, pooling } = this.config;
    this.spec = { inputDim, hidden, layers, bidirectional, pooling };
    this.engine = engine ?? nnEngine();
  }

  /** Parameter names and shapes: the LSTM's (stack.ts order), then out.W [H·dirs][C], out.b [C]. */
  paramShapes(): ParamShape[] {
    return [...lstmParamShapes(this.spec),
      { name: 'out.W', shape: [featureDim(this.spec), this.config.nClasses] }, { name: 'out.b', shape: [this.config.nClasses] }];
  }

  /** True once the weights exist (after fit or load). */
  get built(): boolean {
    return this.vars !== null;
  }

  /** Creates the weights (PyTorch's initialisation, from `seed`); needs `await initNn()` first. */
  private build(values?: readonly Float32Array[]): void {
    const tf = getTf();
    if (this.vars) return;
    const rng = new Rng(this.config.seed);
    const init = values ?? [...initLstmParams(this.spec, rng), ...this.initDense(rng)];
    this.vars = this.paramShapes().map((p, i) => tf.variable(tf.tensor(init[i]!, p.shape), true, `${this.prefix}/${p.name}`));
  }

  private initDense(rng: Rng): Float32Array[] {
    const F = featureDim(this.spec), C = this.config.nClasses, k = 1 / Math.sqrt(F);
    const u = () => (2 * rng.next() - 1) * k;
    return [Float32Array.from({ length: F * C }, u), Float32Array.from({ length: C }, u)];
  }

  private requireBuilt(): tfTypes.Variable[] {
    if (!this.vars) throw new ParameterError('SequenceClassifier is not trained: call fit() or load() first');
    return this.vars;
  }

  /** Current parameter values (copies), in paramShapes order. */
  getWeights(): Float32Array[] {
    return this.requireBuilt().map((v) => (v.dataSync() as Float32Array).slice());
  }

  /** Replaces the parameter values (same shapes as paramShapes). */
  setWeights(values: readonly Float32Array[]): void {
    const tf = getTf();
    const shapes = this.paramShapes();
    if (values.length !== shapes.length) throw new ParameterError(`setWeights: ${values.length} arrays for ${shapes.length} parameters`);
    shapes.forEach((s, i) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      if (values[i]!.length !== n) throw new ParameterError(`setWeights: ${s.name} needs ${n} values, got ${values[i]!.length}`);
    });
    if (!this.vars) { this.build(values); return; }
    this.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, shapes[i]!.shape))));
  }

  /** Logits [B][C] (tensor) of one laid-out batch; `dropout` only in training. */
  private logits(tf: Tf, layout: BatchLayout, x: Float32Array, rng: Rng | null): tfTypes.Tensor2D {
    const vars = this.requireBuilt();
    const nL = vars.length - 2;
    const p = rng ? this.config.dropout : 0;
    const lstmVars = vars.slice(0, nL);
    const feats = this.config.impl === 'fused'
      ? fusedFeatures(tf, this.engine, this.spec, layout, x, lstmVars, p > 0 ? { p, rng: rng! } : undefined)
      : opsFeatures(tf, this.spec, layout, x, lstmVars);
    const dropped = p > 0 ? tf.mul(feats, tf.tensor2d(dropoutMask(layout.B * featureDim(this.spec), { p, rng: rng! }), feats.shape)) : feats;
    return tf.add(tf.matMul(dropped, vars[nL]!), vars[nL + 1]!) as tfTypes.Tensor2D;
  }

  private prepare(seqs: readonly Matrix[], idx: ArrayLike<number>): { layout: BatchLayout; x: Float32Array } {
    const layout = layoutBatch(Array.from(idx, (i) => seqs[i]!.rows), this.config.batching);
    const x = new Float32Array(layout.N * this.config.inputDim);
    fillRows(layout, Array.from(idx, (i) => seqs[i]!), this.config.inputDim, x);
    return { layout, x };
  }

  /**
   * Class scores (logits) [n][nClasses] in input order. Sequences are batched by length for speed;
   * each row does not depend on the others.
   */
  decisionFunction(x: readonly Matrix[]): Float32Array {
    const tf = getTf();
    this.requireBuilt();
    checkSequences(x, this.config.inputDim, 'x');
    const C = this.config.nClasses;
    const out = new Float32Array(x.length * C);
    const byLength = Array.from(x.keys()).sort((a, b) => x[b]!.rows - x[a]!.rows || a - b);
    for (let s = 0; s < byLength.length; s += EVAL_BATCH) {
      const idx = byLength.slice(s, s + EVAL_BATCH);
      const { layout, x: rows } = this.prepare(x, idx);
      const values = this.engine.arena.scope(() => tf.tidy(() => this.logits(tf, layout, rows, null).dataSync() as Float32Array));
      for (let r = 0; r < layout.B; r++) out.set(values.subarray(r * C, (r + 1) * C), idx[layout.order[r]!]! * C);
    }
    return out;
  }

  /** Class probabilities [n][nClasses] (softmax of the logits), in input order. */
  predictProba(x: readonly Matrix[]): Float32Array {
    const z = this.decisionFunction(x), C = this.config.nClasses;
    for (let i = 0; i < x.length; i++) {
      const row = z.subarray(i * C, (i + 1) * C);
      const m = Math.max(...row);
      let s = 0;
      for (let c = 0; c < C; c++) s += (row[c] = Math.exp(row[c]! - m));
      for (let c = 0; c < C; c++) row[c]! /= s;
    }
    return z;
  }

  /** Most likely class of every sequence. */
  predict(x: readonly Matrix[]): Int32Array {
    return argmaxRows(this.decisionFunction(x), this.config.nClasses);
  }

  /** Mean cross-entropy, accuracy and predictions on a labelled set. */
  evaluate(set: LabeledSequences): Evaluation {
    checkSet(set, this.config, 'set');
    const C = this.config.nClasses;
    const z = this.decisionFunction(set.x);
    let loss = 0;
    for (let i = 0; i < set.x.length; i++) {
      const row = z.subarray(i * C, (i + 1) * C);
      const m = Math.max(...row);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(row[c]! - m);
      loss += m + Math.log(s) - row[set.y[i]!]!;
    }
    const predictions = argmaxRows(z, C);
    let ok = 0;
    for (let i = 0; i < predictions.length; i++) if (predictions[i] === set.y[i]) ok++;
    return { loss: loss / set.x.length, accuracy: ok / set.x.length, predictions };
  }

  /**
   * Trains with Adam on mini-batches reshuffled every epoch; after each epoch, evaluates `val` and
   * keeps the weights of the lowest validation loss, which the model holds when fit returns.
   * Stops after `patience` epochs without improvement. With `checkpoint`, the best model and the
   * training state are written atomically after every epoch; `resume` continues from them.
   */
  async fit(train: LabeledSequences, val: LabeledSequences | null, options: FitOptions = {}): Promise<History> {
    const tf = await initNn();
    const c = this.config;
    const epochs = checkInt('epochs', options.epochs ?? 100, 1);
    const patience = checkInt('patience', options.patience ?? 10, 0);
    const batchSize = checkInt('batchSize', options.batchSize ?? c.batchSize, 1);
    let lr = options.lr ?? c.lr;
    if (!(lr > 0 && Number.isFinite(lr))) throw new ParameterError(`lr=${lr} must be a finite number > 0`);
    const decay = options.lrDecay;
    if (decay) {
      if (!(decay.factor > 0 && decay.factor < 1)) throw new ParameterError(`lrDecay.factor=${decay.factor} must be in (0, 1)`);
      checkInt('lrDecay.patience', decay.patience, 1);
      if (decay.minLr !== undefined && !(decay.minLr > 0)) throw new ParameterError(`lrDecay.minLr=${decay.minLr} must be > 0`);
    }
    checkSet(train, c, 'train');
    if (val) checkSet(val, c, 'val');
    const ckpt = options.checkpoint ? prepareCheckpointDir(options.checkpoint) : null;

    this.build();
    if (!this.optimizer) this.optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
    const history: History = {
      epochs: 0, bestEpoch: 0, bestValLoss: Infinity, stoppedEarly: false, trainLoss: [], valLoss: [], valAccuracy: [],
      numTensors: [], lr: [], timing: summarizeTiming(emptySamples()),
    };
    const samples = emptySamples();
    let best: Float32Array[] | null = null;
    let bad = 0, lrBad = 0;
    let start = 1;
    if (ckpt && options.resume && nodeFs().existsSync(nodePath().join(ckpt, 'state.json'))) {
      const st = await this.restoreState(nodePath().join(ckpt, 'state.json'));
      Object.assign(history, st.history);
      best = st.best;
      bad = st.bad;
      lrBad = st.lrBad;
      lr = st.lr ?? lr;
      history.lr ??= [];
      start = history.epochs + 1;
    }

    const n = train.x.length;
    for (let epoch = start; epoch <= epochs && !(patience > 0 && val && bad >= patience); epoch++) {
      (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
      history.lr.push(lr);
      const rng = new Rng(c.seed * 1000003 + epoch);
      const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const t0 = performance.now();
      let lossSum = 0;
      for (let s = 0; s < n; s += batchSize) {
        const idx = perm.slice(s, s + batchSize);
        lossSum += this.trainBatch(tf, train, idx, rng, samples) * idx.length;
      }
      const seconds = (performance.now() - t0) / 1000;
      samples.epochSeconds.push(seconds);
      const trainLoss = lossSum / n;
      if (!Number.isFinite(trainLoss)) {
        throw new NumericalError(`training loss became ${trainLoss} at epoch ${epoch}; lower lr (${lr}) or standardise the features`);
      }
      const ev = val ? this.evaluate(val) : { loss: NaN, accuracy: NaN };
      const improved = val ? ev.loss < history.bestValLoss : true;
      if (improved) {
        history.bestValLoss = val ? ev.loss : NaN;
        history.bestEpoch = epoch;
        best = this.getWeights();
        bad = 0;
        lrBad = 0;
      } else {
        bad++;
        if (decay && ++lrBad >= decay.patience) {
          lr = Math.max(lr * decay.factor, decay.minLr ?? 1e-5);
          lrBad = 0;
        }
      }
      history.epochs = epoch;
      history.trainLoss.push(trainLoss);
      history.valLoss.push(ev.loss);
      history.valAccuracy.push(ev.accuracy);
      const numTensors = tf.memory().numTensors;
      history.numTensors.push(numTensors);
      history.timing = summarizeTiming(samples);
      if (ckpt) {
        if (improved) writeFileAtomic(nodePath().join(ckpt, 'best.json'), this.toJSONWith(best!));
        await this.writeState(nodePath().join(ckpt, 'state.json'), history, best, { bad, lrBad, lr });
      }
      await options.onEpoch?.({ epoch, trainLoss, valLoss: ev.loss, valAccuracy: ev.accuracy, improved, seconds, numTensors });
    }
    history.stoppedEarly = history.epochs < epochs;
    if (best) this.setWeights(best);
    if (options.profile) history.samples = samples;
    return history;
  }

  /** One Adam step on the batch `idx`; returns its mean cross-entropy (without the L2 term). */
  private trainBatch(tf: Tf, train: LabeledSequences, idx: number[], rng: Rng, samples: TimingSamples): number {
    const c = this.config, vars = this.vars!;
    const t0 = performance.now();
    const { layout, x } = this.prepare(train.x, idx);
    if (c.inputNoise > 0) {
      const D = c.inputDim;
      for (let r = 0; r < layout.B; r++) {
        for (let t = 0; t < layout.lengths[r]!; t++) {
          const o = (layout.rowStart[t]! + r) * D;
          for (let k = 0; k < D; k++) x[o + k]! += c.inputNoise * rng.normal();
        }
      }
    }
    const labels = Int32Array.from(layout.order, (r) => train.y[idx[r]!]!);
    const t1 = performance.now();
    let tForward = 0, tBackward = 0, tStep = 0, ce = NaN;
    this.engine.arena.scope(() => {
      const yHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), c.nClasses));
      let ceT: tfTypes.Tensor | null = null;
      const tA = performance.now();
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.logits(tf, layout, x, rng);
        const loss = tf.losses.softmaxCrossEntropy(yHot, logits) as tfTypes.Scalar;
        ceT = tf.keep(loss.clone());
        const total = c.l2 > 0 ? tf.add(loss, tf.mul(c.l2 / 2, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tfTypes.Scalar : loss;
        tForward = performance.now();
        return total;
      }, vars);
      tBackward = performance.now();
      this.optimizer!.applyGradients(grads);
      tStep = performance.now();
      ce = (ceT as unknown as tfTypes.Tensor).dataSync()[0]!;
      tf.dispose([value, yHot, ceT!, ...Object.values(grads)]);
      samples.forwardMs.push(tForward - tA);
      samples.backwardMs.push(tBackward - tForward);
      samples.stepMs.push(tStep - tBackward);
    });
    samples.prepMs.push(t1 - t0);
    return ce;
  }

  /** The model as a JSON document (format.ts). */
  toJSON(): string {
    return this.toJSONWith(this.getWeights());
  }

  private toJSONWith(values: readonly Float32Array[]): string {
    const params: SavedParam[] = this.paramShapes().map((p, i) => ({ name: p.name, shape: p.shape, data: values[i]! }));
    return encodeModel({ format: FORMAT, version: VERSION, config: this.config, meta: this.meta, params });
  }

  /** Writes the model to `path` atomically. */
  save(path: string): void {
    writeFileAtomic(path, this.toJSON());
  }

  /**
   * Rebuilds a model from toJSON's document; `source` names it in errors. `engine`: the speechcore
   * engine whose kernels run the recurrence (default: a dedicated one in Node, the default engine
   * elsewhere).
   */
  static async fromJSON(text: string, source = 'model', engine?: Engine): Promise<SequenceClassifier> {
    await initNn();
    let clf: SequenceClassifier | null = null;
    const doc = decodeModel<Config>(text, source, FORMAT, VERSION, (config, fail) => {
      try {
        clf = new SequenceClassifier(config as SequenceClassifierOptions, engine);
      } catch (e) {
        return fail(`bad configuration: ${(e as Error).message}`);
      }
      return clf.paramShapes();
    });
    const model = clf as unknown as SequenceClassifier;
    model.meta = doc.meta ?? {};
    model.build(doc.params.map((p) => p.data));
    return model;
  }

  /** Reads a model written by save() (or a checkpoint's best.json). */
  static async load(path: string, engine?: Engine): Promise<SequenceClassifier> {
    return SequenceClassifier.fromJSON(readModelText(path), path, engine);
  }

  /** Frees the weights and the optimiser state (tfjs tensors). */
  dispose(): void {
    this.vars?.forEach((v) => v.dispose());
    this.vars = null;
    this.optimizer?.dispose();
    this.optimizer = null;
  }

  private async writeState(path: string, history: History, best: Float32Array[] | null, counters: { bad: number; lrBad: number; lr: number }): Promise<void> {
    const tf = getTf();
    const opt = await this.optimizer!.getWeights();
    const current = this.getWeights();
    const params: SavedParam[] = [
      ...this.paramShapes().map((p, i) => ({ name: p.name, shape: p.shape, data: current[i]! })),
      ...this.paramShapes().map((p, i) => ({ name: `best/${p.name}`, shape: p.shape, data: best ? best[i]! : new Float32Array(p.shape.reduce((a, b) => a * b, 1)) })),
      ...opt.map((w, i) => ({ name: `adam/${i}`, shape: w.tensor.shape.length ? w.tensor.shape : [1], data: (w.tensor.dataSync() as Float32Array).slice() })),
    ];
    const { samples: _unused, ...h } = history;
    void _unused;
    tf.dispose(opt.filter((w) => w.name === 'iter').map((w) => w.tensor));
    writeFileAtomic(path, encodeModel({ format: STATE_FORMAT, version: VERSION, config: { model: this.config, adam: opt.length, hasBest: best !== null }, meta: { history: h, ...counters }, params }));
  }

  private async restoreState(path: string): Promise<{ history: Omit<History, 'samples'>; best: Float32Array[] | null; bad: number; lrBad: number; lr?: number }> {
    const tf = getTf();
    const shapes = this.paramShapes();
    const me = JSON.stringify(this.config);
    let adamCount = 0;
    const doc = decodeModel<{ model: Config; adam: number; hasBest: boolean }>(readModelText(path), path, STATE_FORMAT, VERSION, (config, fail) => {
      const cfg = config as { model?: Config; adam?: number } | null;
      if (!cfg || JSON.stringify(cfg.model) !== me) fail(`was written for a different model configuration (${JSON.stringify(cfg?.model)}); this one is ${me}`);
      adamCount = cfg!.adam ?? -1;
      if (!Number.isInteger(adamCount) || adamCount < 0) fail('bad optimiser state count');
      // Adam: 'iter' scalar, then the first and second moments of every parameter.
      const adamShapes = adamCount === 0 ? [] : [[1], ...shapes.map((s) => s.shape), ...shapes.map((s) => s.shape)];
      if (adamCount !== adamShapes.length) fail(`optimiser state has ${adamCount} tensors, expected ${adamShapes.length}`);
      return [...shapes, ...shapes.map((s) => ({ name: `best/${s.name}`, shape: s.shape })),
        ...adamShapes.map((shape, i) => ({ name: `adam/${i}`, shape }))];
    });
    const k = shapes.length;
    this.setWeights(doc.params.slice(0, k).map((p) => p.data));
    const best = doc.config.hasBest ? doc.params.slice(k, 2 * k).map((p) => p.data) : null;
    if (adamCount > 0) {
      const adam = doc.params.slice(2 * k);
      const named = adam.map((p, i) => ({ name: i === 0 ? 'iter' : `${this.prefix}/m${i}`, tensor: i === 0 ? tf.scalar(p.data[0]!) : tf.tensor(p.data, p.shape) }));
      await this.optimizer!.setWeights(named);
      tf.dispose(named.map((w) => w.tensor));
    }
    const meta = doc.meta as { history?: Omit<History, 'samples'>; bad?: number; lrBad?: number; lr?: number };
    if (!meta.history || !Array.isArray(meta.history.trainLoss)) throw new ModelFormatError(`${path}: no training history`);
    return { history: meta.history, best, bad: meta.bad ?? 0, lrBad: meta.lrBad ?? 0, lr: meta.lr };
  }
}

function argmaxRows(z: Float32Array, C: number): Int32Array {
  const n = z.length / C, out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < C; c++) if (z[i * C + c]! > z[i * C + b]!) b = c;
    out[i] = b;
  }
  return out;
}

/** Creates the folder if needed, proves it writable, and removes temporaries a crash left behind. */
export function prepareCheckpointDir(dir: string): string {
  try {
    nodeFs().mkdirSync(dir, { recursive: true });
    const probe = nodePath().join(dir, `.write-probe-${process.pid}`);
    writeFileAtomic(probe, '');
    nodeFs().unlinkSync(probe);
    for (const f of nodeFs().readdirSync(dir)) if (/\.json\.tmp-\d+$/.test(f)) nodeFs().unlinkSync(nodePath().join(dir, f));
  } catch (e) {
    throw new ParameterError(`checkpoint directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return dir;
}
