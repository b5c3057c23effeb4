/**
 * `speechcore train` and `speechcore recognize` through the built CLI (node dist/cli.js), on a
 * small split of FSDD with a small recipe (`--recipe`, `--tts none`: CI has no flite): the model
 * file and --json outputs as documented, recognition of files (any rate) and of a subset, the
 * one-line errors; and `hmm eval` on 16 kHz copies of 8 kHz data (resampled, no longer refused).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDir } from './helpers/shared.ts';
import { failsWith } from './helpers/cli.ts';
import { decodeWav, encodeWav, listFsdd, resample } from '../bindings/index.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const DATA = join(sharedDir, 'data/fsdd');
const ISOLATED = join(sharedDir, 'data/isolated-digits');
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-cli-recognize-'));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const SMALL = JSON.stringify({ speeds: [1], vtlp: 0, nStates: 5, nMix: 1, nIter: 5 });

// Two speakers: takes 10–29 train, 30–34 val, 0–4 test.
const utts = listFsdd(DATA).filter((u) => u.speaker === 'jackson' || u.speaker === 'theo');
const split = {
  train: utts.filter((u) => u.index >= 10 && u.index < 30).map((u) => u.file),
  val: utts.filter((u) => u.index >= 30 && u.index < 35).map((u) => u.file),
  test: utts.filter((u) => u.index < 5).map((u) => u.file),
};
const SPLIT = join(tmp, 'split.json');
writeFileSync(SPLIT, JSON.stringify(split));
const MODEL = join(tmp, 'recognizer.json');

test('train writes a versioned model file and the documented --json', () => {
  const out = join(tmp, 'train.json');
  const r = cli('train', '--data', DATA, '--split', SPLIT, '--out', MODEL, '--json', out, '--tts', 'none', '--recipe', SMALL, '--seed', '3');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /training on 400 recordings .* synthetic voices: none; validating on 100/);
  assert.match(r.stdout, /val accuracy 0\.\d{4}; wrote .*recognizer\.json \(\d+ KB\); total \d+\.\d s/);
  const m = JSON.parse(readFileSync(MODEL, 'utf8'));
  assert.is(m.schema, 'speechcore-recognizer');
  assert.is(m.version, 1);
  assert.equal(m.features, { sampleRate: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, cmvn: 'mean-variance', trimDb: 30, vtlnWarps: null });
  assert.is(m.training.seed, 3);
  assert.is(m.training.tts, 'none');
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(j.valAccuracy > 0.8 && j.valAccuracy <= 1, `val accuracy ${j.valAccuracy}`);
  assert.is(j.nTrain, 400);
  assert.is(j.nSynthetic, 0);
  assert.ok(j.seconds.wall > 0 && j.seconds.fit > 0 && j.seconds.augment > 0);
  assert.is(j.modelBytes, readFileSync(MODEL).length);
});

test('recognize FILE.wav...: one digit per file, at any rate and channel count; --json with scores', () => {
  const files = utts.filter((u) => u.index === 1).slice(0, 4).map((u) => u.path);
  // The first file again as 44.1 kHz stereo.
  const y = decodeWav(readFileSync(files[0]!)).samples;
  const hi = resample(y, { origSr: 8000, targetSr: 44100 });
  const st = new Float32Array(2 * hi.length);
  hi.forEach((v, i) => { st[2 * i] = v; st[2 * i + 1] = v; });
  const stereo = join(tmp, 'stereo-44k.wav');
  writeFileSync(stereo, encodeWav(st, 44100, { channels: 2 }));
  const out = join(tmp, 'files.json');
  const r = cli('recognize', '--model', MODEL, ...files, stereo, '--json', out);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 5);
  lines.forEach((l, i) => assert.match(l, new RegExp(`^${[...files, stereo][i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\t\\d$`)));
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.is(j.files.length, 5);
  for (const f of j.files) {
    assert.ok(Number.isInteger(f.digit) && f.scores.length === 10 && f.scores.every(Number.isFinite));
    assert.is(f.digit, f.scores.indexOf(Math.max(...f.scores)));
  }
  assert.is(j.files[4].sampleRate, 44100);
  assert.is(j.files[4].digit, j.files[0].digit, 'the 44.1 kHz stereo copy is heard as its original');
});

test('recognize --data --split --subset test: accuracy, n, confusion and files; an isolated-digits folder needs no split', () => {
  const out = join(tmp, 'eval.json');
  const r = cli('recognize', '--model', MODEL, '--data', DATA, '--split', SPLIT, '--subset', 'test', '--json', out);
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.is(j.n, 100);
  const trace = j.confusion.reduce((s: number, row: number[], i: number) => s + row[i]!, 0);
  assert.is(j.confusion.flat().reduce((a: number, b: number) => a + b, 0), 100);
  assert.is(j.accuracy, trace / 100);
  assert.ok(j.accuracy > 0.8, `test accuracy ${j.accuracy}`);
  assert.is(j.files.length, 100);
  assert.is(j.files.filter((f: any) => f.digit === f.truth).length, trace);
  assert.match(r.stdout, /accuracy [01]\.\d{4} \(100 utterances; recognition \d+\.\d\d ms per utterance/);
  const iso = join(tmp, 'iso.json');
  const s = cli('recognize', '--model', MODEL, '--data', ISOLATED, '--json', iso);
  assert.is(s.status, 0, s.stderr);
  const k = JSON.parse(readFileSync(iso, 'utf8'));
  assert.is(k.n, 133);
  assert.is(k.split, null);
});

test('train/recognize errors: one line naming the flag or file', () => {
  failsWith(cli('recognize', 'x.wav'), 2, '--model');
  failsWith(cli('recognize', '--model', MODEL), 2, 'WAV files');
  failsWith(cli('recognize', '--model', MODEL, '--data', DATA, 'x.wav'), 2, 'not both');
  failsWith(cli('recognize', '--model', MODEL, '--data', DATA, '--split', SPLIT, '--subset', 'dev'), 2, '--subset=dev');
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(MODEL, 'utf8')), version: 2 }));
  failsWith(cli('recognize', '--model', bad, 'x.wav'), 1, 'ModelFormatError', bad, 'version 2');
  failsWith(cli('recognize', '--model', join(tmp, 'none.json'), 'x.wav'), 1, 'none.json', 'cannot be read');
  failsWith(cli('recognize', '--model', MODEL, join(tmp, 'missing.wav')), 1, 'missing.wav');
  writeFileSync(join(tmp, 'silent.wav'), encodeWav(new Float32Array(4000), 8000));
  failsWith(cli('recognize', '--model', MODEL, join(tmp, 'silent.wav')), 1, 'ParameterError', 'silent.wav', 'silent');
  writeFileSync(join(tmp, 'click.wav'), encodeWav(Float32Array.from({ length: 40 }, (_, i) => (i === 20 ? 0.9 : 0)), 8000));
  failsWith(cli('recognize', '--model', MODEL, join(tmp, 'click.wav')), 1, 'ParameterError', 'click.wav', 'frames of speech');
  writeFileSync(join(tmp, 'text.wav'), 'hello');
  failsWith(cli('recognize', '--model', MODEL, join(tmp, 'text.wav')), 1, 'WavFormatError', 'text.wav');
  failsWith(cli('train', '--data', DATA, '--split', SPLIT), 2, '--out');
  failsWith(cli('train', '--data', DATA, '--split', SPLIT, '--out', join(tmp, 'x.json'), '--recipe', '{nope'), 2, '--recipe');
  failsWith(cli('train', '--data', DATA, '--split', SPLIT, '--out', join(tmp, 'x.json'), '--tts', 'espeak'), 2, '--tts=espeak');
  failsWith(cli('train', '--data', DATA, '--split', SPLIT, '--out', join(tmp, 'x.json'), '--recipe', '{"nStates":0}'), 1, 'nStates');
  failsWith(cli('train', '--data', ISOLATED, '--out', join(tmp, 'x.json')), 2, 'split');
});

test('hmm eval resamples data at another rate to the model\'s (16 kHz copies of the 8 kHz test files)', () => {
  const model = join(tmp, 'hmm.json');
  const t = cli('hmm', 'train', '--data', DATA, '--split', SPLIT, '--n-states', '3', '--n-mix', '1', '--covariance-type', 'diag', '--n-iter', '5', '--out', model);
  assert.is(t.status, 0, t.stderr);
  const hi = join(tmp, 'fsdd16k', 'recordings');
  mkdirSync(hi, { recursive: true });
  for (const u of utts.filter((u) => [...split.train, ...split.val, ...split.test].includes(u.file))) {
    const y = decodeWav(readFileSync(u.path)).samples;
    writeFileSync(join(hi, u.file), encodeWav(resample(y, { origSr: 8000, targetSr: 16000, resType: 'kaiser_best' }), 16000));
  }
  const a = join(tmp, 'e8.json'), b = join(tmp, 'e16.json');
  assert.is(cli('hmm', 'eval', '--model', model, '--data', DATA, '--split', SPLIT, '--subset', 'test', '--json', a).status, 0);
  const r = cli('hmm', 'eval', '--model', model, '--data', join(tmp, 'fsdd16k'), '--split', SPLIT, '--subset', 'test', '--json', b);
  assert.is(r.status, 0, r.stderr);
  const x = JSON.parse(readFileSync(a, 'utf8')).accuracy, y = JSON.parse(readFileSync(b, 'utf8')).accuracy;
  assert.ok(Math.abs(x - y) <= 0.05, `8 kHz ${x}, 16 kHz copies ${y}`);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
