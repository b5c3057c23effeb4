/**
 * The sequence models' files (Node): writing and reading a model document (format.ts encodes and
 * checks it), the training state that lets `fit` resume (current and best weights, Adam's moments,
 * the history and the early-stopping counters), and preparing a checkpoint folder.
 *
 * Files are written atomically (temporary file in the same folder, fsync, rename), so a crash
 * leaves either the previous file or the new one, never half of one. Node built-ins are reached
 * only when a file is touched (io/node.ts), so the page bundle can still import the model.
 *
 * @module
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import { ModelFormatError, ParameterError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { nodeFs, nodePath } from '../io/node.ts';
import { getTf } from './backend.ts';
import { decodeModel, encodeModel, parseModelText, type SavedParam } from './format.ts';
import type { Config, History } from './options.ts';
import type { ParamShape } from './stack.ts';

const STATE_FORMAT = 'speechcore.SequenceClassifier.trainingState';
const STATE_VERSION = 1;

/** What the state file needs of a model: its configuration and weights (SequenceClassifier). */
export interface WeightedModel {
  readonly config: Config;
  paramShapes(): ParamShape[];
  getWeights(): Float32Array[];
  setWeights(values: readonly Float32Array[]): void;
}

/** The early-stopping and learning-rate counters saved with the state. */
export interface StateCounters {
  bad: number;
  lrBad: number;
  lr: number;
}

/** Writes a model document (an object, e.g. toJSON's) to `path` atomically, as one JSON line. */
export function writeModelFile(path: string, doc: object): void {
  writeFileAtomic(path, JSON.stringify(doc) + '\n');
}

/** Reads a text file, turning a missing or unreadable file into a ModelFormatError naming it. */
export function readModelText(path: string): string {
  try {
    return nodeFs().readFileSync(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Reads and parses a model file: the document object fromJSON takes (ModelFormatError naming the file). */
export function readModelFile(path: string): unknown {
  return parseModelText(readModelText(path), path);
}

/** The files of a checkpoint folder: `best.json` (a model) and `state.json` (what resuming needs). */
export function checkpointFiles(dir: string): { best: string; state: string } {
  return { best: nodePath().join(dir, 'best.json'), state: nodePath().join(dir, 'state.json') };
}

/** True when the folder holds a training state to resume from. */
export function hasState(dir: string): boolean {
  return nodeFs().existsSync(checkpointFiles(dir).state);
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

/** Writes the training state: current weights, best weights, Adam's state, the history and counters. */
export async function writeState(path: string, model: WeightedModel, optimizer: tfTypes.Optimizer, history: History,
  best: Float32Array[] | null, counters: StateCounters): Promise<void> {
  const tf = getTf();
  const opt = await optimizer.getWeights();
  const current = model.getWeights();
  const shapes = model.paramShapes();
  const params: SavedParam[] = [
    ...shapes.map((p, i) => ({ name: p.name, shape: p.shape, data: current[i]! })),
    ...shapes.map((p, i) => ({ name: `best/${p.name}`, shape: p.shape, data: best ? best[i]! : new Float32Array(p.shape.reduce((a, b) => a * b, 1)) })),
    ...opt.map((w, i) => ({ name: `adam/${i}`, shape: w.tensor.shape.length ? w.tensor.shape : [1], data: (w.tensor.dataSync() as Float32Array).slice() })),
  ];
  const { samples: _unused, ...h } = history;
  void _unused;
  tf.dispose(opt.filter((w) => w.name === 'iter').map((w) => w.tensor));
  writeModelFile(path, encodeModel({ format: STATE_FORMAT, version: STATE_VERSION, config: { model: model.config, adam: opt.length, hasBest: best !== null }, meta: { history: h, ...counters }, params }));
}

/**
 * Restores a training state written by writeState into `model` and `optimizer` (whose moment
 * variables are named under `prefix`); returns the history, best weights and counters.
 * @throws ModelFormatError when the file is corrupt or was written for another configuration.
 */
export async function restoreState(path: string, model: WeightedModel, optimizer: tfTypes.Optimizer, prefix: string):
  Promise<{ history: Omit<History, 'samples'>; best: Float32Array[] | null; bad: number; lrBad: number; lr?: number }> {
  const tf = getTf();
  const shapes = model.paramShapes();
  const me = JSON.stringify(model.config);
  let adamCount = 0;
  const doc = decodeModel<{ model: Config; adam: number; hasBest: boolean }>(readModelFile(path), path, STATE_FORMAT, STATE_VERSION, (config, fail) => {
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
  model.setWeights(doc.params.slice(0, k).map((p) => p.data));
  const best = doc.config.hasBest ? doc.params.slice(k, 2 * k).map((p) => p.data) : null;
  if (adamCount > 0) {
    const adam = doc.params.slice(2 * k);
    const named = adam.map((p, i) => ({ name: i === 0 ? 'iter' : `${prefix}/m${i}`, tensor: i === 0 ? tf.scalar(p.data[0]!) : tf.tensor(p.data, p.shape) }));
    await optimizer.setWeights(named);
    tf.dispose(named.map((w) => w.tensor));
  }
  const meta = doc.meta as { history?: Omit<History, 'samples'>; bad?: number; lrBad?: number; lr?: number };
  if (!meta.history || !Array.isArray(meta.history.trainLoss)) throw new ModelFormatError(`${path}: no training history`);
  return { history: meta.history, best, bad: meta.bad ?? 0, lrBad: meta.lrBad ?? 0, lr: meta.lr };
}
