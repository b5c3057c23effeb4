/**
 * The Recognizer on a slice of FSDD (two speakers, small recipe, so that it trains in seconds):
 * the train → recognize round trip, toJSON/fromJSON giving identical scores, every corrupt file
 * refused with a message naming the problem, a 44.1 kHz stereo file resampled and recognised as
 * the 8 kHz original, MAP enrolment moving the models towards a speaker, endpointing, and the
 * training draws being deterministic for a seed.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDir } from './helpers/shared.ts';
import {
  init, readFsdd, trainRecognizer, Recognizer, recognizerFrames, recognizerText, RECOGNIZER_FEATURES, resample, encodeWav, decodeWav,
  ModelFormatError, ParameterError, type LabeledFile,
} from '../bindings/index.ts';

await init();

const all = readFsdd(join(sharedDir, 'data/fsdd')).filter((u) => u.speaker === 'jackson' || u.speaker === 'theo');
const train = all.filter((u) => u.index >= 5 && u.index < 25);
const test_ = all.filter((u) => u.index < 5);
const SMALL = { speeds: [1], vtlp: 0, nStates: 5, nMix: 1, nIter: 8 };
const trained = await trainRecognizer(train, { recipe: SMALL, seed: 1, val: test_ });
const model = trained.recognizer;
const acc = (m: Recognizer, set: readonly LabeledFile[]) => m.recognizeMany(set).filter((r, i) => r.digit === set[i]!.digit).length / set.length;

test('train → recognize on a slice: well above chance on held-out takes of the same speakers', () => {
  assert.is(model.labels.length, 10);
  const a = acc(model, test_);
  assert.ok(a >= 0.85, `held-out accuracy ${a}`);
  assert.is(trained.valAccuracy, a, 'the val accuracy training reports is recognition of those files');
  const r = model.recognize(test_[0]!.samples, test_[0]!.sampleRate);
  assert.is(r.scores.length, 10);
  assert.ok(Math.abs(r.probabilities.reduce((x, y) => x + y, 0) - 1) < 1e-9);
  assert.is(r.digit, model.labels[r.scores.indexOf(Math.max(...r.scores))]);
});

test('toJSON → JSON text → fromJSON scores identically, and the file carries its front end and provenance', () => {
  const text = JSON.stringify(model.toJSON());
  const back = Recognizer.fromJSON(text, { source: 'm.json' });
  assert.equal(back.features, model.features);
  for (const u of test_.slice(0, 10)) assert.equal(back.recognize(u.samples, u.sampleRate).scores, model.recognize(u.samples, u.sampleRate).scores);
  const j = JSON.parse(text);
  assert.is(j.schema, 'speechcore-recognizer');
  assert.is(j.version, 1);
  assert.is(j.training.seed, 1);
  assert.is(j.training.recipe.nStates, 5);
});

test('recognizerText: the file train writes (7 significant digits) is smaller and recognises the same digits', () => {
  const full = JSON.stringify(model.toJSON()), text = recognizerText(model);
  assert.ok(text.length < 0.75 * full.length, `${text.length} vs ${full.length} bytes`);
  const back = Recognizer.fromJSON(text);
  const a = back.recognizeMany(test_), b = model.recognizeMany(test_);
  a.forEach((r, i) => {
    assert.is(r.digit, b[i]!.digit);
    r.scores.forEach((v, j) => assert.ok(Math.abs(v - b[i]!.scores[j]!) <= 1e-4 * Math.abs(v), `score ${i},${j}`));
  });
});

test('a corrupt model file is refused with a ModelFormatError naming the source and the problem', () => {
  const good = model.toJSON();
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"schema": ', /not valid JSON/],
    ['array', '[]', /not a JSON object/],
    ['schema', { ...good, schema: 'other' }, /schema is "other"/],
    ['version', { ...good, version: 9 }, /version 9 is not supported/],
    ['features', { ...good, features: { ...good.features, nMfcc: 0 } }, /features: nMfcc/],
    ['algorithm', { ...good, algorithm: 'beam' }, /algorithm "beam"/],
    ['nFeatures', { ...good, features: { ...good.features, nMfcc: 12 } }, /takes 39 features, the front end gives 36/],
  ];
  const nan = JSON.parse(JSON.stringify(good));
  const firstLeaf = (a: any[]): any[] => (Array.isArray(a[0]) ? firstLeaf(a[0]) : a);
  firstLeaf(nan.classifier.models[3].means)[0] = null;
  cases.push(['a mean is not finite', nan, /classifier: .*not a finite number/]);
  const short = JSON.parse(JSON.stringify(good));
  short.classifier.models.pop();
  cases.push(['models and labels disagree', short, /same length/]);
  for (const [what, doc, re] of cases) {
    assert.throws(() => Recognizer.fromJSON(typeof doc === 'string' ? doc : JSON.stringify(doc), { source: 'bad.json' }),
      (e: Error) => e instanceof ModelFormatError && e.message.startsWith('bad.json: ') && re.test(e.message), what);
  }
});

test('a 44.1 kHz stereo file is resampled and recognised as its 8 kHz original', () => {
  let same = 0;
  for (const u of test_.slice(0, 20)) {
    const hi = resample(u.samples, { origSr: 8000, targetSr: 44100 });
    const stereo = new Float32Array(2 * hi.length);
    for (let i = 0; i < hi.length; i++) { stereo[2 * i] = hi[i]!; stereo[2 * i + 1] = 0.8 * hi[i]!; }
    const w = decodeWav(encodeWav(stereo, 44100, { channels: 2 }));
    assert.is(w.sampleRate, 44100);
    const a = model.recognize(w.samples, w.sampleRate), b = model.recognize(u.samples, 8000);
    if (a.digit === b.digit) same++;
  }
  assert.ok(same >= 19, `${same}/20 recognised as the originals`);
  assert.throws(() => model.recognize(new Float32Array(0), 8000), (e: Error) => e instanceof ParameterError && /utterance 0/.test(e.message));
  assert.throws(() => model.recognize(test_[0]!.samples, -1), (e: Error) => e instanceof ParameterError && /sampleRate/.test(e.message));
});

test('enroll: MAP adaptation raises the enrolment speaker\'s likelihood; tau → ∞ changes nothing; unknown digits refused', () => {
  const george = readFsdd(join(sharedDir, 'data/fsdd')).filter((u) => u.speaker === 'george');
  const enrol = george.filter((u) => u.index >= 45 && u.index < 48);
  const rest = george.filter((u) => u.index < 45);
  const adapted = model.enroll(enrol, { tau: 10 });
  assert.equal(adapted.toJSON().enrolment, { utterances: 30, tau: 10 });
  let gain = 0;
  for (const u of rest.slice(0, 50)) {
    const before = model.recognize(u.samples, 8000).scores, after = adapted.recognize(u.samples, 8000).scores;
    const k = model.labels.indexOf(u.digit);
    gain += after[k]! - before[k]!;
  }
  assert.ok(gain > 0, `the true digit's log-likelihood rises on the speaker's other takes (sum ${gain})`);
  const frozen = model.enroll(enrol, { tau: 1e12 });
  const u = rest[0]!;
  const s0 = model.recognize(u.samples, 8000).scores, s1 = frozen.recognize(u.samples, 8000).scores;
  s0.forEach((v, i) => assert.ok(Math.abs(v - s1[i]!) < 1e-3 * Math.abs(v), `tau=1e12 keeps label ${i}`));
  assert.throws(() => model.enroll([{ samples: u.samples, sampleRate: 8000, digit: 12 }]), (e: Error) => e instanceof ParameterError && /digit 12/.test(e.message));
  assert.throws(() => model.enroll([]), (e: Error) => e instanceof ParameterError && /no utterances/.test(e.message));
});

test('endpointing drops leading and trailing silence: padding a file with silence changes little', () => {
  const u = test_[3]!;
  const padded = new Float32Array(u.samples.length + 8000);
  padded.set(u.samples, 4000);
  const a = recognizerFrames(u.samples, 8000, RECOGNIZER_FEATURES), b = recognizerFrames(padded, 8000, RECOGNIZER_FEATURES);
  assert.ok(Math.abs(a.rows - b.rows) <= 12, `frames ${a.rows} vs padded ${b.rows}`);
  const untrimmed = recognizerFrames(padded, 8000, { ...RECOGNIZER_FEATURES, trimDb: null });
  assert.ok(untrimmed.rows > b.rows + 80, 'without endpointing the silence stays');
  assert.is(model.recognize(padded, 8000).digit, model.recognize(u.samples, 8000).digit);
});

test('vtlnWarps: each utterance is scored at the warp whose best label scores highest; files without the field score at α = 1', () => {
  const j = model.toJSON();
  const warps = [0.9, 1, 1.1];
  const m = Recognizer.fromJSON({ ...j, features: { ...j.features, vtlnWarps: warps } });
  for (const u of test_.slice(0, 6)) {
    const r = m.recognize(u.samples, u.sampleRate);
    assert.ok(warps.includes(r.warp));
    const per = warps.map((a) => model.classifier.scores([model.frames(u.samples, 8000, a)], 'viterbi')[0]!);
    assert.equal(r.scores, per[warps.indexOf(r.warp)]);
    for (const s of per) assert.ok(Math.max(...r.scores) >= Math.max(...s));
  }
  const { vtlnWarps: _, ...old } = j.features;
  const legacy = Recognizer.fromJSON({ ...j, features: old });
  assert.is(legacy.features.vtlnWarps, null);
  assert.is(legacy.recognize(test_[0]!.samples, 8000).warp, 1);
  assert.throws(() => Recognizer.fromJSON({ ...j, features: { ...j.features, vtlnWarps: [] } }), (e: Error) => /vtlnWarps/.test(e.message));
});

test('training is deterministic for a seed', async () => {
  const slice = train.filter((u) => u.index < 8);
  const a = await trainRecognizer(slice, { recipe: { ...SMALL, speeds: [0.9, 1.1], vtlp: 0.1, noiseCopies: 1 }, seed: 4 });
  const b = await trainRecognizer(slice, { recipe: { ...SMALL, speeds: [0.9, 1.1], vtlp: 0.1, noiseCopies: 1 }, seed: 4 });
  assert.equal(a.recognizer.toJSON().classifier, b.recognizer.toJSON().classifier);
  await trainRecognizer([slice[0]!], { recipe: SMALL }).then(() => assert.unreachable('one digit cannot train'), (e: Error) => assert.ok(e instanceof ParameterError && /two digits/.test(e.message)));
});

test.run();
