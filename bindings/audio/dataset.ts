/**
 * Dataset discovery: where the data lives (DESIGN.md §4), which utterances a folder holds, and
 * the fixed train/val/test split the lab's numbers are reported on.
 *
 * Listings are sorted by file name in code-unit order, the order Python's `sorted` gives, because
 * the split file was built from that order.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.ts';

/** One Free Spoken Digit Dataset recording, `{digit}_{speaker}_{index}.wav`. */
export interface FsddUtterance {
  /** File name, e.g. `3_theo_12.wav`. */
  file: string;
  /** `dir` joined with `file`. */
  path: string;
  /** Spoken digit, int in [0, 9]. */
  digit: number;
  /** Speaker name, e.g. `theo`. */
  speaker: string;
  /** Take number of this digit by this speaker, int >= 0. */
  index: number;
}

/** One isolated-digit recording, `{word}{speaker}.wav` (e.g. `eight13.wav`). */
export interface IsolatedDigitUtterance {
  /** File name, e.g. `eight13.wav`. */
  file: string;
  /** Folder joined with `file`. */
  path: string;
  /** Spoken digit, int in [0, 9]. */
  digit: number;
  /** The digit as the file spells it: `zero` ... `nine`. */
  word: string;
  /** Speaker number, int >= 0. */
  speaker: number;
}

/** File names per subset, in the split file's order. */
export interface Split {
  train: string[];
  val: string[];
  test: string[];
}

const SUBSETS = ['train', 'val', 'test'] as const;
/** The words FSDD's speakers say for 0–9. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const FSDD_NAME = /^(\d)_([^_]+)_(\d+)\.wav$/i;
const ISOLATED_NAME = /^(zero|one|two|three|four|five|six|seven|eight|nine)(\d+)\.wav$/i;

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** A dataset root holding `sub/` stands for that subfolder (FSDD ships wavs in `recordings/`). */
function descend(dir: string, sub: string): string {
  const inner = join(dir, sub);
  return isDir(inner) ? inner : dir;
}

function readNames(dir: string, what: string): string[] {
  if (!isDir(dir)) throw new DatasetError(`${what} folder ${dir} does not exist or is not a directory`);
  return readdirSync(dir);
}

/**
 * Find the folder of FSDD wavs.
 *
 * Tries, in order: `dir` if given, else `$SPEECHCORE_DATA` if set, else `./data/fsdd`, else
 * `../shared/data/fsdd` (both relative to the working directory). An explicit `dir` or a set
 * `$SPEECHCORE_DATA` is final: a typo there fails rather than silently falling back to another
 * dataset. A root containing `recordings/` resolves to that subfolder.
 *
 * @param dir - dataset root or the folder of wavs itself; relative paths resolve against cwd.
 * @returns absolute path of the folder holding the wavs (not checked for wavs; see {@link listFsdd}).
 * @throws DatasetError naming every path tried when none is a directory.
 * @example
 * const utts = listFsdd(resolveDataDir(args.data));
 */
export function resolveDataDir(dir?: string): string {
  const env = process.env['SPEECHCORE_DATA'];
  let candidates: string[];
  if (dir !== undefined && dir !== '') candidates = [dir];
  else if (env !== undefined && env !== '') candidates = [env];
  else candidates = ['data/fsdd', '../shared/data/fsdd'];
  for (const c of candidates) {
    const abs = resolve(c);
    if (isDir(abs)) return descend(abs, 'recordings');
  }
  const source = dir ? '--data' : env ? '$SPEECHCORE_DATA' : 'default locations';
  throw new DatasetError(
    `no dataset folder found (${source}); tried ${candidates.map((c) => resolve(c)).join(', ')}`,
  );
}

/**
 * List the FSDD recordings in a folder.
 *
 * @param dir - folder of `{digit}_{speaker}_{index}.wav` files, or a root with `recordings/` inside.
 * @returns utterances sorted by file name (code-unit order); other files are ignored.
 * @throws DatasetError if the folder is missing or holds no FSDD-named wav.
 */
export function listFsdd(dir: string): FsddUtterance[] {
  const folder = descend(dir, 'recordings');
  const out: FsddUtterance[] = [];
  for (const file of readNames(folder, 'FSDD')) {
    const m = FSDD_NAME.exec(file);
    if (!m) continue;
    out.push({ file, path: join(folder, file), digit: Number(m[1]), speaker: m[2]!, index: Number(m[3]) });
  }
  if (out.length === 0) {
    throw new DatasetError(`FSDD folder ${folder} has no {digit}_{speaker}_{index}.wav files`);
  }
  return out.sort(byFile);
}

/**
 * List isolated-digit recordings (`eight13.wav`: digit word + speaker number).
 *
 * @param dir - the folder of wavs, or a root with `digits/` inside.
 * @returns utterances sorted by file name (code-unit order); names that are not one digit word
 *   followed by a number (e.g. `onetwothree1.wav`) are ignored.
 * @throws DatasetError if the folder is missing or holds no such wav.
 */
export function listIsolatedDigits(dir: string): IsolatedDigitUtterance[] {
  const folder = descend(dir, 'digits');
  const out: IsolatedDigitUtterance[] = [];
  for (const file of readNames(folder, 'isolated-digits')) {
    const m = ISOLATED_NAME.exec(file);
    if (!m) continue;
    const word = m[1]!.toLowerCase();
    out.push({ file, path: join(folder, file), digit: DIGIT_WORDS.indexOf(word), word, speaker: Number(m[2]) });
  }
  if (out.length === 0) {
    throw new DatasetError(`isolated-digits folder ${folder} has no {word}{speaker}.wav files (e.g. eight13.wav)`);
  }
  return out.sort(byFile);
}

/**
 * Read a split file: a JSON object with `train`, `val` and `test` arrays of file names, and
 * optionally `counts` giving their lengths (checked when present).
 *
 * @param path - e.g. `../shared/data/fsdd-split.json`.
 * @returns the three lists, in file order.
 * @throws DatasetError naming the file and the problem: unreadable, not JSON, a subset missing
 *   or not an array of non-empty strings, a name listed twice, or counts that disagree.
 */
export function loadSplit(path: string): Split {
  const fail = (problem: string): never => {
    throw new DatasetError(`split file ${path}: ${problem}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('is not a JSON object');
  const obj = json as Record<string, unknown>;
  const seen = new Map<string, string>();
  const split = {} as Split;
  for (const name of SUBSETS) {
    const list = obj[name];
    if (!Array.isArray(list)) return fail(`"${name}" is missing or not an array`);
    list.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry === '') fail(`"${name}"[${i}] is ${JSON.stringify(entry)}, not a file name`);
      const first = seen.get(entry as string);
      if (first !== undefined) fail(`"${entry}" is listed in both "${first}" and "${name}"`);
      seen.set(entry as string, name);
    });
    split[name] = list as string[];
  }
  if (obj['counts'] !== undefined) {
    const counts = obj['counts'] as Record<string, unknown> | null;
    if (typeof counts !== 'object' || counts === null) return fail('"counts" is not an object');
    for (const name of SUBSETS) {
      if (counts[name] !== undefined && counts[name] !== split[name].length) {
        fail(`"counts.${name}" is ${JSON.stringify(counts[name])} but "${name}" lists ${split[name].length} files`);
      }
    }
  }
  return split;
}

/**
 * Partition utterances by a split.
 *
 * @param utts - e.g. from {@link listFsdd}; matched on `file`. Utterances the split does not name
 *   are left out.
 * @param split - from {@link loadSplit}.
 * @returns the utterances of each subset, in the split's order.
 * @throws DatasetError naming the first file the split lists that `utts` lacks.
 */
export function applySplit<T extends { file: string }>(
  utts: readonly T[],
  split: Split,
): { train: T[]; val: T[]; test: T[] } {
  const byName = new Map<string, T>();
  for (const u of utts) if (!byName.has(u.file)) byName.set(u.file, u);
  const pick = (name: (typeof SUBSETS)[number]): T[] =>
    split[name].map((file) => {
      const u = byName.get(file);
      if (u === undefined) {
        throw new DatasetError(
          `split "${name}" names ${file}, which is not in the dataset folder (${utts.length} utterances listed)`,
        );
      }
      return u;
    });
  return { train: pick('train'), val: pick('val'), test: pick('test') };
}
