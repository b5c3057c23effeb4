/**
 * Lab steps 2–6: strict parsing of the isolated-digits folder (bad names, empty folders, short
 * utterances), per-utterance vectors, correlation matrices against a naive computation, the
 * histograms, and PCA on the shared digits against the lab's figures.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeWav } from '../bindings/audio/wav.ts';
import { loadIsolatedDigits, parseDigitName, resolveDigitsDir } from '../lab/src/analysis/digits.ts';
import { featureNames, frameFeatures, utteranceVector } from '../lab/src/analysis/features.ts';
import { correlationMatrix, correlationPairs, meanAbsOffDiagonal, mfccHistograms, pcaSummary, utteranceMatrix } from '../lab/src/analysis/inspect.ts';
import { DatasetError, ParameterError } from 'speechcore';
import { sharedDir } from './helpers/shared.ts';

const DIGITS = join(sharedDir, 'data/isolated-digits');
const utts = loadIsolatedDigits(DIGITS);

test('step 2: every wav parsed into digit, word, speaker, samples', () => {
  assert.is(utts.length, 133);
  const u = utts.find((x) => x.file === 'eight13.wav')!;
  assert.equal([u.digit, u.word, u.speaker, u.sr], [8, 'eight', 13, 16000]);
  assert.ok(u.samples.length > 8000);
  assert.equal(parseDigitName('Seven2.WAV'), { digit: 7, word: 'seven', speaker: 2 });
  assert.is(parseDigitName('onetwothree1.wav'), null);
  assert.is(resolveDigitsDir(DIGITS), DIGITS);
});

test('bad input: a name that does not parse, a folder with no wavs, a too-short utterance', () => {
  const dir = mkdtempSync(join(tmpdir(), 'speechcore-digits-'));
  try {
    assert.throws(() => loadIsolatedDigits(dir), (e: Error) => e instanceof DatasetError && /has no \.wav files/.test(e.message));
    copyFileSync(join(DIGITS, 'digits/eight1.wav'), join(dir, 'eight1.wav'));
    writeFileSync(join(dir, 'ate1.wav'), 'x');
    assert.throws(() => loadIsolatedDigits(dir), (e: Error) => e instanceof DatasetError && e.message.includes(join(dir, 'ate1.wav')) && /does not parse/.test(e.message));
    assert.throws(() => loadIsolatedDigits(join(dir, 'nope')), (e: Error) => /does not exist/.test(e.message));
    const short = new Float32Array(300).fill(0.1);
    assert.throws(() => frameFeatures(short, { sr: 16000, file: 'one9.wav' }), (e: Error) => e instanceof DatasetError && /one9\.wav: 300 samples is shorter than one 400-sample window \(25 ms at 16000 Hz\)/.test(e.message));
    mkdirSync(join(dir, 'ok'));
    writeFileSync(join(dir, 'ok', 'two3.wav'), encodeWav(short, 16000));
    assert.throws(() => utteranceMatrix(loadIsolatedDigits(join(dir, 'ok'))), (e: Error) => /two3\.wav: 300 samples/.test(e.message));
    assert.throws(() => utteranceVector(short, { sr: 16000, features: 'mfcc+pitch' as 'mfcc' }), (e: Error) => e instanceof ParameterError && /features="mfcc\+pitch"/.test(e.message));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('steps 3 and 5: 39 features per frame (25 ms / 10 ms), 78 per utterance (80 with zcr)', () => {
  const u = utts[0];
  const f = frameFeatures(u.samples, { sr: 16000 });
  assert.is(f.cols, 39);
  assert.is(f.rows, 1 + Math.floor(u.samples.length / 160));
  const v = utteranceVector(u.samples, { sr: 16000 });
  assert.is(v.length, 78);
  // Means then population standard deviations of the frame features.
  let m = 0, s = 0;
  for (let r = 0; r < f.rows; r++) m += f.data[r * 39] / f.rows;
  for (let r = 0; r < f.rows; r++) s += (f.data[r * 39] - m) ** 2 / f.rows;
  assert.ok(Math.abs(v[0] - m) < 1e-4 && Math.abs(v[39] - Math.sqrt(s)) < 1e-4);
  const z = utteranceVector(u.samples, { sr: 16000, features: 'mfcc+zcr' });
  assert.is(z.length, 80);
  assert.ok(z[78] > 0 && z[78] < 1);
  assert.equal(featureNames(13, 'mfcc+zcr').slice(-2), ['mean zcr', 'std zcr']);
  assert.is(featureNames()[39], 'std mfcc1');
});

test('step 4: correlation matrices (naive oracle), MFSC more correlated than MFCC, histograms', () => {
  const m = { data: Float32Array.from([1, 2, 0, 2, 4, 1, 3, 6, 0, 4, 8, 1]), rows: 4, cols: 3 };
  const c = correlationMatrix(m);
  assert.ok(Math.abs(c[0][1] - 1) < 1e-9);
  const col = (j: number) => [0, 1, 2, 3].map((r) => m.data[r * 3 + j]);
  const pearson = (a: number[], b: number[]) => {
    const ma = a.reduce((x, y) => x + y) / a.length, mb = b.reduce((x, y) => x + y) / b.length;
    const n = a.reduce((x, _, i) => x + (a[i] - ma) * (b[i] - mb), 0);
    return n / Math.sqrt(a.reduce((x, v) => x + (v - ma) ** 2, 0) * b.reduce((x, v) => x + (v - mb) ** 2, 0));
  };
  assert.ok(Math.abs(c[0][2] - pearson(col(0), col(2))) < 1e-9);
  assert.ok(Math.abs(c[2][0] - c[0][2]) < 1e-15);
  assert.is(meanAbsOffDiagonal([[1, 0.5], [-0.5, 1]]), 0.5);
  const pairs = correlationPairs(utts, [3, 8], [1, 2]);
  assert.equal(pairs.map((p) => p.file), ['three1.wav', 'three2.wav', 'eight1.wav', 'eight2.wav']);
  for (const p of pairs) {
    assert.is(p.mfsc.length, 13);
    assert.ok(p.mfscMeanAbs > 0.7 && p.mfccMeanAbs < 0.5 && p.mfscMeanAbs > p.mfccMeanAbs + 0.3, `${p.file}: ${p.mfscMeanAbs} vs ${p.mfccMeanAbs}`);
  }
  assert.throws(() => correlationPairs(utts, [3], [99]), /no utterance of digit 3 by speaker 99/);
  const h = mfccHistograms(utts, [3, 8]);
  assert.equal(h.map((x) => [x.word, x.coefficient]), [['three', 0], ['three', 1], ['eight', 0], ['eight', 1]]);
  const frames = utts.filter((u) => u.digit === 3).reduce((a, u) => a + frameFeatures(u.samples, { sr: u.sr }).rows, 0);
  assert.is(h[0].values.length, frames);
});

test('step 6: PCA of the raw vectors reproduces the lab (71% / 82%, 8–9 components for 95%)', () => {
  const { X } = utteranceMatrix(utts);
  const p = pcaSummary(X);
  assert.ok(Math.abs(p.two - 0.71) < 0.01, `2 components: ${p.two}`);
  assert.ok(Math.abs(p.three - 0.82) < 0.01, `3 components: ${p.three}`);
  assert.ok(p.for95 >= 8 && p.for95 <= 9, `for 95%: ${p.for95}`);
  assert.is(p.projection[0].length, 3);
  const s = pcaSummary(X, true);
  assert.ok(s.two < 0.3 && s.for95 > 30, 'standardised vectors spread the variance');
});

test.run();
