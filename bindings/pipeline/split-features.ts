/**
 * The lab split (MISSION step 9): finding the split file beside the data, extracting the lab's
 * front end for train/val/test, fitting the scaler on train frames only and packing each subset
 * frame-major (shared memory, ready for worker pools). The HMM commands, the LSTM commands and
 * the lab's report all load the split through here.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { applySplit, listFsdd, loadSplit, resolveDataDir, type FsddUtterance } from '../audio/dataset.ts';
import { StandardScaler } from '../scaler.ts';
import { DatasetError } from '../errors.ts';
import { extractHere, resolveExtract, type ExtractedFile } from './extract.ts';
import { resolveFeatures, type FeatureSettings } from './front-end.ts';
import type { HmmPool } from './hmm-pool.ts';
import { packSequences, type PackedSet } from './packed-set.ts';

export { LAB_FEATURES, resolveFeatures, type FeatureSettings } from './front-end.ts';
export { labeledSequences, sequencesOf, type PackedSet } from './packed-set.ts';

/** Packs extracted files into one (optionally shared) buffer and standardises it in place. */
function pack(files: readonly ExtractedFile[], utts: readonly FsddUtterance[], scaler: StandardScaler, shared: boolean): PackedSet {
  const set = packSequences(files.map((f) => ({ data: f.data, rows: f.frames, cols: f.dims })), utts.map((u) => u.digit), utts.map((u) => u.file), shared);
  const mean = scaler.mean!, scale = scaler.scale!, { data, dims } = set;
  for (let k = 0; k < data.length; k++) data[k] = (data[k]! - mean[k % dims]!) / scale[k % dims]!;
  return set;
}

/**
 * The split file to use: `explicit` if given, else `fsdd-split.json` beside the dataset root
 * (`../shared/data/fsdd` → `../shared/data/fsdd-split.json`; a `recordings/` folder counts as its
 * root). Null when no explicit file is given and none exists there.
 */
export function findSplit(wavDir: string, explicit?: string): string | null {
  if (explicit) return resolve(explicit);
  const root = basename(wavDir) === 'recordings' ? dirname(wavDir) : wavDir;
  const candidate = join(dirname(root), 'fsdd-split.json');
  return existsSync(candidate) ? candidate : null;
}

export interface SplitFeatures {
  train: PackedSet;
  val: PackedSet;
  test: PackedSet;
  /** Fitted on the train frames only. */
  scaler: StandardScaler;
  features: FeatureSettings;
  sampleRate: number;
  /** Wall seconds of reading + decoding + MFCC. */
  seconds: number;
}

export interface LoadOptions {
  /** Dataset root or wav folder (resolveDataDir rules). */
  data?: string;
  /** Split file (default: findSplit). */
  split?: string;
  features?: Partial<FeatureSettings>;
  /** Extract in this pool (its workers); else on this thread. */
  pool?: HmmPool;
  /** Which subsets to extract (default all three); the others come back empty. */
  subsets?: readonly ('train' | 'val' | 'test')[];
  /** Resample every file to this rate, Hz (e.g. a saved model's); default: the files' own rate. */
  sampleRate?: number;
  /** Use this scaler instead of fitting one on train (e.g. a saved model's). */
  scaler?: StandardScaler;
  /** Pack into SharedArrayBuffers, for worker pools (default true). */
  shared?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Features of the lab split: MFCC per file, a StandardScaler fitted on the train frames, every
 * subset standardised and packed (shared memory, ready for the pool).
 * @throws DatasetError when no split is given and none is found beside the data.
 */
export async function loadSplitFeatures(o: LoadOptions = {}): Promise<SplitFeatures> {
  const dir = resolveDataDir(o.data);
  const splitPath = findSplit(dir, o.split);
  if (!splitPath) throw new DatasetError(`no split file given and none beside ${dir} (looked for fsdd-split.json next to the dataset root)`);
  const parts = applySplit(listFsdd(dir), loadSplit(splitPath));
  const features = resolveFeatures(o.features);
  const want = o.subsets ?? ['train', 'val', 'test'];
  const utts = (['train', 'val', 'test'] as const).map((s) => (want.includes(s) ? parts[s] : []));
  const all = utts.flat();
  const opts = resolveExtract({ ...features, deltas: false, sampleRate: o.sampleRate });
  const t0 = performance.now();
  const files = o.pool
    ? await o.pool.extract(all.map((u) => u.path), opts, o.onProgress)
    : extractHere(all.map((u) => u.path), opts, progressCounter(all.length, o.onProgress)).results;
  const seconds = (performance.now() - t0) / 1000;
  const bySubset = [files.slice(0, utts[0]!.length), files.slice(utts[0]!.length, utts[0]!.length + utts[1]!.length),
    files.slice(utts[0]!.length + utts[1]!.length)];
  files.forEach((f, i) => {
    if (f.frames < 1) throw new DatasetError(`${all[i]!.path}: no frames`);
  });
  const rates = new Set(files.map((f) => f.sampleRate));
  if (rates.size > 1) throw new DatasetError(`${dir}: recordings have different sample rates (${[...rates].join(', ')} Hz)`);
  const scaler = o.scaler ?? new StandardScaler().fit(bySubset[0]!.map((f) => ({ data: f.data, rows: f.frames, cols: f.dims })));
  const [train, val, test] = bySubset.map((fs, i) => pack(fs, utts[i]!, scaler, o.shared ?? true)) as [PackedSet, PackedSet, PackedSet];
  return { train, val, test, scaler, features, sampleRate: files[0]?.sampleRate ?? 0, seconds };
}

function progressCounter(total: number, cb?: (done: number, total: number) => void): (() => void) | undefined {
  if (!cb) return undefined;
  let done = 0;
  return () => cb(++done, total);
}

