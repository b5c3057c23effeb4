/**
 * Sequence models (bindings/nn): the fused wasm LSTM against tfjs's own autodiff of the same
 * network written in per-step ops, packed against padded batches, a batch against its sequences
 * one by one, and the classifier's training loop (leaks, early stopping, checkpoints, resume,
 * save/load, bad input). Models are tiny so the whole file runs in seconds.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineSync } from '../bindings/engine.ts';
import { ModelFormatError, ParameterError } from '../bindings/errors.ts';
import type { Matrix } from '../bindings/matrix.ts';
import { Rng } from '../bindings/rng.ts';
import { ensureGradients, initNn, type Tf } from '../bindings/nn/backend.ts';
import { fillRows, layoutBatch, type Batching } from '../bindings/nn/batch.ts';
import { fusedFeatures } from '../bindings/nn/fused.ts';
import { opsFeatures } from '../bindings/nn/ops.ts';
import { featureDim, initLstmParams, lstmParamShapes, type LstmSpec } from '../bindings/nn/stack.ts';
import { SequenceClassifier, type LabeledSequences } from '../bindings/nn/classifier.ts';
import { parseModelText } from '../bindings/nn/format.ts';
import { SEED } from './helpers/fixtures.ts';

const tf: Tf = await initNn();
await ensureGradients();
const engine = createEngineSync();

function randomSeqs(lengths: number[], D: number, rng: Rng): Matrix[] {
  return lengths.map((L) => ({ rows: L, cols: D, data: Float32Array.from({ length: L * D }, () => rng.normal()) }));
}

type Impl = 'fused' | 'tfjs-ops';

/** Features (back in batch order) and ∂(Σ features ⊙ P)/∂θ for every parameter. */
function run(spec: LstmSpec, params: Float32Array[], seqs: Matrix[], batching: Batching, impl: Impl, proj: Float32Array) {
  const layout = layoutBatch(seqs.map((s) => s.rows), batching);
  const x = new Float32Array(layout.N * spec.inputDim);
  fillRows(layout, seqs, spec.inputDim, x);
  const F = featureDim(spec);
  // Project in sorted order: P row r belongs to batch row order[r].
  const P = new Float32Array(layout.B * F);
  for (let r = 0; r < layout.B; r++) P.set(proj.subarray(layout.order[r]! * F, (layout.order[r]! + 1) * F), r * F);
  const vars = lstmParamShapes(spec).map((p, i) => tf.variable(tf.tensor(params[i]!, p.shape)));
  let sorted!: Float32Array;
  const { value, grads } = engine.arena.scope(() => tf.variableGrads(() => {
    const f = impl === 'fused' ? fusedFeatures(tf, engine, spec, layout, x, vars) : opsFeatures(tf, spec, layout, x, vars);
    sorted = f.dataSync() as Float32Array;
    return tf.sum(tf.mul(f, tf.tensor2d(P, f.shape))) as never;
  }, vars));
  const features = new Float32Array(layout.B * F);
  for (let r = 0; r < layout.B; r++) features.set(sorted.subarray(r * F, (r + 1) * F), layout.order[r]! * F);
  const g = vars.map((v) => (grads[v.name]!.dataSync() as Float32Array).slice());
  tf.dispose([value, ...Object.values(grads), ...vars]);
  return { features, grads: g };
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  assert.is(a.length, b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!));
  return e;
}

/** max |a − b| / (1 + |b|): absolute for small values, relative for large ones. */
function maxErr(a: Float32Array, b: Float32Array): number {
  assert.is(a.length, b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return e;
}

const SPECS: LstmSpec[] = [
  { inputDim: 3, hidden: 5, layers: 1, bidirectional: false },
  { inputDim: 3, hidden: 6, layers: 1, bidirectional: true },
  { inputDim: 2, hidden: 9, layers: 2, bidirectional: true },
  { inputDim: 4, hidden: 4, layers: 3, bidirectional: false },
  { inputDim: 3, hidden: 5, layers: 1, bidirectional: false, pooling: 'mean' },
  { inputDim: 2, hidden: 4, layers: 2, bidirectional: true, pooling: 'mean' },
];
const LENGTHS = [5, 3, 7, 1, 4, 7, 2, 6, 9];

const Equivalence = suite('lstm: packed = padded = tfjs autodiff');

Equivalence('packed and padded give the same features and gradients (1e-5), fused and tfjs-ops', () => {
  const rng = new Rng(SEED);
  for (const spec of SPECS) {
    const seqs = randomSeqs(LENGTHS, spec.inputDim, rng);
    const params = initLstmParams(spec, rng);
    const proj = Float32Array.from({ length: LENGTHS.length * featureDim(spec) }, () => rng.normal());
    const ref = run(spec, params, seqs, 'packed', 'tfjs-ops', proj);
    for (const impl of ['fused', 'tfjs-ops'] as const) {
      for (const batching of ['packed', 'padded'] as const) {
        const got = run(spec, params, seqs, batching, impl, proj);
        const what = `${JSON.stringify(spec)} ${impl} ${batching}`;
        assert.ok(maxAbs(got.features, ref.features) <= 1e-5, `${what}: features differ by ${maxAbs(got.features, ref.features)}`);
        got.grads.forEach((g, i) => {
          const e = maxErr(g, ref.grads[i]!);
          assert.ok(e <= 1e-5, `${what}: gradient ${lstmParamShapes(spec)[i]!.name} differs by ${e}`);
        });
      }
    }
  }
});

Equivalence('a batch gives what each sequence gives alone', () => {
  const rng = new Rng(SEED + 1);
  for (const spec of [SPECS[1]!, SPECS[2]!, SPECS[5]!]) {
    const seqs = randomSeqs(LENGTHS, spec.inputDim, rng);
    const params = initLstmParams(spec, rng);
    const F = featureDim(spec);
    const proj = Float32Array.from({ length: LENGTHS.length * F }, () => rng.normal());
    for (const batching of ['packed', 'padded'] as const) {
      const batch = run(spec, params, seqs, batching, 'fused', proj);
      const sum = batch.grads.map((g) => new Float32Array(g.length));
      seqs.forEach((s, i) => {
        const one = run(spec, params, [s], batching, 'fused', proj.subarray(i * F, (i + 1) * F));
        assert.ok(maxAbs(one.features, batch.features.subarray(i * F, (i + 1) * F)) <= 1e-6, `${batching}: sequence ${i} alone differs`);
        one.grads.forEach((g, k) => g.forEach((v, j) => { sum[k]![j]! += v; }));
      });
      // The batch gradient is the sum of the per-sequence gradients.
      sum.forEach((g, k) => assert.ok(maxErr(batch.grads[k]!, g) <= 1e-5, `${batching}: summed gradient ${k} differs by ${maxErr(batch.grads[k]!, g)}`));
    }
  }
});

Equivalence('sorting is stable and batchSizes count the live sequences', () => {
  const l = layoutBatch([2, 3, 3, 1], 'packed');
  assert.equal(Array.from(l.order), [1, 2, 0, 3]);
  assert.equal(Array.from(l.batchSizes), [4, 3, 2]);
  assert.is(l.N, 9);
  const p = layoutBatch([2, 3, 3, 1], 'padded');
  assert.is(p.N, 12);
  assert.equal(Array.from(p.rowsAt), [4, 4, 4]);
});

Equivalence.run();

// ---- the classifier ------------------------------------------------------------------------

/** A small separable task: class k's sequences drift along feature k % D with sign by k. */
function toyTask(n: number, D: number, nClasses: number, rng: Rng): LabeledSequences {
  const x: Matrix[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % nClasses, L = 2 + rng.int(8);
    const data = new Float32Array(L * D);
    for (let t = 0; t < L; t++) {
      for (let d = 0; d < D; d++) data[t * D + d] = 0.3 * rng.normal() + (d === k % D ? (k < D ? 1 : -1) : 0);
    }
    x.push({ rows: L, cols: D, data });
    y.push(k);
  }
  return { x, y };
}

const Classifier = suite('SequenceClassifier');
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-nn-'));
Classifier.after(() => rmSync(tmp, { recursive: true, force: true }));

Classifier('learns a toy task; numTensors is flat across epochs; best weights restored', async () => {
  const rng = new Rng(SEED);
  const train = toyTask(120, 3, 4, rng), val = toyTask(40, 3, 4, rng);
  const clf = new SequenceClassifier({ inputDim: 3, nClasses: 4, hidden: 8, bidirectional: true, dropout: 0.1, l2: 1e-4, batchSize: 16, lr: 0.02, seed: 1 });
  const counts: number[] = [];
  const h = await clf.fit(train, val, { epochs: 8, patience: 3, onEpoch: (e) => { counts.push(e.numTensors); } });
  assert.ok(counts.length >= 2);
  assert.ok(counts.every((c) => c === counts[0]), `numTensors changed across epochs: ${counts}`);
  const ev = clf.evaluate(val);
  assert.ok(ev.accuracy >= 0.9, `toy accuracy ${ev.accuracy}`);
  assert.ok(Math.abs(ev.loss - h.bestValLoss) < 1e-5, `restored weights give val loss ${ev.loss}, best was ${h.bestValLoss}`);
  assert.is(h.valLoss[h.bestEpoch - 1], h.bestValLoss);
  assert.ok(h.timing.forwardMs.n > 0 && h.timing.forwardMs.median > 0 && h.timing.backwardMs.median > 0 && h.timing.stepMs.median > 0);
  // predict / predictProba agree, probabilities are a Matrix [5][4] whose rows sum to 1.
  const p = clf.predictProba(val.x.slice(0, 5));
  assert.is(p.rows, 5);
  assert.is(p.cols, 4);
  assert.instance(p.data, Float32Array);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(p.data.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0) - 1) < 1e-5);
  const z = clf.decisionFunction(val.x.slice(0, 5));
  assert.equal([z.rows, z.cols], [5, 4]);
  const predicted = clf.predict(val.x.slice(0, 5));
  assert.instance(predicted, Int32Array);
  assert.equal(predicted, ev.predictions.slice(0, 5));
  clf.dispose();
});

Classifier('early stopping stops after `patience` epochs without improvement', async () => {
  const rng = new Rng(SEED + 2);
  const train = toyTask(40, 2, 2, rng);
  // The training set with its labels swapped: the better the fit, the worse the validation loss.
  const val = { x: train.x, y: Array.from(train.y, (v) => 1 - v) };
  const clf = new SequenceClassifier({ inputDim: 2, nClasses: 2, hidden: 4, batchSize: 8, lr: 0.05, seed: 3 });
  const h = await clf.fit(train, val, { epochs: 60, patience: 4, lrDecay: { factor: 0.5, patience: 2 } });
  assert.ok(h.stoppedEarly, `ran all ${h.epochs} epochs`);
  assert.is(h.epochs, h.bestEpoch + 4);
  // Reduce-on-plateau: halved after 2 epochs without improvement, then again after 2 more.
  assert.equal(h.lr.slice(h.bestEpoch - 1), [0.05, 0.05, 0.05, 0.025, 0.025]);
  clf.dispose();
});

Classifier('save/load round-trips exactly; checkpoints resume to the same model', async () => {
  const rng = new Rng(SEED + 3);
  const train = toyTask(48, 3, 3, rng), val = toyTask(24, 3, 3, rng);
  const opts = { inputDim: 3, nClasses: 3, hidden: 6, layers: 2, dropout: 0.2, batchSize: 12, lr: 0.01, seed: 5 };
  const whole = new SequenceClassifier(opts);
  const hWhole = await whole.fit(train, val, { epochs: 4, patience: 0 });

  const dir = join(tmp, 'ckpt');
  const first = new SequenceClassifier(opts);
  await first.fit(train, val, { epochs: 2, patience: 0, checkpoint: dir });
  assert.equal(readdirSync(dir).sort(), ['best.json', 'state.json']);
  first.dispose();
  const second = new SequenceClassifier(opts);
  const hResumed = await second.fit(train, val, { epochs: 4, patience: 0, checkpoint: dir, resume: true });
  assert.is(hResumed.epochs, 4);
  assert.equal(hResumed.trainLoss.length, 4);
  const a = whole.getWeights(), b = second.getWeights();
  a.forEach((w, i) => assert.ok(maxAbs(w, b[i]!) < 1e-4, `resumed weight ${i} differs by ${maxAbs(w, b[i]!)}`));
  assert.ok(Math.abs(hWhole.valLoss[3]! - hResumed.valLoss[3]!) < 1e-4);

  const best = await SequenceClassifier.load(join(dir, 'best.json'));
  assert.equal(Array.from(best.predict(val.x)), Array.from(second.predict(val.x)));

  const path = join(tmp, 'model.json');
  whole.meta = { note: 'hello' };
  whole.save(path);
  const back = await SequenceClassifier.load(path);
  assert.equal(back.meta, { note: 'hello' });
  assert.equal(back.decisionFunction(val.x), whole.decisionFunction(val.x));

  // toJSON is a plain object: it survives JSON.stringify/parse, fromJSON takes it, and a file is that JSON on one line.
  const doc = whole.toJSON();
  assert.is(Object.getPrototypeOf(doc), Object.prototype);
  assert.is(doc.format, 'speechcore.SequenceClassifier');
  assert.is(readFileSync(path, 'utf8'), JSON.stringify(doc) + '\n', 'save writes JSON.stringify(toJSON())');
  assert.is(JSON.stringify(whole), JSON.stringify(doc), 'JSON.stringify(model) uses toJSON');
  const again = await SequenceClassifier.fromJSON(JSON.parse(JSON.stringify(doc)), 'copy');
  assert.equal(again.decisionFunction(val.x), whole.decisionFunction(val.x));
  assert.equal(again.toJSON(), doc);
  for (const m of [whole, second, best, back, again]) m.dispose();
});

// A model file written by speechcore 0.2 (toJSON returned this text then): it must keep loading.
const SAVED_0_2 = '{"format":"speechcore.SequenceClassifier","version":1,"config":{"inputDim":1,"nClasses":2,"hidden":1,"layers":1,"bidirectional":false,"pooling":"last","dropout":0,"l2":0,"inputNoise":0,"lr":0.001,"batchSize":64,"batching":"packed","impl":"fused","seed":3},"meta":{"note":"written by speechcore 0.2"},"params":[{"name":"lstm.l0.fwd.W","shape":[1,4],"data":"uq1IP8RkfL96pRK/mwe8vg=="},{"name":"lstm.l0.fwd.U","shape":[1,4],"data":"gQ1OPUkuxT6wDXG/Ny69vg=="},{"name":"lstm.l0.fwd.b","shape":[4],"data":"7xgTPyFncL7yZKS/oVOBvw=="},{"name":"out.W","shape":[1,2],"data":"1Xp3P4vnRz8="},{"name":"out.b","shape":[2],"data":"DVZ6vxuEtj4="}],"crc32":4277008821}\n';

Classifier('a model file written by 0.2 loads (file and parsed text) and predicts as it did; text is not a document', async () => {
  const path = join(tmp, 'saved-0.2.json');
  writeFileSync(path, SAVED_0_2);
  const probe = [{ rows: 3, cols: 1, data: Float32Array.of(0.5, -1, 2) }];
  for (const m of [await SequenceClassifier.load(path), await SequenceClassifier.fromJSON(parseModelText(SAVED_0_2, 'saved'), 'saved')]) {
    assert.equal(m.meta, { note: 'written by speechcore 0.2' });
    const p = m.predictProba(probe);
    // The probabilities 0.2 gave for this input.
    [0.20489172637462616, 0.7951082587242126].forEach((v, j) => assert.ok(Math.abs(p.data[j]! - v) < 1e-6, `p[${j}] = ${p.data[j]}, 0.2 gave ${v}`));
    assert.is(JSON.stringify(m.toJSON()) + '\n', SAVED_0_2, 'and writes the same bytes');
    m.dispose();
  }
  try {
    await SequenceClassifier.fromJSON(SAVED_0_2, 'text');
    assert.unreachable('text accepted');
  } catch (e) {
    assert.instance(e, ModelFormatError);
    assert.match((e as Error).message, /text: not a JSON object but text: parse it first/);
  }
  assert.throws(() => parseModelText(SAVED_0_2.slice(0, 50), 'cut.json'), (e: unknown) => e instanceof ModelFormatError && /cut\.json: not valid JSON — truncated or corrupt/.test((e as Error).message));
});

Classifier('a crash mid-training leaves whole checkpoints; stale temporaries are swept; predict does not leak', async () => {
  const rng = new Rng(SEED + 5);
  const train = toyTask(32, 2, 2, rng), val = toyTask(16, 2, 2, rng);
  const opts = { inputDim: 2, nClasses: 2, hidden: 4, batchSize: 8, lr: 0.02, seed: 9 };
  const dir = join(tmp, 'crash');
  const crashing = new SequenceClassifier(opts);
  await import('node:fs').then((fs) => fs.mkdirSync(dir, { recursive: true }));
  writeFileSync(join(dir, 'best.json.tmp-424242'), '{"half": ');
  let err: unknown = null;
  try {
    await crashing.fit(train, val, { epochs: 5, patience: 0, checkpoint: dir, onEpoch: (e) => { if (e.epoch === 2) throw new Error('power cut'); } });
  } catch (e) { err = e; }
  assert.match(String(err), /power cut/);
  assert.equal(readdirSync(dir).sort(), ['best.json', 'state.json']);
  const best = await SequenceClassifier.load(join(dir, 'best.json'));
  const resumed = new SequenceClassifier(opts);
  const h = await resumed.fit(train, val, { epochs: 3, patience: 0, checkpoint: dir, resume: true });
  assert.equal(h.trainLoss.length, 3);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) resumed.predict(val.x);
  resumed.evaluate(val);
  assert.is(tf.memory().numTensors, before);
  for (const m of [crashing, best, resumed]) m.dispose();
});

Classifier('bad input: clear errors', async () => {
  const rng = new Rng(SEED + 4);
  const good = toyTask(8, 3, 2, rng);
  const clf = new SequenceClassifier({ inputDim: 3, nClasses: 2, hidden: 3 });
  const rejects = async (fn: () => Promise<unknown> | unknown, cls: Function, pattern: RegExp) => {
    try { await fn(); } catch (e) {
      assert.instance(e, cls);
      assert.match((e as Error).message, pattern);
      return;
    }
    assert.unreachable(`no error matching ${pattern}`);
  };
  const withX = (i: number, m: Matrix) => ({ x: good.x.map((s, k) => (k === i ? m : s)), y: good.y });
  await rejects(() => clf.fit(withX(2, { rows: 0, cols: 3, data: new Float32Array(0) }), null, { epochs: 1 }), ParameterError, /train\.x\[2\] is empty/);
  const nan = new Float32Array(good.x[1]!.data); nan[4] = NaN;
  await rejects(() => clf.fit(withX(1, { ...good.x[1]!, data: nan }), null, { epochs: 1 }), ParameterError, /train\.x\[1\] frame 1 feature 1 is NaN/);
  await rejects(() => clf.fit(withX(0, { rows: 2, cols: 4, data: new Float32Array(8) }), null, { epochs: 1 }), ParameterError, /4 features per frame; the model's inputDim is 3/);
  await rejects(() => clf.fit({ x: good.x, y: Array.from(good.y, (v, i) => (i === 5 ? 2 : v)) }, null, { epochs: 1 }), ParameterError, /train\.y\[5\]=2 is not a class in \[0, 2\)/);
  await rejects(() => clf.fit({ x: good.x, y: Array.from(good.y, (v, i) => (i === 5 ? 0.5 : v)) }, null, { epochs: 1 }), ParameterError, /train\.y\[5\]=0\.5/);
  await rejects(() => clf.fit(good, null, { epochs: 0 }), ParameterError, /epochs=0/);
  assert.throws(() => new SequenceClassifier({ inputDim: 3, dropout: 1 }), /dropout=1 must be in \[0, 1\)/);
  assert.throws(() => new SequenceClassifier({ inputDim: 0 }), /inputDim=0/);
  assert.throws(() => new SequenceClassifier({ inputDim: 3, inputNoise: -1 }), /inputNoise=-1/);
  assert.throws(() => new SequenceClassifier({ inputDim: 3, batching: 'ragged' as never }), /batching='ragged'/);
  assert.throws(() => clf.predict(good.x), /not trained/);

  writeFileSync(join(tmp, 'a-file'), '');
  await rejects(() => clf.fit(good, null, { epochs: 1, checkpoint: join(tmp, 'a-file', 'ckpt') }), ParameterError, /checkpoint directory .* is not writable \(ENOTDIR\)/);
  if (process.getuid?.() !== 0) {
    const ro = join(tmp, 'readonly');
    rmSync(ro, { recursive: true, force: true });
    writeFileSync(join(tmp, 'probe'), '');
    rmSync(join(tmp, 'probe'));
    await import('node:fs').then((fs) => fs.mkdirSync(ro));
    chmodSync(ro, 0o500);
    await rejects(() => clf.fit(good, null, { epochs: 1, checkpoint: join(ro, 'ckpt') }), ParameterError, /checkpoint directory .* is not writable/);
    chmodSync(ro, 0o700);
  }

  await clf.fit(good, null, { epochs: 1 });
  const path = join(tmp, 'bad.json');
  clf.save(path);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
  await rejects(() => SequenceClassifier.load(path), ModelFormatError, /bad\.json: not valid JSON — truncated or corrupt/);
  const doc = JSON.parse(text);
  doc.params[0].data = doc.params[0].data.replace(/^..../, 'AAAA');
  writeFileSync(path, JSON.stringify(doc));
  await rejects(() => SequenceClassifier.load(path), ModelFormatError, /checksum mismatch/);
  doc.version = 99;
  writeFileSync(path, JSON.stringify(doc));
  await rejects(() => SequenceClassifier.load(path), ModelFormatError, /version 99 was written by a newer speechcore/);
  const doc2 = JSON.parse(text);
  doc2.config.hidden = 4;
  writeFileSync(path, JSON.stringify(doc2));
  await rejects(() => SequenceClassifier.load(path), ModelFormatError, /has shape \[3,12\], expected \[3, 16\]/);
  await rejects(() => SequenceClassifier.load(join(tmp, 'missing.json')), ModelFormatError, /cannot be read \(ENOENT\)/);
  clf.dispose();
});

Classifier.run();
