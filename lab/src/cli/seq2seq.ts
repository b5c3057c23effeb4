/**
 * `speechcore seq2seq --cell rnn|lstm|gru --json OUT`: the lab's warm-up (MISSION step 8) — predict
 * the cosine of 10 points from the sine at 40 Hz with random phase; 500 pairs, 30 % test, 8 % of the
 * rest validation, batches of 64, early stopping on validation MSE. Writes {testMse, epochs, ...}.
 */
import { SequenceRegressor, sineCosinePairs, splitPairs, type CellKind } from 'speechcore/nn';
import { num, parse, UsageError, writeFileAtomic, type Command } from 'speechcore/cli';

const usage = `speechcore seq2seq --cell rnn|lstm|gru [--hidden 32] [--lr 3e-3] [--epochs 2000] [--patience 100]
  [--batch-size 64] [--seed 0] --json OUT`;

async function runSeq2seq(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    cell: { type: 'string' }, hidden: { type: 'string' }, lr: { type: 'string' }, epochs: { type: 'string' },
    patience: { type: 'string' }, 'batch-size': { type: 'string' }, seed: { type: 'string' }, json: { type: 'string' },
  }, false);
  const cell = values.cell as CellKind | undefined;
  if (cell !== 'rnn' && cell !== 'lstm' && cell !== 'gru') throw new UsageError(`--cell=${String(cell)} must be rnn, lstm or gru`);
  if (!values.json) throw new UsageError('seq2seq: --json OUT is required');
  const int = (flag: string, dflt: number, min: number) => {
    const v = num(values, flag) ?? dflt;
    if (v < min) throw new UsageError(`--${flag}=${v} must be an integer >= ${min}`);
    return v;
  };
  const lr = num(values, 'lr', false) ?? 3e-3;
  if (!(lr > 0)) throw new UsageError(`--lr=${lr} must be > 0`);
  const hidden = int('hidden', 32, 1), epochs = int('epochs', 2000, 1), patience = int('patience', 100, 1);
  const batchSize = int('batch-size', 64, 1), seed = int('seed', 0, 0);

  const data = sineCosinePairs({ n: 500, points: 10, freq: 40, seed });
  const parts = splitPairs(data.x.map((x, i) => ({ x, y: data.y[i]! })), seed + 1);
  const set = (p: { x: Float32Array; y: Float32Array }[]) => ({ x: p.map((q) => q.x), y: p.map((q) => q.y) });
  const [train, val, test] = [set(parts.train), set(parts.val), set(parts.test)];
  const model = new SequenceRegressor({ cell, hidden, lr, batchSize, seed });
  const t0 = performance.now();
  const fit = await model.fit(train, val, {
    epochs, patience,
    onEpoch: (e, tr, va) => { if (e % 100 === 0) process.stderr.write(`epoch ${e}: train MSE ${tr.toExponential(3)}, val MSE ${va.toExponential(3)}\n`); },
  });
  const seconds = (performance.now() - t0) / 1000;
  const testMse = model.mse(test.x, test.y);
  process.stderr.write(`${cell}: best epoch ${fit.bestEpoch} of ${fit.epochs}, val MSE ${fit.bestValMse.toExponential(3)}, ` +
    `test MSE ${testMse.toExponential(3)} (${seconds.toFixed(1)} s)\n`);
  writeFileAtomic(values.json, JSON.stringify({
    cell, testMse, epochs: fit.epochs, bestEpoch: fit.bestEpoch, valMse: fit.bestValMse,
    sizes: { train: train.x.length, val: val.x.length, test: test.x.length },
    config: { hidden, lr, batchSize, patience, maxEpochs: epochs, seed, points: 10, freq: 40, step: 1e-3 },
    history: { trainMse: fit.trainMse, valMse: fit.valMse }, seconds: Number(seconds.toFixed(2)),
  }, null, 2) + '\n');
  model.dispose();
}

export const seq2seqCommand: Command = {
  summary: 'step 8: RNN/LSTM/GRU warm-up predicting cosines from sines',
  usage,
  run: runSeq2seq,
};
