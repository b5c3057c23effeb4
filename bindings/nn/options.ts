/**
 * SequenceClassifier's options and their checks: the constructor options (resolved to a Config
 * with every default filled in), fit's options, the labelled sets and sequences the model takes,
 * and the records fit and evaluate return. Every check throws a ParameterError naming the option
 * (or the sequence, frame and feature) and its value.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { Batching } from './batch.ts';
import type { Pooling } from './stack.ts';
import type { TimingSamples, TrainingTiming } from './profile.ts';

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

/** The resolved options: every field set. */
export type Config = Required<SequenceClassifierOptions>;

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

/** An integer ≥ lo, else a ParameterError naming it. */
export function checkInt(name: string, v: unknown, lo: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) throw new ParameterError(`${name}=${String(v)} must be an integer ≥ ${lo}`);
  return v;
}

/** Checks the options and fills in the defaults. */
export function resolveConfig(o: SequenceClassifierOptions): Config {
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
export function checkSet(set: LabeledSequences, c: Config, what: string): Int32Array {
  if (!set || !Array.isArray(set.x)) throw new ParameterError(`${what}.x must be an array of [frames][inputDim] matrices`);
  if (set.x.length === 0) throw new ParameterError(`${what} has no sequences`);
  if (!set.y || set.y.length !== set.x.length) throw new ParameterError(`${what}.y has ${set.y?.length ?? 'no'} labels for ${set.x.length} sequences`);
  for (let i = 0; i < set.y.length; i++) {
    const v = set.y[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= c.nClasses) throw new ParameterError(`${what}.y[${i}]=${v} is not a class in [0, ${c.nClasses})`);
  }
  return checkSequences(set.x, c.inputDim, `${what}.x`);
}

/** Checks sequences are Matrix [frames ≥ 1][D] with finite values; returns the lengths. */
export function checkSequences(x: readonly Matrix[], D: number, what: string): Int32Array {
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

/** fit's options resolved against the model's configuration. */
export interface ResolvedFit {
  epochs: number;
  patience: number;
  batchSize: number;
  lr: number;
  decay: FitOptions['lrDecay'];
}

/** Checks fit's options (epochs, patience, batch size, learning rate and its decay). */
export function resolveFitOptions(options: FitOptions, c: Config): ResolvedFit {
  const epochs = checkInt('epochs', options.epochs ?? 100, 1);
  const patience = checkInt('patience', options.patience ?? 10, 0);
  const batchSize = checkInt('batchSize', options.batchSize ?? c.batchSize, 1);
  const lr = options.lr ?? c.lr;
  if (!(lr > 0 && Number.isFinite(lr))) throw new ParameterError(`lr=${lr} must be a finite number > 0`);
  const decay = options.lrDecay;
  if (decay) {
    if (!(decay.factor > 0 && decay.factor < 1)) throw new ParameterError(`lrDecay.factor=${decay.factor} must be in (0, 1)`);
    checkInt('lrDecay.patience', decay.patience, 1);
    if (decay.minLr !== undefined && !(decay.minLr > 0)) throw new ParameterError(`lrDecay.minLr=${decay.minLr} must be > 0`);
  }
  return { epochs, patience, batchSize, lr, decay };
}
