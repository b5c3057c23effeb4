/**
 * `speechcore classify --data DIR [--splits 20] [--seed 0] [--features mfcc|mfcc+zcr] --json OUT`:
 * lab step 7 on the isolated digits — per-utterance mean/std of MFCC+Δ+ΔΔ, seeded stratified
 * 70/30 splits, StandardScaler on train, five classifiers; a table on stderr, JSON to OUT.
 */
import { loadIsolatedDigits, resolveDigitsDir } from '../analysis/digits.ts';
import { FEATURE_SETS, utteranceVector, type FeatureSet } from '../analysis/features.ts';
import { num, parse, UsageError, writeFileAtomic, progressBar, type Command } from 'speechcore/cli';

const usage = `speechcore classify --data DIR [--splits 20] [--seed 0] [--test-size 0.3]
  [--features ${FEATURE_SETS.join('|')}] --json OUT`;

async function runClassify(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    data: { type: 'string' }, splits: { type: 'string' }, seed: { type: 'string' }, features: { type: 'string' },
    json: { type: 'string' }, 'test-size': { type: 'string' },
  }, false);
  const features = (values.features ?? 'mfcc') as FeatureSet;
  if (!FEATURE_SETS.includes(features)) throw new UsageError(`--features=${values.features} must be one of ${FEATURE_SETS.join(', ')}`);
  const splits = num(values, 'splits') ?? 20, seed = num(values, 'seed') ?? 0;
  if (splits < 1) throw new UsageError(`--splits=${splits} must be >= 1`);
  const testSize = num(values, 'test-size', false) ?? 0.3;
  const dir = resolveDigitsDir(values.data);
  const t0 = performance.now();
  const utts = loadIsolatedDigits(dir);
  const X = utts.map((u) => utteranceVector(u.samples, { sr: u.sr, features, file: u.path }));
  const y = utts.map((u) => u.digit);
  const secondsFeatures = (performance.now() - t0) / 1000;
  const bar = progressBar('classify');
  // The classifier libraries (ml-*, libsvm-js) load only when classify runs.
  const { evaluateClassifiers } = await import('../classic/evaluate.ts');
  const { labels, results } = evaluateClassifiers(X, y, { splits, seed, testSize, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  for (const r of results) {
    process.stderr.write(`${r.name.padEnd(30)} ${r.mean.toFixed(3)} ± ${r.std.toFixed(3)}  (${(r.ms / splits).toFixed(1)} ms/split)\n`);
  }
  const out = {
    data: dir, utterances: utts.length, features, dims: X[0].length, splits, seed, testSize, labels, secondsFeatures,
    secondsTotal: (performance.now() - t0) / 1000,
    classifiers: results.map((r) => ({ name: r.name, mean: r.mean, std: r.std, accuracies: r.accuracies, msPerSplit: r.ms / splits, confusion: r.confusion })),
  };
  if (values.json) writeFileAtomic(values.json, JSON.stringify(out, null, 2) + '\n');
  else process.stdout.write(JSON.stringify(out) + '\n');
}

export const classifyCommand: Command = {
  summary: 'step 7: classic classifiers (naive Bayes, KNN, SVM, MLP) on utterance vectors, repeated splits',
  usage,
  run: runClassify,
};
