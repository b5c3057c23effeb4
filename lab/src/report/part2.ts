/**
 * Steps 8–14: the sequence warm-up (speechcore/nn), the GMM-HMM recogniser on FSDD (the lab split
 * through speechcore's loadSplitFeatures, the grid on an HmmPool, recognition, confusion matrices)
 * and the LSTM. The sequence models need TensorFlow.js: without it those steps say "not available".
 *
 * @module
 */
import {
  accuracy, classify, confusionMatrix, gridConfigs, HmmPool, labeledSequences, loadSplitFeatures, pickBest, resolveDataDir, runGrid,
  type Matrix, type SplitFeatures,
} from 'speechcore';
import * as F from '../plots/figures.ts';
import { nnModule, pick } from './optional.ts';
import { guarded, type ReportContext } from './context.ts';
import { fmt, type Block, type Section } from './html.ts';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** What the HMM section leaves for the LSTM: the standardised split. */
export interface SplitData { train: { x: Matrix[]; y: number[] }; val: { x: Matrix[]; y: number[] }; test: { x: Matrix[]; y: number[] } }

function splitStats(name: string, x: Matrix[]): (string | number)[] {
  const T = x.map((m) => m.rows);
  return [name, x.length, fmt(T.reduce((a, b) => a + b, 0) / T.length, 1), Math.min(...T), Math.max(...T)];
}

async function hmmSections(ctx: ReportContext, data: string | undefined, split: string | undefined, sink: { split?: SplitData }): Promise<Section[]> {
  const out: Section[] = [];
  let sd: SplitData | null = null;
  let packed: SplitFeatures | null = null;
  // Two workers; on this thread when workers cannot start.
  const pool = await HmmPool.create(2).catch(() => null);
  try {
    out.push(await guarded('step9', 'Step 9 — FSDD split and features', async () => {
      const dir = resolveDataDir(data);
      const t0 = performance.now();
      const f = await loadSplitFeatures({ data: dir, split, pool: pool ?? undefined });
      packed = f;
      sd = { train: labeledSequences(f.train), val: labeledSequences(f.val), test: labeledSequences(f.test) };
      sink.split = sd;
      ctx.tick('step 9');
      const s = sd!;
      return [
        { kind: 'p', html: `${dir}: files with index 0–4 are the test set; the rest split 80/20 stratified into train and validation (the lab's split file). MFCC 6 per frame (30 ms = 240 samples, 15 ms hop at 8 kHz), standardised with train statistics; ${((performance.now() - t0) / 1000).toFixed(1)} s.` },
        { kind: 'table', head: ['subset', 'utterances', 'frames (mean)', 'min', 'max'], rows: [splitStats('train', s.train.x), splitStats('validation', s.val.x), splitStats('test', s.test.x)] },
      ];
    }));
    if (!sd) return out;
    const s: SplitData = sd;
    out.push(await guarded('step10-13', 'Steps 10–13 — GMM-HMM: EM grid, recognition, confusion matrices', async () => {
      const blocks: Block[] = [];
      // The whole grid even with --quick: on the worker pool it takes seconds.
      const nStates = [1, 2, 3, 4], nMix = [1, 2, 3, 4, 5];
      const base = { covarianceType: 'diag' as const, nIter: 20, tol: 1e-2, seed: ctx.seed };
      const t0 = performance.now();
      const p = packed!;
      const entries = await runGrid(p.train, p.val, gridConfigs(nStates, nMix, base), { pool: pool ?? undefined, onProgress: () => ctx.tick() });
      const gridSeconds = (performance.now() - t0) / 1000;
      const chosen = pickBest(entries);
      if (!chosen) throw new Error('every configuration failed');
      blocks.push({ kind: 'p', html: `One left-right GMM-HMM per digit (start in state 1, end in the last; diagonal covariances), Baum-Welch until the log-likelihood gains less than ${base.tol} or ${base.nIter} iterations; ${nStates.length}×${nMix.length} configurations in ${gridSeconds.toFixed(1)} s. Selection on validation only (Viterbi score), then the test set once.` });
      blocks.push({ kind: 'table', caption: 'Validation accuracy per configuration', head: ['states', 'Gaussians', 'Viterbi', 'forward', 'EM iterations', 'fit s', 'score s'], rows: entries.map((e) => [e.row.nStates, e.row.nMix, fmt(e.row.valAccuracyViterbi), fmt(e.row.valAccuracyForward), e.row.emIterations ? e.row.emIterations.join('–') : (e.row.failed ?? '—'), fmt(e.row.fitSeconds, 1), fmt(e.row.scoreSeconds, 2)]) });
      const labels = [...new Set(Array.from(p.train.labels))].sort((a, b) => a - b);
      const valPred = chosen.predictions!.viterbi;
      const t1 = performance.now();
      const testPred = classify(chosen.models!, labels, p.test).predictions;
      const testSeconds = (performance.now() - t1) / 1000;
      const best = `${chosen.row.nStates} states × ${chosen.row.nMix} Gaussians`;
      const va = accuracy(s.val.y, valPred), ta = accuracy(s.test.y, testPred);
      blocks.push({ kind: 'table', caption: `Selected: ${best}`, head: ['set', 'accuracy', 'lab'], rows: [['validation', fmt(va), '0.985'], ['test', fmt(ta), '0.97']] });
      blocks.push({ kind: 'p', html: `Test recognition (${s.test.x.length} utterances, 10 models each) took ${testSeconds.toFixed(2)} s.` });
      const lab = DIGITS;
      blocks.push(await ctx.figure('step13-confusion-val', F.matrixImage({ title: `HMM ${best}: validation`, matrix: confusionMatrix(s.val.y, valPred, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), rowLabels: lab, colLabels: lab, xTitle: 'predicted', yTitle: 'true', scheme: 'blues', text: true }), 'Step 13: validation confusion matrix (rows true, columns predicted).'));
      blocks.push(await ctx.figure('step13-confusion-test', F.matrixImage({ title: `HMM ${best}: test`, matrix: confusionMatrix(s.test.y, testPred, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), rowLabels: lab, colLabels: lab, xTitle: 'predicted', yTitle: 'true', scheme: 'blues', text: true }), 'Step 13: test confusion matrix.'));
      ctx.tick('steps 10–13');
      return blocks;
    }));
  } finally {
    await pool?.close();
  }
  return out;
}

interface Seq2seqMod {
  sineCosinePairs(o?: { n?: number; seed?: number }): { x: Float32Array[]; y: Float32Array[] };
  splitPairs<T>(items: readonly T[], seed: number): { train: T[]; val: T[]; test: T[] };
  SequenceRegressor: new (o: { cell: string; seed?: number }) => { fit(tr: object, va: object, o: object): Promise<{ epochs: number; bestEpoch: number; trainMse: number[]; valMse: number[] }>; mse(x: Float32Array[], y: Float32Array[]): number; dispose(): void };
}

async function step8(ctx: ReportContext): Promise<Block[]> {
  const m = pick<Seq2seqMod>(await nnModule(), ['sineCosinePairs', 'splitPairs', 'SequenceRegressor']);
  if (!m) return [{ kind: 'missing', what: 'the sequence models', why: 'TensorFlow.js (@tensorflow/tfjs-core, @tensorflow/tfjs-backend-wasm) is not installed' }];
  const pairs = m.sineCosinePairs({ n: 500, seed: ctx.seed });
  const idx = m.splitPairs(pairs.x.map((_, i) => i), ctx.seed);
  const sel = (ix: number[]) => ({ x: ix.map((i) => pairs.x[i]), y: ix.map((i) => pairs.y[i]) });
  const tr = sel(idx.train), va = sel(idx.val), te = sel(idx.test);
  const rows: (string | number)[][] = [], series: { name: string; values: number[] }[] = [];
  const lab: Record<string, string> = { rnn: '9.8e-5', lstm: '5.1e-5', gru: '2.6e-5' };
  for (const cell of ['rnn', 'lstm', 'gru']) {
    const t0 = performance.now();
    const r = new m.SequenceRegressor({ cell, seed: ctx.seed });
    const fit = await r.fit(tr, va, { epochs: ctx.quick ? 30 : 2000, patience: ctx.quick ? 20 : 100 });
    const mse = r.mse(te.x, te.y);
    r.dispose();
    rows.push([cell.toUpperCase(), fit.epochs, fit.bestEpoch, mse.toExponential(2), lab[cell], ((performance.now() - t0) / 1000).toFixed(1)]);
    series.push({ name: `${cell} train`, values: fit.trainMse }, { name: `${cell} val`, values: fit.valMse });
    ctx.tick('step 8');
  }
  return [
    { kind: 'p', html: `500 sine→cosine pairs of 10 points (40 Hz, random phase): 30% test, 8% of the rest validation, batches of 64, early stopping on validation MSE${ctx.quick ? ' (quick: at most 30 epochs)' : ''}.` },
    { kind: 'table', head: ['cell', 'epochs', 'best epoch', 'test MSE', 'lab', 'seconds'], rows },
    await ctx.figure('step8-loss', F.lossCurves({ title: 'Sequence regression: MSE per epoch', series, yTitle: 'MSE', logY: true }), 'Step 8: training and validation MSE.'),
  ];
}

interface ClassifierMod {
  SequenceClassifier: new (o: { inputDim: number; hidden?: number; layers?: number; bidirectional?: boolean; dropout?: number; seed?: number }) => {
    fit(tr: { x: Matrix[]; y: number[] }, va: { x: Matrix[]; y: number[] } | null, o: { epochs?: number; patience?: number; onEpoch?: () => void }): Promise<{ epochs: number; bestEpoch: number; trainLoss: number[]; valLoss: number[]; valAccuracy: number[] }>;
    evaluate(set: { x: Matrix[]; y: number[] }): { loss: number; accuracy: number; predictions: Int32Array };
    dispose(): void;
  };
}

async function step14(ctx: ReportContext, split: SplitData | undefined): Promise<Block[]> {
  const m = pick<ClassifierMod>(await nnModule(), ['SequenceClassifier']);
  if (!m) return [{ kind: 'missing', what: 'the LSTM', why: 'TensorFlow.js (@tensorflow/tfjs-core, @tensorflow/tfjs-backend-wasm) is not installed' }];
  if (!split) return [{ kind: 'missing', what: 'the LSTM', why: 'the FSDD split could not be loaded (see step 9)' }];
  const configs = ctx.quick
    ? [{ name: 'LSTM 20, 1 layer', hidden: 20, layers: 1, bidirectional: false, epochs: 30 }]
    : [{ name: 'LSTM 20, 1 layer', hidden: 20, layers: 1, bidirectional: false, epochs: 100 }, { name: 'BiLSTM 60, 1 layer, dropout 0.3', hidden: 60, layers: 1, bidirectional: true, dropout: 0.3, epochs: 100 }];
  const blocks: Block[] = [];
  const rows: (string | number)[][] = [];
  for (const c of configs) {
    const t0 = performance.now();
    const model = new m.SequenceClassifier({ inputDim: split.train.x[0].cols, hidden: c.hidden, layers: c.layers, bidirectional: c.bidirectional, dropout: (c as { dropout?: number }).dropout ?? 0, seed: ctx.seed });
    const h = await model.fit(split.train, split.val, { epochs: c.epochs, patience: 10, onEpoch: () => ctx.tick() });
    const test = model.evaluate(split.test);
    model.dispose();
    const secs = (performance.now() - t0) / 1000;
    rows.push([c.name, h.epochs, h.bestEpoch, fmt(h.valAccuracy[h.bestEpoch - 1]), fmt(test.accuracy), secs.toFixed(1)]);
    const slug = c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    blocks.push(await ctx.figure(`step14-loss-${slug}`, F.lossCurves({ title: `${c.name}: cross-entropy per epoch`, series: [{ name: 'train', values: h.trainLoss }, { name: 'validation', values: h.valLoss }] }), `Step 14: ${c.name}, training and validation loss.`));
    blocks.push(await ctx.figure(`step14-confusion-${slug}`, F.matrixImage({ title: `${c.name}: test`, matrix: confusionMatrix(split.test.y, Array.from(test.predictions), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), rowLabels: DIGITS, colLabels: DIGITS, xTitle: 'predicted', yTitle: 'true', scheme: 'blues', text: true }), `Step 14: ${c.name}, test confusion matrix.`));
  }
  return [
    { kind: 'p', html: `Sequence classifiers on the same standardised MFCC 6 frames; Adam, batches of 64, early stopping on validation loss (patience 10), best weights kept${ctx.quick ? '; quick: 30 epochs at most' : ''}. Lab: bidirectional LSTM 0.99 test.` },
    { kind: 'table', head: ['model', 'epochs', 'best epoch', 'validation acc.', 'test acc.', 'seconds'], rows },
    ...blocks,
  ];
}

export async function part2(ctx: ReportContext, o: { data?: string; split?: string; skipNn?: boolean }): Promise<Section[]> {
  const sink: { split?: SplitData } = {};
  const sections: Section[] = [];
  if (!o.skipNn) sections.push(await guarded('step8', 'Step 8 — sequence regression warm-up (RNN, LSTM, GRU)', () => step8(ctx)));
  sections.push(...await hmmSections(ctx, o.data, o.split, sink));
  if (!o.skipNn) sections.push(await guarded('step14', 'Step 14 — LSTM', () => step14(ctx, sink.split)));
  return sections;
}
