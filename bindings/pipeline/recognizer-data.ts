/**
 * Labelled recordings for the recogniser's commands: a subset of an FSDD split, the whole of an
 * isolated-digits folder (`eight13.wav`), or FSDD grouped by speaker (leave-one-speaker-out).
 * Files are decoded at their own rate; the recogniser resamples. Node only.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { applySplit, listFsdd, listIsolatedDigits, loadSplit, type FsddUtterance } from '../audio/dataset.ts';
import { decodeWav } from '../audio/wav.ts';
import { DatasetError } from '../errors.ts';
import type { LabeledAudio } from '../recognizer/recognizer.ts';
import { findSplit } from './split-features.ts';

/** A labelled recording and where it came from. */
export interface LabeledFile extends LabeledAudio {
  /** Path as listed. */
  path: string;
  /** FSDD speaker name, or the isolated-digits speaker number as text. */
  speaker: string;
  /** FSDD take number (−1 for other data). */
  index: number;
}

/** Reads and decodes one WAV (WavFormatError names the file). */
export function readAudio(path: string): { samples: Float32Array; sampleRate: number } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DatasetError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const w = decodeWav(bytes, { file: path });
  return { samples: w.samples, sampleRate: w.sampleRate };
}

function read(u: { path: string; digit: number }, speaker: string, index: number): LabeledFile {
  return { ...readAudio(u.path), digit: u.digit, path: u.path, speaker, index };
}

/** Every FSDD recording in `dir`, decoded. */
export function readFsdd(dir: string): LabeledFile[] {
  return listFsdd(dir).map((u: FsddUtterance) => read(u, u.speaker, u.index));
}

/**
 * The recordings of one subset: FSDD names with a split (given, or fsdd-split.json beside the
 * data), or every `{word}{n}.wav` of an isolated-digits folder (no split: all are test data).
 * @throws DatasetError when the folder holds neither, or FSDD has no split.
 */
export function readSubset(dir: string, subset: 'train' | 'val' | 'test', splitFile?: string): { files: LabeledFile[]; split: string | null } {
  let fsdd: FsddUtterance[] | null = null;
  try {
    fsdd = listFsdd(dir);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
  }
  if (fsdd) {
    const split = findSplit(dir, splitFile);
    if (!split) throw new DatasetError(`${dir}: FSDD recordings need a split (--split FILE; none beside the data)`);
    return { files: applySplit(fsdd, loadSplit(split))[subset].map((u) => read(u, u.speaker, u.index)), split };
  }
  if (splitFile) throw new DatasetError(`${dir}: --split applies to FSDD recordings ({digit}_{speaker}_{index}.wav), and there are none`);
  return { files: listIsolatedDigits(dir).map((u) => read(u, String(u.speaker), -1)), split: null };
}

/** The file name shown in tables and JSON. */
export const fileName = (f: { path: string }): string => basename(f.path);
