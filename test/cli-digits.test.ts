/**
 * `speechcore digits` through the built CLI (node dist/cli.js; `npm run build` first): the seed's
 * own "one two three" recordings with the shipped recogniser, the documented --json, an
 * `hmm train` model, and one-line errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDir } from './helpers/shared.ts';
import { failsWith } from './helpers/cli.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../lab/models/recognizer.json', import.meta.url));
const ISO = join(sharedDir, 'data/isolated-digits');
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-cli-digits-'));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('digits FILE.wav... --json: one line per file, and {files: [{file, digits, words: [{digit, start, end, score}]}]}', () => {
  const files = ['onetwothree1.wav', 'onetwothree8.wav'].map((f) => join(ISO, f));
  const json = join(tmp, 'digits.json');
  const r = cli('digits', '--model', MODEL, ...files, '--json', json);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 2);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.is(j.files.length, 2);
  j.files.forEach((f: any, i: number) => {
    assert.is(f.file, files[i]);
    assert.is(f.sampleRate, 16000, 'the 16 kHz files were resampled to the 8 kHz model');
    assert.ok(/^[0-9]*$/.test(f.digits));
    assert.is(f.digits, f.words.map((w: any) => String(w.digit)).join(''));
    assert.ok(lines[i]!.startsWith(`${files[i]}\t${f.digits}\t`), lines[i]);
    let prevEnd = 0;
    for (const w of f.words) {
      assert.ok(w.start >= prevEnd - 1e-9 && w.end > w.start && w.end <= f.seconds + 0.02, `word times ${w.start}-${w.end} in order, inside ${f.seconds} s`);
      assert.ok(Number.isFinite(w.score) && w.confidence > 0 && w.confidence <= 1);
      prevEnd = w.end;
    }
  });
  // The issue's target for these two; onetwothree1's "two" is heard as "zero" by the shipped model
  // even on its own (README, "Connected digits"), so only the count of digits is asserted there.
  assert.is(j.files[1].digits, '123');
  assert.is(j.files[0].digits.length, 3);
});

test('digits with an `hmm train` model', () => {
  const model = join(tmp, 'hmm.json');
  const t = cli('hmm', 'train', '--data', join(sharedDir, 'data/fsdd'), '--split', join(sharedDir, 'data/fsdd-split.json'),
    '--n-states', '4', '--n-mix', '2', '--n-iter', '4', '--out', model);
  assert.is(t.status, 0, t.stderr);
  const r = cli('digits', '--model', model, join(ISO, 'onetwothree8.wav'));
  assert.is(r.status, 0, r.stderr);
  assert.ok(/\t[0-9]+\t/.test(r.stdout), r.stdout);
});

test('digits errors: one line naming the flag or file', () => {
  failsWith(cli('digits', join(ISO, 'onetwothree1.wav')), 2, '--model');
  failsWith(cli('digits', '--model', MODEL), 2, 'WAV');
  failsWith(cli('digits', '--model', join(tmp, 'missing.json'), join(ISO, 'onetwothree1.wav')), 'non-zero', 'missing.json');
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({ schema: 'something-else', version: 1 }));
  failsWith(cli('digits', '--model', bad, join(ISO, 'onetwothree1.wav')), 'non-zero', 'bad.json', 'schema');
  failsWith(cli('digits', '--model', MODEL, join(tmp, 'nothing.wav')), 'non-zero', 'nothing.wav');
  failsWith(cli('digits', '--model', MODEL, '--insertion-penalty', '-3', join(ISO, 'onetwothree1.wav')), 2, '--insertion-penalty');
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
