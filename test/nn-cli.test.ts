/**
 * `speechcore lstm train|eval` and `speechcore seq2seq` through the built CLI (node dist/cli.js;
 * `npm run build` first), on a small slice of the real FSDD split so it runs in seconds: the
 * documented JSON shapes, a save → eval round trip, checkpoints, and one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDir } from './helpers/shared.ts';
import { failsWith } from './helpers/cli.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const DATA = join(sharedDir, 'data/fsdd');
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-cli-lstm-'));
const split = JSON.parse(readFileSync(join(sharedDir, 'data/fsdd-split.json'), 'utf8'));
const SPLIT = join(tmp, 'small-split.json');
// Every 20th file of each subset: 108 / 27 / 15 utterances, all ten digits.
const every = (xs: string[], k: number) => xs.filter((_, i) => i % k === 0);
writeFileSync(SPLIT, JSON.stringify({ train: every(split.train, 20), val: every(split.val, 20), test: every(split.test, 20) }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

const Cli = suite('cli: lstm, seq2seq');
Cli.after(() => rmSync(tmp, { recursive: true, force: true }));

Cli('lstm train writes the documented JSON, saves a model that lstm eval reads back, and checkpoints', () => {
  const json = join(tmp, 'train.json'), model = join(tmp, 'model.json'), ckpt = join(tmp, 'ckpt');
  const r = cli('lstm', 'train', '--data', DATA, '--split', SPLIT, '--bidirectional', '--hidden', '8', '--epochs', '3', '--patience', '2',
    '--batch-size', '16', '--checkpoint', ckpt, '--save', model, '--profile', '--json', json);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /epoch +1 +train loss/);
  assert.match(r.stderr, /forward .* ms median/);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  for (const k of ['epochs', 'bestEpoch', 'valAccuracy', 'testAccuracy']) assert.ok(isNum(j[k]), k);
  assert.is(j.confusionVal.flat().reduce((a: number, b: number) => a + b, 0), 27);
  assert.is(j.confusionTest.flat().reduce((a: number, b: number) => a + b, 0), 15);
  assert.is(j.history.trainLoss.length, j.epochs);
  assert.is(j.history.valLoss.length, j.epochs);
  assert.is(j.history.valAccuracy.length, j.epochs);
  for (const k of ['forwardMs', 'backwardMs', 'stepMs', 'epochSeconds']) assert.ok(isNum(j.timing[k].median) && isNum(j.timing[k].p90), k);
  assert.equal(readdirSync(ckpt).sort(), ['best.json', 'state.json']);

  const ev = cli('lstm', 'eval', '--model', model, '--data', DATA, '--split', SPLIT, '--subset', 'test', '--json', join(tmp, 'eval.json'));
  assert.is(ev.status, 0, ev.stderr);
  const e = JSON.parse(readFileSync(join(tmp, 'eval.json'), 'utf8'));
  assert.is(e.accuracy, j.testAccuracy);
});

Cli('seq2seq writes {testMse, epochs}', () => {
  const json = join(tmp, 's2s.json');
  const r = cli('seq2seq', '--cell', 'gru', '--epochs', '3', '--json', json);
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.ok(isNum(j.testMse) && j.testMse > 0);
  assert.is(j.epochs, 3);
  assert.equal(j.sizes, { train: 322, val: 28, test: 150 });
});

Cli('errors are one line with the right exit status', () => {
  failsWith(cli('lstm', 'train', '--data', DATA, '--split', SPLIT), 2, '--json OUT is required');
  failsWith(cli('lstm', 'train', '--data', DATA, '--split', SPLIT, '--batching', 'ragged', '--json', join(tmp, 'x.json')), 2, '--batching=ragged');
  failsWith(cli('lstm', 'train', '--data', DATA, '--split', SPLIT, '--dropout', '1', '--json', join(tmp, 'x.json')), 2, '--dropout=1');
  failsWith(cli('lstm', 'frobnicate'), 2, "unknown subcommand 'frobnicate'");
  failsWith(cli('seq2seq', '--cell', 'tcn', '--json', join(tmp, 'x.json')), 2, '--cell=tcn');
  writeFileSync(join(tmp, 'broken.json'), '{"format": "speechcore.SequenceClassifier", "version": 1, "config": {');
  failsWith(cli('lstm', 'eval', '--model', join(tmp, 'broken.json'), '--data', DATA, '--split', SPLIT), 1, 'ModelFormatError', 'broken.json', 'truncated or corrupt');
  // A checkpoint path under a regular file cannot be created, even by root.
  failsWith(cli('lstm', 'train', '--data', DATA, '--split', SPLIT, '--hidden', '4', '--epochs', '1', '--checkpoint', join(tmp, 'broken.json', 'c'), '--json', join(tmp, 'x.json')),
    1, 'checkpoint directory', 'not writable');
  if (process.getuid?.() !== 0) {
    const ro = join(tmp, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    failsWith(cli('lstm', 'train', '--data', DATA, '--split', SPLIT, '--hidden', '4', '--epochs', '1', '--checkpoint', join(ro, 'c'), '--json', join(tmp, 'x.json')),
      1, 'checkpoint directory', 'not writable');
    chmodSync(ro, 0o700);
  }
});

Cli.run();
