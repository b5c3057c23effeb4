/**
 * Step-7 classifiers: GaussianNB against sklearn 1.x numbers (fixture computed once with
 * sklearn.naive_bayes.GaussianNB / sklearn.decomposition.PCA on the 9×3 set below), the library
 * adapters (including ml-naivebayes' two-feature predict bug and ml-knn's tie vote), the MLP, the
 * stratified split, PCA, every ParameterError, and the lab protocol plus CLI on the shared digits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadIsolatedDigits } from '../lab/src/analysis/digits.ts';
import { utteranceVector } from '../lab/src/analysis/features.ts';
import { evaluateClassifiers, standardize } from '../lab/src/classic/evaluate.ts';
import { KNN, LibraryGaussianNB, LinearSVC } from '../lab/src/classic/library.ts';
import { MLPClassifier } from '../lab/src/classic/mlp.ts';
import { GaussianNB } from '../lab/src/classic/naive-bayes.ts';
import { PCA } from '../lab/src/classic/pca.ts';
import { stratifiedSplit, trainTestSplit } from '../lab/src/classic/split.ts';
import { ParameterError } from 'speechcore';
import { Rng } from 'speechcore';
import { sharedDir } from './helpers/shared.ts';

const X = [[1.0, 2.0, 0.5], [1.5, 1.8, 0.4], [0.8, 2.2, 0.6], [3.0, 0.5, 1.5], [3.2, 0.7, 1.4], [2.9, 0.4, 1.6], [2.0, 1.0, 3.0], [2.2, 1.1, 2.8], [1.9, 0.9, 3.1]];
const y = [0, 0, 0, 1, 1, 1, 2, 2, 2];
const T = [[1.2, 2.0, 0.5], [2.5, 0.8, 2.0], [2.0, 1.5, 1.0]];
const close = (a: number, b: number, rel = 1e-9, abs = 1e-12) => Math.abs(a - b) <= abs + rel * Math.abs(b);

test('GaussianNB matches sklearn: epsilon, theta, var, predict_proba, predict', () => {
  const g = new GaussianNB().fit(X, y);
  assert.ok(close(g.epsilon, 1.0358024691358024e-09), `epsilon ${g.epsilon}`);
  const theta = [[1.1, 2.0, 0.5], [3.033333333333333, 0.5333333333333333, 1.5], [2.033333333333333, 1.0, 2.966666666666667]];
  const variance = [[0.08666666770246914, 0.02666666770246915, 0.006666667702469133], [0.015555556591358054, 0.01555555659135802, 0.006666667702469147], [0.015555556591358054, 0.0066666677024691395, 0.015555556591358054]];
  theta.forEach((row, c) => row.forEach((v, j) => assert.ok(close(g.theta![c][j], v), `theta[${c}][${j}]`)));
  variance.forEach((row, c) => row.forEach((v, j) => assert.ok(close(g.variance![c][j], v, 1e-7), `var[${c}][${j}]`)));
  const proba = g.predictProba(T);
  assert.equal([proba.rows, proba.cols], [3, 3]);
  assert.instance(proba.data, Float32Array);
  const want = [[1.0, 9.89301068214137e-110, 2.0575009057250694e-127], [4.924209601751445e-78, 0.9999476310117699, 5.236898823174183e-05], [1.0, 4.030152848663897e-24, 3.5290217787173553e-50]];
  // The Matrix is f32: relative 2^-24, and posteriors below f32's smallest normal (1.2e-38) read 0.
  want.forEach((row, i) => row.forEach((v, c) => assert.ok(close(proba.data[i * 3 + c]!, v, 1e-6, 1.2e-38), `proba[${i}][${c}] ${proba.data[i * 3 + c]} vs ${v}`)));
  assert.equal(g.predict(T), Int32Array.of(0, 1, 0));
  assert.is(g.score(X, y), 1);
  // Labels need not be 0..n-1.
  assert.equal(new GaussianNB().fit(X, y.map((v) => v * 10 + 3)).predict(T), Int32Array.of(3, 13, 3));
  // A Matrix [samples][features] is the same input as rows.
  const m = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length });
  const f32 = (rows: number[][]) => rows.map((r) => Array.from(Float32Array.from(r)));
  assert.equal(new GaussianNB().fit(m(X), y).predictProba(m(T)), new GaussianNB().fit(f32(X), y).predictProba(f32(T)));
});

test('library GaussianNB: fitted by ml-naivebayes, scored over every feature; its own predict uses two', () => {
  // Only feature 3 separates the classes.
  const rng = new Rng(1);
  const Xs = Array.from({ length: 60 }, (_, i) => [rng.normal(), rng.normal(), (i % 2) * 6 + rng.normal()]);
  const ys = Xs.map((_, i) => i % 2);
  assert.is(new LibraryGaussianNB().fit(Xs, ys).score(Xs, ys), 1);
  assert.ok(new LibraryGaussianNB({ libraryPredict: true }).fit(Xs, ys).score(Xs, ys) < 0.8, 'the library predict ignores feature 3');
  assert.equal(new LibraryGaussianNB().fit(X, y).predict(T), new GaussianNB().fit(X, y).predict(T));
});

test('KNN: k=3 majority vote, ties to the nearest neighbour (ml-knn alone picks the farthest)', () => {
  const knn = new KNN({ k: 3 }).fit([[0], [1], [2.5], [10]], [0, 1, 2, 3]);
  assert.equal(knn.predict([[0.1], [2.4], [9]]), Int32Array.of(0, 2, 3));
  const maj = new KNN({ k: 3 }).fit([[0], [0.2], [0.3], [5]], [7, 4, 4, 7]);
  assert.equal(maj.predict([[0]]), Int32Array.of(4));
  // A three-way tie goes to the nearest neighbour's class, not the lowest label.
  const tie = new KNN({ k: 3 }).fit([[0], [1], [2]], [9, 5, 1]);
  assert.equal(tie.predict([[0.1], [1.9]]), Int32Array.of(9, 1));
});

test('LinearSVC (libsvm-js) separates a linearly separable set; MLP learns XOR', () => {
  const rng = new Rng(3);
  const Xs = Array.from({ length: 80 }, (_, i) => [rng.normal() + (i % 4) * 3, rng.normal() - (i % 4) * 2]);
  const ys = Xs.map((_, i) => i % 4);
  const svc = new LinearSVC().fit(Xs, ys);
  assert.ok(svc.score(Xs, ys) >= 0.95, `svc ${svc.score(Xs, ys)}`);
  svc.dispose();
  const Xx = Array.from({ length: 200 }, () => [rng.next() * 2 - 1, rng.next() * 2 - 1]);
  const yx = Xx.map(([a, b]) => (a * b > 0 ? 1 : 0));
  const mlp = new MLPClassifier({ hiddenLayerSizes: [16], learningRateInit: 0.01, maxIter: 400, seed: 0 }).fit(Xx, yx);
  assert.ok(mlp.score(Xx, yx) >= 0.9, `mlp ${mlp.score(Xx, yx)}`);
  assert.ok(mlp.lossCurve.at(-1)! < mlp.lossCurve[0] / 2, 'loss falls');
  const again = new MLPClassifier({ hiddenLayerSizes: [16], learningRateInit: 0.01, maxIter: 400, seed: 0 }).fit(Xx, yx);
  assert.equal(again.lossCurve, mlp.lossCurve, 'seeded: identical runs');
  const p = mlp.predictProba([[0.5, 0.5]]);
  assert.equal([p.rows, p.cols], [1, 2]);
  assert.ok(Math.abs(p.data[0]! + p.data[1]! - 1) < 1e-6);
  assert.instance(mlp.predict(Xx), Int32Array);
});

test('stratified split: ceil(30%) test, proportions kept, disjoint, seeded', () => {
  const labels = [...Array(15).fill(1), ...Array(14).fill(2), ...Array(15).fill(3), ...Array(7).fill(4)];
  const s = stratifiedSplit(labels, { testSize: 0.3, seed: 5 });
  assert.is(s.test.length, Math.ceil(0.3 * labels.length));
  assert.is(new Set([...s.train, ...s.test]).size, labels.length);
  for (const c of [1, 2, 3, 4]) {
    const n = labels.filter((v) => v === c).length, k = s.test.filter((i) => labels[i] === c).length;
    assert.ok(Math.abs(k - 0.3 * n) <= 1, `class ${c}: ${k} of ${n} in test`);
  }
  assert.equal(stratifiedSplit(labels, { seed: 5 }), s);
  assert.not.equal(stratifiedSplit(labels, { seed: 6 }).test, s.test);
  const parts = trainTestSplit(X, y, { testSize: 1 / 3, seed: 1 });
  assert.is(parts.XTest.length, 3);
  assert.equal([...parts.yTest].sort(), [0, 1, 2]);
});

test('PCA matches sklearn: explained variance ratio, variances, axis, projections', () => {
  const p = new PCA().fit(X);
  [0.7111370107886671, 0.28216182644290355, 0.00670116276842919].forEach((v, k) => assert.ok(close(p.explainedVarianceRatio[k], v, 1e-9), `ratio ${k}`));
  [1.6711719753533678, 0.6630802921408234, 0.015747732505808597].forEach((v, k) => assert.ok(close(p.explainedVariance[k], v, 1e-9), `var ${k}`));
  // Axes are defined up to sign.
  const c0 = [0.5228225313775453, -0.4650810194369558, 0.7143922214326369], sign = Math.sign(p.components[0][0]);
  c0.forEach((v, j) => assert.ok(close(sign * p.components[0][j], v, 1e-9), `component ${j}`));
  const proj = p.transform(X, 2);
  assert.ok(close(sign * proj[0][0], -1.759788077202175, 1e-9));
  assert.is(p.componentsFor(0.95), 2);
  assert.is(p.componentsFor(0.5), 1);
  assert.is(new PCA({ nComponents: 0.99 }).fit(X).nComponents, 2);
  assert.is(p.cumulativeVarianceRatio.length, 3);
});

test('errors name the estimator and the problem', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new GaussianNB().fit(X, y.map(() => 1)), /GaussianNB\.fit: y has one class \(1\)/],
    [() => new GaussianNB().fit([[1, NaN], [2, 3]], [0, 1]), /X\[0\]\[1\] is NaN/],
    [() => new KNN().fit([[1, 2], [3]], [0, 1]), /KNN\.fit: X\[1\] has 1 features, X\[0\] has 2/],
    [() => new LinearSVC().fit(X, [0, 1]), /y has 2 labels for 9 rows/],
    [() => new MLPClassifier().predict(X), /MLPClassifier is not fitted/],
    [() => new GaussianNB().fit(X, y).predict([[1, 2]]), /X has 2 features, the model was fitted on 3/],
    [() => new KNN({ k: 0 }), /k=0 must be an integer >= 1/],
    [() => new KNN({ k: 20 }).fit(X, y), /k=20 exceeds the 9 training samples/],
    [() => new MLPClassifier({ alpha: -1 }), /alpha=-1 must be >= 0/],
    [() => new GaussianNB({ varSmoothing: -1 }), /varSmoothing=-1/],
    [() => new GaussianNB().fit(X, [0, 0, 0, 1, 1, 1, 2, 2, 2.5]), /y\[8\] is 2.5, labels must be integers/],
    [() => stratifiedSplit([0, 0, 1], { testSize: 0.3 }), /class 1 has 1 sample/],
    [() => stratifiedSplit([0, 1], { testSize: 1.5 }), /testSize=1.5 must be in \(0, 1\)/],
    [() => new PCA().fit([[1, 2]]), /at least 2 samples/],
    [() => new PCA().fit(X).componentsFor(2), /variance target 2/],
    [() => evaluateClassifiers(X, y, { splits: 0 }), /splits=0/],
  ];
  for (const [fn, re] of cases) {
    try { fn(); assert.unreachable(`no error for ${re}`); } catch (e) {
      assert.instance(e, ParameterError, String(e));
      assert.match((e as Error).message, re);
    }
  }
});

test('lab protocol on the shared isolated digits (3 splits): every classifier well above chance', () => {
  const utts = loadIsolatedDigits(join(sharedDir, 'data/isolated-digits'));
  const Xd = utts.map((u) => utteranceVector(u.samples, { sr: u.sr, file: u.file }));
  const yd = utts.map((u) => u.digit);
  assert.is(Xd[0].length, 78);
  const { labels, results } = evaluateClassifiers(Xd, yd, { splits: 3, seed: 0 });
  assert.equal(labels, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(results.map((r) => r.name), ['GaussianNB (ours)', 'GaussianNB (ml-naivebayes)', 'kNN (k=3, ml-knn)', 'linear SVM (libsvm-js)', 'MLP (ours)']);
  for (const r of results) {
    assert.is(r.accuracies.length, 3);
    assert.ok(r.mean > 0.45, `${r.name} ${r.mean}`);
    assert.is(r.confusion.flat().reduce((a, b) => a + b, 0), 3 * 40);
  }
  const [a, b] = standardize([[1, 2], [3, 6]], [[2, 4]]);
  assert.equal(a, [[-1, -1], [1, 1]]);
  assert.equal(b, [[0, 0]]);
});

test('CLI: speechcore classify --splits 2 --features mfcc+zcr --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'speechcore-classify-'));
  try {
    const out = join(dir, 'c.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bindings/cli/main.ts', 'classify', '--data', join(sharedDir, 'data/isolated-digits'),
      '--splits', '2', '--features', 'mfcc+zcr', '--json', out], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    assert.is(j.dims, 80);
    assert.is(j.classifiers.length, 5);
    for (const c of j.classifiers) assert.ok(typeof c.name === 'string' && c.accuracies.length === 2 && typeof c.mean === 'number' && typeof c.std === 'number');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'bindings/cli/main.ts', 'classify', '--features', 'mfcc+pitch'], { encoding: 'utf8' });
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /--features=mfcc\+pitch must be one of mfcc, mfcc\+zcr/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
