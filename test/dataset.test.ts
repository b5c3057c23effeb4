/**
 * Dataset discovery against the shared FSDD / isolated-digits folders and the lab split, plus
 * every DatasetError on temporary folders.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applySplit, listFsdd, listIsolatedDigits, loadSplit, resolveDataDir } from '../bindings/audio/dataset.ts';
import type { FsddUtterance, Split } from '../bindings/audio/dataset.ts';
import { DatasetError } from '../bindings/errors.ts';
import { sharedDir } from './helpers/shared.ts';

const FSDD_ROOT = join(sharedDir, 'data/fsdd');
const RECORDINGS = join(FSDD_ROOT, 'recordings');
const ISOLATED = join(sharedDir, 'data/isolated-digits');
const SPLIT = join(sharedDir, 'data/fsdd-split.json');

/** Run `fn` in a fresh temp folder (as cwd when `chdir`), restoring cwd and $SPEECHCORE_DATA. */
function inTemp(fn: (dir: string) => void, chdir = false): void {
  const dir = mkdtempSync(join(tmpdir(), 'speechcore-dataset-'));
  const cwd = process.cwd();
  const env = process.env['SPEECHCORE_DATA'];
  try {
    if (chdir) process.chdir(dir);
    fn(dir);
  } finally {
    process.chdir(cwd);
    if (env === undefined) delete process.env['SPEECHCORE_DATA'];
    else process.env['SPEECHCORE_DATA'] = env;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Expect a DatasetError whose message contains every `parts`. */
function fails(fn: () => unknown, ...parts: string[]): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, DatasetError);
    const msg = (e as Error).message;
    for (const p of parts) assert.ok(msg.includes(p), `"${msg}" should mention "${p}"`);
    return;
  }
  assert.unreachable(`expected DatasetError mentioning ${parts.join(', ')}`);
}

const touch = (dir: string, ...names: string[]) => {
  mkdirSync(dir, { recursive: true });
  for (const n of names) writeFileSync(join(dir, n), '');
};

// ---- resolveDataDir ------------------------------------------------------------------------------

test('resolveDataDir: an explicit root descends into recordings/; the wav folder itself is kept', () => {
  inTemp(() => {
    process.env['SPEECHCORE_DATA'] = '/nonexistent/ignored-when-dir-given';
    assert.is(resolveDataDir(FSDD_ROOT), RECORDINGS);
    assert.is(resolveDataDir(RECORDINGS), RECORDINGS);
  });
});

test('resolveDataDir: relative explicit paths resolve against cwd', () => {
  inTemp((dir) => {
    touch(join(dir, 'mine/recordings'));
    assert.is(resolveDataDir('mine'), join(resolve(dir), 'mine/recordings'));
  }, true);
});

test('resolveDataDir: $SPEECHCORE_DATA comes next, and a bad value is an error, not a fallback', () => {
  inTemp(() => {
    process.env['SPEECHCORE_DATA'] = FSDD_ROOT;
    assert.is(resolveDataDir(), RECORDINGS);
    process.env['SPEECHCORE_DATA'] = '/nonexistent/typo';
    fails(() => resolveDataDir(), '$SPEECHCORE_DATA', '/nonexistent/typo');
  });
});

test('resolveDataDir: ./data/fsdd, then ../shared/data/fsdd, relative to cwd', () => {
  inTemp((dir) => {
    delete process.env['SPEECHCORE_DATA'];
    const work = join(dir, 'main');
    touch(join(dir, 'shared/data/fsdd/recordings'), '0_a_0.wav');
    mkdirSync(work);
    process.chdir(work);
    assert.is(resolveDataDir(), join(resolve(dir), 'shared/data/fsdd/recordings'));
    touch(join(work, 'data/fsdd'), '0_a_0.wav'); // a bare folder of wavs, no recordings/
    assert.is(resolveDataDir(), join(resolve(work), 'data/fsdd'));
  });
});

test('resolveDataDir: nothing found names every path tried', () => {
  inTemp((dir) => {
    delete process.env['SPEECHCORE_DATA'];
    fails(() => resolveDataDir(), join(resolve(dir), 'data/fsdd'), join(resolve(dir), '../shared/data/fsdd'));
    fails(() => resolveDataDir(join(dir, 'nope')), join(dir, 'nope'), '--data');
    touch(dir, 'a-file');
    fails(() => resolveDataDir(join(dir, 'a-file')), 'a-file'); // a file is not a dataset folder
  }, true);
});

// ---- listFsdd ------------------------------------------------------------------------------------

test('listFsdd: 3000 recordings, 10 digits x 6 speakers x 50 takes, sorted by file name', () => {
  const utts = listFsdd(RECORDINGS);
  assert.is(utts.length, 3000);
  assert.equal(utts[0], { file: '0_george_0.wav', path: join(RECORDINGS, '0_george_0.wav'), digit: 0, speaker: 'george', index: 0 });
  // Code-unit order, as Python's sorted(): '_1' < '_10' < '_2'.
  assert.equal(utts.slice(0, 4).map((u) => u.file), ['0_george_0.wav', '0_george_1.wav', '0_george_10.wav', '0_george_11.wav']);
  assert.is(utts[2999]!.file, '9_yweweler_9.wav');
  for (let i = 1; i < utts.length; i++) assert.ok(utts[i - 1]!.file < utts[i]!.file);
  const count = (key: (u: FsddUtterance) => string | number) => {
    const m = new Map<string | number, number>();
    for (const u of utts) m.set(key(u), (m.get(key(u)) ?? 0) + 1);
    return m;
  };
  assert.equal([...count((u) => u.digit).values()], Array(10).fill(300));
  assert.equal([...count((u) => u.speaker).keys()].sort(), ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler']);
  assert.equal([...count((u) => u.speaker).values()], Array(6).fill(500));
  assert.ok(utts.every((u) => u.index >= 0 && u.index < 50));
  const seven = utts.find((u) => u.file === '7_theo_12.wav')!;
  assert.equal([seven.digit, seven.speaker, seven.index], [7, 'theo', 12]);
});

test('listFsdd: the dataset root works too (descends into recordings/)', () => {
  assert.is(listFsdd(FSDD_ROOT).length, 3000);
});

test('listFsdd: non-matching files are ignored', () => {
  inTemp((dir) => {
    touch(dir, '3_theo_2.wav', '1_ann_10.wav', 'README.md', 'foo.wav', '12_theo_1.wav', '3_theo_x.wav', '3_theo_2.wav.bak');
    assert.equal(listFsdd(dir).map((u) => u.file), ['1_ann_10.wav', '3_theo_2.wav']);
  });
});

test('listFsdd: missing folder or no FSDD names is a DatasetError naming the folder', () => {
  inTemp((dir) => {
    fails(() => listFsdd(join(dir, 'missing')), join(dir, 'missing'), 'does not exist');
    touch(dir, 'eight1.wav', 'notes.txt');
    fails(() => listFsdd(dir), dir, 'no {digit}_{speaker}_{index}.wav');
  });
});

// ---- listIsolatedDigits --------------------------------------------------------------------------

test('listIsolatedDigits: 133 wavs from the root (digits/ inside) or the folder; onetwothree*.wav ignored', () => {
  const fromRoot = listIsolatedDigits(ISOLATED);
  const fromDir = listIsolatedDigits(join(ISOLATED, 'digits'));
  assert.is(fromRoot.length, 133);
  assert.equal(fromRoot, fromDir);
  assert.ok(fromRoot.every((u) => !u.file.startsWith('onetwothree')));
  const e13 = fromRoot.find((u) => u.file === 'eight13.wav')!;
  assert.equal(e13, { file: 'eight13.wav', path: join(ISOLATED, 'digits', 'eight13.wav'), digit: 8, word: 'eight', speaker: 13 });
  // The shared set has no "zero" recordings, and nine words with 14-15 speakers each.
  const digits = new Set(fromRoot.map((u) => u.digit));
  assert.equal([...digits].sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(fromRoot.every((u) => u.speaker >= 1 && u.speaker <= 15));
  for (let i = 1; i < fromRoot.length; i++) assert.ok(fromRoot[i - 1]!.file < fromRoot[i]!.file);
});

test('listIsolatedDigits: parses every word; rejects compounds and missing numbers', () => {
  inTemp((dir) => {
    touch(dir, 'zero3.wav', 'Nine10.wav', 'onetwothree1.wav', 'one.wav', 'ten4.wav', 'two5.txt');
    assert.equal(
      listIsolatedDigits(dir).map((u) => [u.file, u.digit, u.word, u.speaker]),
      [['Nine10.wav', 9, 'nine', 10], ['zero3.wav', 0, 'zero', 3]],
    );
  });
});

test('listIsolatedDigits: no matching wavs is a DatasetError', () => {
  inTemp((dir) => {
    touch(dir, 'onetwothree1.wav');
    fails(() => listIsolatedDigits(dir), dir, 'eight13.wav');
    fails(() => listIsolatedDigits(join(dir, 'nope')), 'does not exist');
  });
});

// ---- loadSplit / applySplit ----------------------------------------------------------------------

test('loadSplit: the lab split has 2160 / 540 / 300 disjoint files', () => {
  const split = loadSplit(SPLIT);
  assert.equal([split.train.length, split.val.length, split.test.length], [2160, 540, 300]);
  assert.is(new Set([...split.train, ...split.val, ...split.test]).size, 3000);
  assert.is(split.train[0], '0_lucas_18.wav'); // file order kept, not re-sorted
});

test('applySplit: FSDD utterances in split order; test set = takes 0-4 of every digit and speaker', () => {
  const split = loadSplit(SPLIT);
  const parts = applySplit(listFsdd(RECORDINGS), split);
  assert.equal(parts.train.map((u) => u.file), split.train);
  assert.equal(parts.val.map((u) => u.file), split.val);
  assert.equal(parts.test.map((u) => u.file), split.test);
  assert.ok(parts.test.every((u) => u.index < 5));
  assert.ok([...parts.train, ...parts.val].every((u) => u.index >= 5));
  // Stratified by digit: val holds 54 of each digit.
  for (let d = 0; d < 10; d++) assert.is(parts.val.filter((u) => u.digit === d).length, 54);
});

test('applySplit: a file the split names but the folder lacks is a DatasetError naming it', () => {
  const utts = listFsdd(RECORDINGS).filter((u) => u.file !== '4_theo_17.wav');
  fails(() => applySplit(utts, loadSplit(SPLIT)), '4_theo_17.wav');
  const tiny: Split = { train: ['a.wav'], val: [], test: ['b.wav'] };
  fails(() => applySplit([{ file: 'a.wav' }], tiny), 'split "test"', 'b.wav');
});

const badSplits: [string, string, string[]][] = [
  ['not JSON', '{"train": [', ['is not valid JSON']],
  ['not an object', '["a.wav"]', ['is not a JSON object']],
  ['null', 'null', ['is not a JSON object']],
  ['missing val', '{"train": ["a.wav"], "test": []}', ['"val" is missing']],
  ['test not an array', '{"train": [], "val": [], "test": "b.wav"}', ['"test" is missing or not an array']],
  ['non-string entry', '{"train": ["a.wav", 3], "val": [], "test": []}', ['"train"[1] is 3']],
  ['empty name', '{"train": [], "val": [""], "test": []}', ['"val"[0]']],
  ['duplicate across subsets', '{"train": ["a.wav"], "val": [], "test": ["a.wav"]}', ['"a.wav"', 'both "train" and "test"']],
  ['duplicate within a subset', '{"train": ["a.wav", "a.wav"], "val": [], "test": []}', ['both "train" and "train"']],
  ['counts disagree', '{"counts": {"train": 2}, "train": ["a.wav"], "val": [], "test": []}', ['"counts.train" is 2', 'lists 1']],
  ['counts not an object', '{"counts": 5, "train": [], "val": [], "test": []}', ['"counts" is not an object']],
];

for (const [name, text, parts] of badSplits) {
  test(`loadSplit rejects: ${name}`, () => {
    inTemp((dir) => {
      const path = join(dir, 'split.json');
      writeFileSync(path, text);
      fails(() => loadSplit(path), `split file ${path}`, ...parts);
    });
  });
}

test('loadSplit rejects: a missing file, naming it', () => {
  inTemp((dir) => fails(() => loadSplit(join(dir, 'none.json')), join(dir, 'none.json'), 'cannot be read', 'ENOENT'));
});

test.run();
