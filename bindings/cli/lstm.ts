/**
 * `speechcore lstm train|grid|eval`: the lab's LSTM digit recogniser (MISSION step 14) on 6 MFCCs
 * of FSDD with the lab's split.
 *
 *   train  one configuration: per-epoch losses on stderr, early stopping on validation loss,
 *          optional checkpoints (--checkpoint DIR, --resume) and a saved model (--save FILE); then
 *          validation and test accuracy, confusion matrices and per-batch timing to --json.
 *   grid   the lab's two grids: hidden {20,40,60} × layers {1,2,3} without regularisation, then
 *          dropout {0,.1,.2,.3} × L2 {0,1e-4,2e-4} on the best four; the best configuration on
 *          validation is tested once.
 *   eval   a saved model (its scaler and feature settings travel with it) on val or test.
 *
 * tfjs is loaded only by these commands (bindings/nn/backend.ts imports it lazily).
 */
import { resolveDataDir } from '../audio/dataset.ts';
import { StandardScaler } from '../scaler.ts';
import { confusionMatrix } from '../metrics.ts';
import { ModelFormatError } from '../errors.ts';
import { findSplit, LAB_FEATURES, labeledSequences, loadSplitFeatures } from '../pipeline/split-features.ts';
import { SequenceClassifier } from '../nn/classifier.ts';
import { prepareCheckpointDir } from '../nn/checkpoint.ts';
import type { History, LabeledSequences, SequenceClassifierOptions } from '../nn/options.ts';
import { formatTiming, type TrainingTiming } from '../nn/profile.ts';
import { initNn } from '../nn/backend.ts';
import { intFlag, num, parse, UsageError } from './args.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { progressBar } from './progress.ts';
import type { Command } from './kit.ts';

const SUBCOMMANDS = {
  train: {
    summary: 'an LSTM/BiLSTM digit classifier on the lab split (tfjs-wasm; needs the optional TensorFlow.js peers)',
    usage: `speechcore lstm train --data DIR [--split FILE] [--n-mfcc 6] [--bidirectional] [--hidden 60]
  [--layers 1] [--pooling last|mean] [--dropout 0.3] [--l2 1e-4] [--input-noise 0] [--batching packed|padded]
  [--batch-size 64] [--epochs 100]
  [--patience 10] [--lr 1e-3] [--lr-decay 0.5 --lr-patience 5] [--seed 0] [--impl fused|tfjs-ops]
  [--checkpoint DIR [--resume]] [--save FILE]
  [--profile] --json OUT`,
  },
  grid: {
    summary: 'a grid of LSTM sizes and regularisation, best on validation',
    usage: `speechcore lstm grid --data DIR [--split FILE] [--bidirectional] [--hiddens 20,40,60] [--layer-counts 1,2,3]
  [--dropouts 0,0.1,0.2,0.3] [--l2s 0,1e-4,2e-4] [--top 4] [--epochs 100] [--patience 10] ... --json OUT`,
  },
  eval: {
    summary: 'accuracy and confusion matrix of a saved LSTM checkpoint on val or test',
    usage: `speechcore lstm eval --model FILE --data DIR [--split FILE] [--subset val|test] [--json OUT]`,
  },
};

export const lstmCommand: Command = {
  summary: 'LSTM/BiLSTM digit classifiers on TensorFlow.js (optional peers): train, grid, eval',
  usage: Object.values(SUBCOMMANDS).map((s) => s.usage).join('\n  '),
  subcommands: SUBCOMMANDS,
  run: runLstm,
};

const DATA_FLAGS = {
  data: { type: 'string' }, split: { type: 'string' }, 'n-mfcc': { type: 'string' }, json: { type: 'string' },
} as const;
const MODEL_FLAGS = {
  bidirectional: { type: 'boolean' }, hidden: { type: 'string' }, layers: { type: 'string' }, dropout: { type: 'string' },
  l2: { type: 'string' }, batching: { type: 'string' }, 'batch-size': { type: 'string' }, epochs: { type: 'string' },
  patience: { type: 'string' }, lr: { type: 'string' }, seed: { type: 'string' }, impl: { type: 'string' },
  profile: { type: 'boolean' }, pooling: { type: 'string' }, 'input-noise': { type: 'string' }, 'lr-decay': { type: 'string' }, 'lr-patience': { type: 'string' },
} as const;

export interface LabData {
  train: LabeledSequences;
  val: LabeledSequences;
  test: LabeledSequences;
  files: { train: string[]; val: string[]; test: string[] };
  scaler: StandardScaler;
  nMfcc: number;
  /** Of the recordings (the split loader refuses mixed rates). */
  sampleRate: number;
  seconds: number;
}

/**
 * MFCCs of the lab split (split-features.ts), standardised with a scaler fitted on the training
 * frames only (or the given one, e.g. a saved model's), as labelled sequences.
 */
export async function loadLabData(data: string | undefined, split: string | undefined, nMfcc: number, scaler?: StandardScaler,
  sampleRate?: number): Promise<LabData> {
  const dir = resolveDataDir(data);
  if (!findSplit(dir, split)) throw new UsageError(`--split is required: no fsdd-split.json beside the data folder ${dir}`);
  const f = await loadSplitFeatures({ data: dir, split, features: { nMfcc }, scaler, sampleRate, shared: false });
  return {
    train: labeledSequences(f.train), val: labeledSequences(f.val), test: labeledSequences(f.test),
    files: { train: f.train.files, val: f.val.files, test: f.test.files },
    scaler: f.scaler, nMfcc, sampleRate: f.sampleRate, seconds: f.seconds,
  };
}


function fraction(values: Record<string, unknown>, flag: string, dflt: number, max = Infinity): number {
  const v = num(values, flag, false) ?? dflt;
  if (!(v >= 0 && v < max)) throw new UsageError(`--${flag}=${v} must be a number in [0, ${max === Infinity ? '∞' : max})`);
  return v;
}

function list(values: Record<string, unknown>, flag: string, dflt: number[], int: boolean): number[] {
  const v = values[flag];
  if (v === undefined) return dflt;
  const out = String(v).split(',').map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((x) => !Number.isFinite(x) || x < 0 || (int && (!Number.isInteger(x) || x < 1)))) {
    throw new UsageError(`--${flag}=${String(v)} must be a comma-separated list of ${int ? 'positive integers' : 'numbers ≥ 0'}`);
  }
  return out;
}

function modelOptions(values: Record<string, unknown>, inputDim: number): SequenceClassifierOptions {
  const batching = (values.batching as string | undefined) ?? 'packed';
  if (batching !== 'packed' && batching !== 'padded') throw new UsageError(`--batching=${batching} must be packed or padded`);
  const pooling = (values.pooling as string | undefined) ?? 'last';
  if (pooling !== 'last' && pooling !== 'mean') throw new UsageError(`--pooling=${pooling} must be last or mean`);
  const impl = (values.impl as string | undefined) ?? 'fused';
  if (impl !== 'fused' && impl !== 'tfjs-ops') throw new UsageError(`--impl=${impl} must be fused or tfjs-ops`);
  const lr = num(values, 'lr', false) ?? 1e-3;
  if (!(lr > 0)) throw new UsageError(`--lr=${lr} must be a number > 0`);
  return {
    inputDim, nClasses: 10,
    hidden: intFlag(values, 'hidden', 60), layers: intFlag(values, 'layers', 1),
    bidirectional: values.bidirectional === true, pooling,
    dropout: fraction(values, 'dropout', 0.3, 1), l2: fraction(values, 'l2', 1e-4), inputNoise: fraction(values, 'input-noise', 0),
    batching, batchSize: intFlag(values, 'batch-size', 64), lr, impl,
    seed: intFlag(values, 'seed', 0, 0),
  };
}

const log = (s: string) => process.stderr.write(s + '\n');

function epochLine(e: { epoch: number; trainLoss: number; valLoss: number; valAccuracy: number; seconds: number; improved: boolean }): string {
  return `epoch ${String(e.epoch).padStart(3)}  train loss ${e.trainLoss.toFixed(4)}  val loss ${e.valLoss.toFixed(4)}  ` +
    `val acc ${e.valAccuracy.toFixed(4)}  ${e.seconds.toFixed(2)} s${e.improved ? '  *' : ''}`;
}

function timingJson(t: TrainingTiming) {
  const q = (x: { median: number; p90: number; n: number }) => ({ median: round(x.median), p90: round(x.p90), n: x.n });
  return { forwardMs: q(t.forwardMs), backwardMs: q(t.backwardMs), stepMs: q(t.stepMs), prepMs: q(t.prepMs), epochSeconds: q(t.epochSeconds) };
}

const round = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toFixed(d)) : v);

async function runLstm(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'train': return train(rest);
    case 'grid': return grid(rest);
    case 'eval': return evalModel(rest);
    default: throw new UsageError(`lstm: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`} (train, grid or eval)`);
  }
}

interface RunResult {
  model: SequenceClassifier;
  history: History;
  valAccuracy: number;
  valLoss: number;
}

interface FitFlags {
  epochs: number; patience: number; lrDecay?: { factor: number; patience: number };
  checkpoint?: string; resume?: boolean; profile?: boolean; verbose: boolean;
}

/** --lr-decay F --lr-patience N: reduce-on-plateau (both or neither). */
function lrDecayFlags(values: Record<string, unknown>): { factor: number; patience: number } | undefined {
  const factor = num(values, 'lr-decay', false), patience = num(values, 'lr-patience');
  if (factor === undefined && patience === undefined) return undefined;
  if (factor === undefined || patience === undefined) throw new UsageError('--lr-decay and --lr-patience go together');
  if (!(factor > 0 && factor < 1)) throw new UsageError(`--lr-decay=${factor} must be in (0, 1)`);
  if (patience < 1) throw new UsageError(`--lr-patience=${patience} must be an integer >= 1`);
  return { factor, patience };
}

async function trainOne(d: LabData, opts: SequenceClassifierOptions, fit: FitFlags): Promise<RunResult> {
  const model = new SequenceClassifier(opts);
  model.meta = { features: { nFft: LAB_FEATURES.nFft, hopLength: LAB_FEATURES.hopLength, nMels: LAB_FEATURES.nMels, nMfcc: d.nMfcc, sr: d.sampleRate }, scaler: { mean: Array.from(d.scaler.mean!), scale: Array.from(d.scaler.scale!) } };
  const history = await model.fit(d.train, d.val, {
    epochs: fit.epochs, patience: fit.patience, lrDecay: fit.lrDecay, checkpoint: fit.checkpoint, resume: fit.resume, profile: fit.profile,
    onEpoch: fit.verbose ? (e) => { log(epochLine(e)); } : undefined,
  });
  const ev = model.evaluate(d.val);
  return { model, history, valAccuracy: ev.accuracy, valLoss: ev.loss };
}

async function train(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    ...DATA_FLAGS, ...MODEL_FLAGS, checkpoint: { type: 'string' }, resume: { type: 'boolean' }, save: { type: 'string' },
  }, false);
  if (!values.json) throw new UsageError('lstm train: --json OUT is required');
  if (values.resume && !values.checkpoint) throw new UsageError('--resume needs --checkpoint DIR');
  const nMfcc = intFlag(values, 'n-mfcc', 6);
  const opts = modelOptions(values, nMfcc);
  const epochs = intFlag(values, 'epochs', 100), patience = intFlag(values, 'patience', 10, 0);
  const lrDecay = lrDecayFlags(values);
  if (values.checkpoint) prepareCheckpointDir(values.checkpoint); // fail before any work
  await initNn(); // a missing TensorFlow.js peer is said before the features are extracted
  const d = await loadLabData(values.data, values.split, nMfcc);
  log(`features: ${d.train.x.length} train / ${d.val.x.length} val / ${d.test.x.length} test, ${nMfcc} MFCC, ${d.seconds.toFixed(2)} s`);
  log(`model: ${opts.bidirectional ? 'bi' : 'uni'}LSTM hidden ${opts.hidden} × ${opts.layers} layer(s), dropout ${opts.dropout}, L2 ${opts.l2}, ` +
    `${opts.batching} batches of ${opts.batchSize}, lr ${opts.lr}, ${opts.impl}`);
  const t0 = performance.now();
  const r = await trainOne(d, opts, { epochs, patience, lrDecay, checkpoint: values.checkpoint, resume: values.resume, profile: values.profile, verbose: true });
  const seconds = (performance.now() - t0) / 1000;
  const test = r.model.evaluate(d.test);
  const valEv = r.model.evaluate(d.val);
  const trainEv = r.model.evaluate(d.train);
  const h = r.history;
  log(`best epoch ${h.bestEpoch} of ${h.epochs}: train loss ${trainEv.loss.toFixed(4)}, val loss ${valEv.loss.toFixed(4)}, ` +
    `val acc ${valEv.accuracy.toFixed(4)}, test acc ${test.accuracy.toFixed(4)} (${seconds.toFixed(1)} s)`);
  if (values.profile) log(formatTiming(h.timing));
  if (values.save) r.model.save(values.save);
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const report = {
    config: { ...opts, nMfcc, epochs, patience, ...(lrDecay ? { lrDecay } : {}) },
    epochs: h.epochs, bestEpoch: h.bestEpoch, stoppedEarly: h.stoppedEarly,
    trainLoss: round(trainEv.loss, 6), valLoss: round(valEv.loss, 6),
    valAccuracy: valEv.accuracy, testAccuracy: test.accuracy,
    confusionVal: confusionMatrix(d.val.y, valEv.predictions, labels),
    confusionTest: confusionMatrix(d.test.y, test.predictions, labels),
    history: { trainLoss: h.trainLoss.map((v) => round(v, 6)), valLoss: h.valLoss.map((v) => round(v, 6)), valAccuracy: h.valAccuracy, lr: h.lr },
    timing: timingJson(h.timing),
    ...(values.profile && h.samples ? { samples: h.samples } : {}),
    seconds: round(seconds, 2),
  };
  writeFileAtomic(values.json, JSON.stringify(report, null, 2) + '\n');
  r.model.dispose();
}

interface GridRow {
  hidden: number; layers: number; dropout: number; l2: number;
  epochs: number; bestEpoch: number; valLoss: number; valAccuracy: number; seconds: number; epochSeconds: number;
}

async function grid(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    ...DATA_FLAGS, ...MODEL_FLAGS, hiddens: { type: 'string' }, 'layer-counts': { type: 'string' },
    dropouts: { type: 'string' }, l2s: { type: 'string' }, top: { type: 'string' },
  }, false);
  if (!values.json) throw new UsageError('lstm grid: --json OUT is required');
  const nMfcc = intFlag(values, 'n-mfcc', 6);
  const base = modelOptions(values, nMfcc);
  const hiddens = list(values, 'hiddens', [20, 40, 60], true), layerCounts = list(values, 'layer-counts', [1, 2, 3], true);
  const dropouts = list(values, 'dropouts', [0, 0.1, 0.2, 0.3], false), l2s = list(values, 'l2s', [0, 1e-4, 2e-4], false);
  if (dropouts.some((p) => p >= 1)) throw new UsageError('--dropouts must be < 1');
  const top = intFlag(values, 'top', 4);
  const epochs = intFlag(values, 'epochs', 100), patience = intFlag(values, 'patience', 10, 0);
  const lrDecay = lrDecayFlags(values);
  await initNn();
  const d = await loadLabData(values.data, values.split, nMfcc);
  log(`features: ${d.train.x.length} train / ${d.val.x.length} val / ${d.test.x.length} test, ${nMfcc} MFCC`);

  const first = hiddens.flatMap((hidden) => layerCounts.map((layers) => ({ hidden, layers, dropout: 0, l2: 0 })));
  const total = first.length + Math.min(top, first.length) * dropouts.length * l2s.length;
  const bar = progressBar('lstm grid');
  let done = 0;
  let best: { row: GridRow; model: SequenceClassifier } | null = null;
  const better = (a: GridRow, b: GridRow) => a.valAccuracy > b.valAccuracy || (a.valAccuracy === b.valAccuracy && a.valLoss < b.valLoss);
  const runAll = async (configs: { hidden: number; layers: number; dropout: number; l2: number }[]): Promise<GridRow[]> => {
    const rows: GridRow[] = [];
    for (const cfg of configs) {
      const t0 = performance.now();
      const r = await trainOne(d, { ...base, ...cfg }, { epochs, patience, lrDecay, verbose: false });
      const row: GridRow = {
        ...cfg, epochs: r.history.epochs, bestEpoch: r.history.bestEpoch, valLoss: round(r.valLoss, 6), valAccuracy: r.valAccuracy,
        seconds: round((performance.now() - t0) / 1000, 2), epochSeconds: round(r.history.timing.epochSeconds.median, 3),
      };
      rows.push(row);
      if (!best || better(row, best.row)) {
        best?.model.dispose();
        best = { row, model: r.model };
      } else r.model.dispose();
      bar.update(++done, total);
      log(`  hidden ${cfg.hidden} layers ${cfg.layers} dropout ${cfg.dropout} l2 ${cfg.l2}: val acc ${row.valAccuracy.toFixed(4)}, ` +
        `val loss ${row.valLoss.toFixed(4)}, best epoch ${row.bestEpoch}/${row.epochs}, ${row.seconds} s`);
    }
    return rows;
  };
  const grid1 = await runAll(first);
  const ranked = [...grid1].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, top);
  const grid2 = await runAll(ranked.flatMap((r) => dropouts.flatMap((dropout) => l2s.map((l2) => ({ hidden: r.hidden, layers: r.layers, dropout, l2 })))));
  bar.finish();
  const winner = best as unknown as { row: GridRow; model: SequenceClassifier };
  const test = winner.model.evaluate(d.test);
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  log(`best: hidden ${winner.row.hidden} layers ${winner.row.layers} dropout ${winner.row.dropout} l2 ${winner.row.l2}: ` +
    `val acc ${winner.row.valAccuracy.toFixed(4)}, test acc ${test.accuracy.toFixed(4)}`);
  writeFileAtomic(values.json, JSON.stringify({
    config: { ...base, nMfcc, epochs, patience, ...(lrDecay ? { lrDecay } : {}) }, grid1, grid2,
    best: { ...winner.row, testAccuracy: test.accuracy, confusionTest: confusionMatrix(d.test.y, test.predictions, labels) },
  }, null, 2) + '\n');
  winner.model.dispose();
}

async function evalModel(argv: string[]): Promise<void> {
  const { values } = parse(argv, { ...DATA_FLAGS, model: { type: 'string' }, subset: { type: 'string' } }, false);
  if (!values.model) throw new UsageError('lstm eval: --model FILE is required');
  const subset = (values.subset as string | undefined) ?? 'test';
  if (subset !== 'val' && subset !== 'test') throw new UsageError(`--subset=${subset} must be val or test`);
  const model = await SequenceClassifier.load(values.model);
  const meta = model.meta as { features?: { nMfcc?: number; sr?: number }; scaler?: { mean?: number[]; scale?: number[] } };
  const nMfcc = meta.features?.nMfcc;
  if (!Number.isInteger(nMfcc) || !Array.isArray(meta.scaler?.mean) || !Array.isArray(meta.scaler?.scale)) {
    throw new ModelFormatError(`${values.model}: no feature settings or scaler in its meta (was it written by speechcore lstm train --save?)`);
  }
  const scaler = new StandardScaler();
  scaler.mean = Float64Array.from(meta.scaler!.mean!);
  scaler.scale = Float64Array.from(meta.scaler!.scale!);
  // Recordings at another rate are resampled to the model's (files from before 0.2 record none: as they come).
  const sr = meta.features?.sr;
  const d = await loadLabData(values.data, values.split, nMfcc!, scaler, Number.isFinite(sr) && sr! > 0 ? sr : undefined);
  const set = subset === 'val' ? d.val : d.test;
  const ev = model.evaluate(set);
  process.stdout.write(`${subset}: accuracy ${ev.accuracy.toFixed(4)}, loss ${ev.loss.toFixed(4)} (${set.x.length} files)\n`);
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      subset, accuracy: ev.accuracy, loss: ev.loss, confusion: confusionMatrix(set.y, ev.predictions, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    }, null, 2) + '\n');
  }
  model.dispose();
}
