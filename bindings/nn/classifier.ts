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
 * This file is the model: weights, training loop, inference and its document (toJSON/fromJSON).
 * Options and their checks are options.ts; files (save/load, checkpoints, the resumable training
 * state) are checkpoint.ts; the document's encoding is format.ts.
 *
 * The estimator contract: inputs are Matrix sequences [frames][inputDim], `predict` returns an
 * Int32Array, scores and probabilities come back as a Matrix [n][nClasses], `toJSON()` an object.
 *
 * @module
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import { argmaxRows } from '../argmax.ts';
import { NumericalError, ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { Rng } from '../rng.ts';
import { createEngineSync, getEngine, type Engine } from '../engine.ts';
import { ensureGradients, getTf, initNn, type Tf } from './backend.ts';
import { fillRows, layoutBatch, type BatchLayout } from './batch.ts';
import { dropoutMask, fusedFeatures } from './fused.ts';
import { opsFeatures } from './ops.ts';
import { featureDim, initLstmParams, lstmParamShapes, type LstmSpec, type ParamShape } from './stack.ts';
import { decodeModel, encodeModel, type ModelDocument, type SavedParam } from './format.ts';
import { checkpointFiles, hasState, prepareCheckpointDir, readModelFile, restoreState, writeModelFile, writeState } from './checkpoint.ts';
import { checkSequences, checkSet, resolveConfig, resolveFitOptions, type Config, type Evaluation, type FitOptions, type History,
  type LabeledSequences, type SequenceClassifierOptions } from './options.ts';
import { emptySamples, summarizeTiming, type TimingSamples } from './profile.ts';

export type {
  Config, EpochInfo, Evaluation, FitOptions, History, LabeledSequences, RecurrentImpl, SequenceClassifierOptions,
} from './options.ts';

/** The model document's format name and version (format.ts encodes it). */
const FORMAT = 'speechcore.SequenceClassifier';
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
   * Class scores (logits), a Matrix [n][nClasses] in input order. Sequences are batched by length
   * for speed; each row does not depend on the others.
   */
  decisionFunction(x: readonly Matrix[]): Matrix {
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
    return { data: out, rows: x.length, cols: C };
  }

  /** Class probabilities (softmax of the logits), a Matrix [n][nClasses] in input order; rows sum to 1. */
  predictProba(x: readonly Matrix[]): Matrix {
    const z = this.decisionFunction(x), C = this.config.nClasses;
    for (let i = 0; i < x.length; i++) {
      const row = z.data.subarray(i * C, (i + 1) * C);
      const m = Math.max(...row);
      let s = 0;
      for (let c = 0; c < C; c++) s += (row[c] = Math.exp(row[c]! - m));
      for (let c = 0; c < C; c++) row[c]! /= s;
    }
    return z;
  }

  /** Most likely class of every sequence: Int32Array [n] (ties: the lower class; argmax.ts). */
  predict(x: readonly Matrix[]): Int32Array {
    return argmaxRows(this.decisionFunction(x));
  }

  /** Mean cross-entropy, accuracy and predictions on a labelled set. */
  evaluate(set: LabeledSequences): Evaluation {
    checkSet(set, this.config, 'set');
    const C = this.config.nClasses;
    const z = this.decisionFunction(set.x);
    let loss = 0;
    for (let i = 0; i < set.x.length; i++) {
      const row = z.data.subarray(i * C, (i + 1) * C);
      const m = Math.max(...row);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(row[c]! - m);
      loss += m + Math.log(s) - row[set.y[i]!]!;
    }
    const predictions = argmaxRows(z);
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
    await ensureGradients();
    const c = this.config;
    const fit = resolveFitOptions(options, c);
    const { epochs, patience, batchSize, decay } = fit;
    let lr = fit.lr;
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
    const files = ckpt ? checkpointFiles(ckpt) : null;
    if (ckpt && files && options.resume && hasState(ckpt)) {
      const st = await restoreState(files.state, this, this.optimizer!, this.prefix);
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
      if (files) {
        if (improved) writeModelFile(files.best, this.toJSONWith(best!));
        await writeState(files.state, this, this.optimizer!, history, best, { bad, lrBad, lr });
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

  /**
   * The model as a plain JSON document (an object, format.ts: configuration, `meta`, parameters in
   * base64 with a CRC-32); `JSON.stringify` it to store it, fromJSON reads it back.
   */
  toJSON(): ModelDocument<Config> {
    return this.toJSONWith(this.getWeights());
  }

  private toJSONWith(values: readonly Float32Array[]): ModelDocument<Config> {
    const params: SavedParam[] = this.paramShapes().map((p, i) => ({ name: p.name, shape: p.shape, data: values[i]! }));
    return encodeModel({ format: FORMAT, version: VERSION, config: this.config, meta: this.meta, params });
  }

  /** Writes the model to `path` atomically (checkpoint.ts). */
  save(path: string): void {
    writeModelFile(path, this.toJSON());
  }

  /**
   * Rebuilds a model from toJSON's document — the object, e.g. JSON.parse of a file's text (a file
   * is read by `load`; `parseModelText` turns fetched text into the object with a ModelFormatError
   * for bad JSON). `source` names it in errors. `engine`: the speechcore engine whose kernels run
   * the recurrence (default: a dedicated one in Node, the default engine elsewhere).
   * @throws ModelFormatError naming the source and the first problem.
   */
  static async fromJSON(json: unknown, source = 'model', engine?: Engine): Promise<SequenceClassifier> {
    await initNn();
    let clf: SequenceClassifier | null = null;
    const doc = decodeModel<Config>(json, source, FORMAT, VERSION, (config, fail) => {
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
    return SequenceClassifier.fromJSON(readModelFile(path), path, engine);
  }

  /** Frees the weights and the optimiser state (tfjs tensors). */
  dispose(): void {
    this.vars?.forEach((v) => v.dispose());
    this.vars = null;
    this.optimizer?.dispose();
    this.optimizer = null;
  }
}
