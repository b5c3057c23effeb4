/**
 * Lab step 2: the isolated-digits folder (`eight13.wav`: digit word + speaker) read into samples,
 * digit and speaker, strictly: a wav whose name does not parse is an error naming it.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav, DatasetError } from 'speechcore';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
const NAME = /^(zero|one|two|three|four|five|six|seven|eight|nine)(\d+)\.wav$/i;

export interface DigitUtterance {
  file: string;
  path: string;
  /** 0–9. */
  digit: number;
  /** 'zero' … 'nine'. */
  word: string;
  /** Speaker number from the file name. */
  speaker: number;
  sr: number;
  samples: Float32Array;
}

/** The folder of digit wavs: `dir/digits` when it exists (the shared layout), else `dir`. */
export function digitsFolder(dir: string): string {
  const abs = resolve(dir);
  const inner = join(abs, 'digits');
  if (existsSync(inner) && statSync(inner).isDirectory()) return inner;
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new DatasetError(`isolated-digits folder ${abs} does not exist or is not a directory`);
  return abs;
}

/** Parses `eight13.wav` → { digit: 8, word: 'eight', speaker: 13 }; null when it does not parse. */
export function parseDigitName(file: string): { digit: number; word: string; speaker: number } | null {
  const m = NAME.exec(file);
  if (!m) return null;
  const word = m[1].toLowerCase();
  return { digit: DIGIT_WORDS.indexOf(word as (typeof DIGIT_WORDS)[number]), word, speaker: Number(m[2]) };
}

/**
 * Reads every wav of the folder, sorted by file name.
 * @param dir - the `isolated-digits` root (with `digits/`) or the folder of wavs.
 * @throws DatasetError when the folder is missing, has no wavs, or holds a wav whose name is not
 *   a digit word followed by a speaker number; WavFormatError (naming the file) for a bad wav.
 */
export function loadIsolatedDigits(dir: string): DigitUtterance[] {
  const folder = digitsFolder(dir);
  const wavs = readdirSync(folder).filter((f) => f.toLowerCase().endsWith('.wav')).sort();
  if (wavs.length === 0) throw new DatasetError(`isolated-digits folder ${folder} has no .wav files`);
  return wavs.map((file) => {
    const parsed = parseDigitName(file);
    if (!parsed) throw new DatasetError(`${join(folder, file)}: file name does not parse as <digit word><speaker>.wav (e.g. eight13.wav)`);
    const path = join(folder, file);
    const wav = decodeWav(readFileSync(path), { file: path });
    return { file, path, ...parsed, sr: wav.sampleRate, samples: wav.samples };
  });
}

/**
 * Where the isolated-digits set lives: `dir` if given, else `$SPEECHCORE_PART1_DATA`, else
 * `./data/isolated-digits`, else `../shared/data/isolated-digits`.
 * @throws DatasetError naming what was tried.
 */
export function resolveDigitsDir(dir?: string): string {
  const env = process.env['SPEECHCORE_PART1_DATA'];
  const candidates = dir ? [dir] : env ? [env] : ['data/isolated-digits', '../shared/data/isolated-digits'];
  for (const c of candidates) if (existsSync(resolve(c)) && statSync(resolve(c)).isDirectory()) return resolve(c);
  throw new DatasetError(`no isolated-digits folder found; tried ${candidates.map((c) => resolve(c)).join(', ')}`);
}
