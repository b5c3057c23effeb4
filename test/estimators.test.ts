/**
 * The one estimator contract (DESIGN §3) across every classifier — HmmClassifier, GmmHmm,
 * SequenceClassifier and the lab's classic classifiers: inputs are Matrix, `predict` returns an
 * Int32Array, probabilities are a Matrix [n][classes] whose rows sum to 1, `toJSON()` is a plain
 * object that survives JSON.stringify/parse and fromJSON, Viterbi is hmmlearn's `decode`, and one
 * argmax with one tie rule (first maximum wins, NaN never wins). Models are tiny: seconds in all.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argmax, argmaxColumns, argmaxRows } from '../bindings/argmax.ts';
import { HmmClassifier } from '../bindings/hmm/classifier.ts';
import { GmmHmm } from '../bindings/hmm/model.ts';
import type { Matrix } from '../bindings/matrix.ts';
import { Rng } from '../bindings/rng.ts';
import { initNn } from '../bindings/nn/backend.ts';
import { SequenceClassifier } from '../bindings/nn/classifier.ts';
import { KNN, LibraryGaussianNB, LinearSVC } from '../lab/src/classic/library.ts';
import { MLPClassifier } from '../lab/src/classic/mlp.ts';
import { GaussianNB } from '../lab/src/classic/naive-bayes.ts';
import { SEED } from './helpers/fixtures.ts';

// ---- argmax -------------------------------------------------------------------------------------------

const Argmax = suite('argmax: first maximum wins, NaN never wins');

Argmax('ties go to the first (lowest) index, in every form', () => {
  assert.is(argmax([1, 3, 3, 2]), 1);
  assert.is(argmax([5, 5, 5]), 0);
  assert.is(argmax([-Infinity, -Infinity]), 0, 'all −Infinity: the first');
  assert.is(argmax(Float64Array.of(0, 9, 1, 9, 9), 2, 3), 1, 'offset and length: index within the slice');
  assert.equal(argmaxRows({ data: Float32Array.of(1, 1, 0, 0, 2, 2), rows: 2, cols: 3 }), Int32Array.of(0, 1));
  assert.equal(argmaxColumns([Float64Array.of(1, 4), Float64Array.of(1, 4)], [7, 3], 2), Int32Array.of(7, 7), 'the first column\'s label on a tie');
});

Argmax('NaN never wins, wherever it sits; all NaN gives the first index', () => {
  assert.is(argmax([NaN, 1, 2]), 2, 'a leading NaN');
  assert.is(argmax([NaN, -Infinity]), 1, 'even over −Infinity');
  assert.is(argmax([1, NaN, 0]), 0);
  assert.is(argmax([0, NaN, 3, NaN]), 2);
  assert.is(argmax([NaN, NaN]), 0);
  assert.equal(argmaxRows({ data: Float32Array.of(NaN, 0, NaN, NaN), rows: 2, cols: 2 }), Int32Array.of(1, 0));
  assert.equal(argmaxColumns([Float64Array.of(NaN, 1), Float64Array.of(-5, NaN)], [4, 6], 2), Int32Array.of(6, 4));
});

Argmax.run();

// ---- data ---------------------------------------------------------------------------------------------

/** n sequences [T][2] per class; class c is centred at (3c, −3c). */
function sequences(n: number, classes: number, rng: Rng): { x: Matrix[]; y: number[] } {
  const x: Matrix[] = [], y: number[] = [];
  for (let i = 0; i < n * classes; i++) {
    const c = i % classes, T = 6 + (i % 5);
    x.push({ rows: T, cols: 2, data: Float32Array.from({ length: T * 2 }, (_, k) => (k % 2 ? -3 : 3) * c + 0.5 * rng.normal()) });
    y.push(c);
  }
  return { x, y };
}

/** One vector per sequence (its mean frame), as a Matrix [n][2]: the classic classifiers' input. */
function means(x: readonly Matrix[]): Matrix {
  const data = new Float32Array(x.length * 2);
  x.forEach((m, i) => {
    for (let t = 0; t < m.rows; t++) for (let d = 0; d < 2; d++) data[i * 2 + d] += m.data[t * 2 + d]! / m.rows;
  });
  return { data, rows: x.length, cols: 2 };
}

function assertProba(p: Matrix, n: number, k: number, who: string): void {
  assert.instance(p.data, Float32Array, `${who}: Matrix data`);
  assert.equal([p.rows, p.cols], [n, k], `${who}: [n][classes]`);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      const v = p.data[i * k + j]!;
      assert.ok(v >= 0 && v <= 1, `${who}: p[${i}][${j}] = ${v}`);
      s += v;
    }
    assert.ok(Math.abs(s - 1) <= 1e-5, `${who}: row ${i} sums to ${s}`);
  }
}

function assertPredict(pred: unknown, y: readonly number[], who: string, minAccuracy = 0.9): void {
  assert.instance(pred, Int32Array, `${who}: predict returns an Int32Array`);
  const p = pred as Int32Array;
  assert.is(p.length, y.length);
  const acc = p.reduce((a, v, i) => a + (v === y[i] ? 1 : 0), 0) / y.length;
  assert.ok(acc >= minAccuracy, `${who}: accuracy ${acc}`);
}

/** JSON.stringify/parse of toJSON(): the document is a plain object, and survives the trip unchanged. */
function viaJson(doc: object, who: string): unknown {
  assert.is(Object.getPrototypeOf(doc), Object.prototype, `${who}: toJSON() is a plain object`);
  const back = JSON.parse(JSON.stringify(doc));
  assert.equal(back, JSON.parse(JSON.stringify(doc)));
  return back;
}

// ---- the contract -------------------------------------------------------------------------------------

const Contract = suite('every estimator: Matrix in, Int32Array predict, Matrix probabilities, object toJSON');
const rng = new Rng(SEED);
const train = sequences(6, 3, rng), test = sequences(3, 3, rng);

Contract('GmmHmm: decode → { logProb, stateSequence }; toJSON an object that fromJSON reads back', () => {
  const m = new GmmHmm({ nStates: 2, nMix: 1, nIter: 5 }).fit(train.x.filter((_, i) => train.y[i] === 1));
  const d = m.decode(test.x[1]!);
  assert.equal(Object.keys(d).sort(), ['logProb', 'stateSequence']);
  assert.instance(d.stateSequence, Int32Array);
  assert.is(d.stateSequence.length, test.x[1]!.rows);
  const back = GmmHmm.fromJSON(viaJson(m.toJSON(), 'GmmHmm'));
  assert.equal(back.decode(test.x[1]!), d);
  assert.equal(back.scoreMany(test.x), m.scoreMany(test.x));
});

Contract('HmmClassifier: predict Int32Array of labels; predictProba = softmax of the forward log-likelihoods', () => {
  const labels = train.y.map((c) => c * 2 + 1); // labels need not be 0..n-1
  const clf = new HmmClassifier({ nStates: 2, nMix: 1, nIter: 5 }).fit(train.x, labels);
  assertPredict(clf.predict(test.x), test.y.map((c) => c * 2 + 1), 'HmmClassifier');
  const p = clf.predictProba(test.x);
  assertProba(p, test.x.length, 3, 'HmmClassifier');
  const ll = clf.scores(test.x, 'forward');
  ll.forEach((row, i) => {
    const m = Math.max(...row), z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    row.forEach((v, j) => assert.ok(Math.abs(p.data[i * 3 + j]! - Math.exp(v - m) / z) <= 1e-6, `softmax [${i}][${j}]`));
  });
  const lp = clf.predictLogProba(test.x);
  assert.equal([lp.rows, lp.cols], [test.x.length, 3]);
  const back = HmmClassifier.fromJSON(viaJson(clf.toJSON(), 'HmmClassifier'));
  assert.equal(back.labels, clf.labels);
  assert.equal(back.scores(test.x, 'forward'), clf.scores(test.x, 'forward'));
  assert.equal(back.predict(test.x), clf.predict(test.x));
  assert.throws(() => HmmClassifier.fromJSON({ ...clf.toJSON(), labels: [1] }), /HmmClassifier: labels and models/);
});

Contract('SequenceClassifier: predict Int32Array, predictProba and decisionFunction Matrix, toJSON an object', async () => {
  await initNn();
  const clf = new SequenceClassifier({ inputDim: 2, nClasses: 3, hidden: 4, lr: 0.05, batchSize: 6, seed: 1 });
  await clf.fit(train, null, { epochs: 25 });
  assertPredict(clf.predict(test.x), test.y, 'SequenceClassifier', 0.6);
  assertProba(clf.predictProba(test.x), test.x.length, 3, 'SequenceClassifier');
  const z = clf.decisionFunction(test.x);
  assert.equal([z.rows, z.cols], [test.x.length, 3]);
  assert.equal(clf.predict(test.x), argmaxRows(z), 'predict is argmaxRows of the scores');
  const back = await SequenceClassifier.fromJSON(viaJson(clf.toJSON(), 'SequenceClassifier'));
  assert.equal(back.decisionFunction(test.x), z);
  clf.dispose();
  back.dispose();
});

Contract('the lab\'s classic classifiers: Matrix in, Int32Array out, Matrix probabilities', () => {
  const X = means(train.x), T = means(test.x);
  for (const clf of [new GaussianNB(), new LibraryGaussianNB(), new KNN({ k: 3 }), new LinearSVC(), new MLPClassifier({ learningRateInit: 0.05, seed: 0 })]) {
    clf.fit(X, train.y);
    assertPredict(clf.predict(T), test.y, clf.name);
    if ('predictProba' in clf) assertProba((clf as GaussianNB | MLPClassifier).predictProba(T), T.rows, 3, clf.name);
    (clf as { dispose?: () => void }).dispose?.();
  }
});

Contract.run();
