/**
 * `speechcore extract --data DIR ...`: MFCC (+Δ, ΔΔ) of every WAV in a folder, in worker threads,
 * with a progress bar; features to --out in librosa's orientation (features × frames), as JSON,
 * NumPy .npz (one float32 array per file, named by its stem: `np.load(f)['0_jackson_0']`) or .npy
 * (all frames side by side), chosen by the extension; timings to --stats-json.
 */
import { readdirSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.ts';
import { basename, extname, join } from 'node:path';
import { resolveDataDir } from '../audio/dataset.ts';
import { DatasetError } from '../errors.ts';
import { extractFiles, resolveExtract, type ExtractedFile, type ResolvedExtract } from '../pipeline/extract.ts';
import { encodeNpy, encodeNpz } from '../io/npy.ts';
import { num, parse, UsageError } from './args.ts';
import { progressBar } from './progress.ts';
import type { Command } from './kit.ts';

const usage = `speechcore extract --data DIR [--n-mfcc 13] [--deltas] [--n-fft 240] [--hop-length 120] [--n-mels 128]
  [--workers N] [--out FILE.json|FILE.npz|FILE.npy] [--stats-json FILE]`;

export const extractCommand: Command = {
  summary: 'MFCC (+ deltas) of every WAV in a folder, in worker threads; JSON, NumPy .npz or .npy out',
  usage,
  run: runExtract,
};


type OutFormat = 'json' | 'npz' | 'npy';

/** The --out format, from the file's extension. */
function outFormat(path: string): OutFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.npz' || ext === '.npy') return ext.slice(1) as OutFormat;
  throw new UsageError(`--out=${path}: the extension chooses the format: .json, .npz (one array per file) or .npy (all frames)`);
}

/** librosa orientation (features × frames) of one file's frame-major features. */
function transposed(r: ExtractedFile): Float32Array {
  const out = new Float32Array(r.data.length);
  for (let t = 0; t < r.frames; t++) for (let d = 0; d < r.dims; d++) out[d * r.frames + t] = r.data[t * r.dims + d]!;
  return out;
}

function jsonOut(results: readonly ExtractedFile[], o: ResolvedExtract): string {
  const files = results.map((r) => {
    const rows: number[][] = Array.from({ length: r.dims }, () => new Array(r.frames));
    for (let t = 0; t < r.frames; t++) for (let d = 0; d < r.dims; d++) rows[d]![t] = r.data[t * r.dims + d]!;
    return { file: basename(r.path), sr: r.sampleRate, shape: [r.dims, r.frames], data: rows };
  });
  return JSON.stringify({ nMfcc: o.nMfcc, deltas: o.deltas, files });
}

/** One float32 array per file, named by the file's stem, features × frames (what librosa returns). */
function npzOut(results: readonly ExtractedFile[]): Uint8Array {
  return encodeNpz(results.map((r) => [basename(r.path).replace(/\.wav$/i, ''), { data: transposed(r), shape: [r.dims, r.frames] }] as const));
}

/** Every file's frames side by side in file-name order: one float32 array, features × Σframes. */
function npyOut(results: readonly ExtractedFile[]): Uint8Array {
  const dims = results[0]?.dims ?? 0;
  const total = results.reduce((s, r) => s + r.frames, 0);
  const out = new Float32Array(dims * total);
  let t0 = 0;
  for (const r of results) {
    for (let t = 0; t < r.frames; t++) for (let d = 0; d < dims; d++) out[d * total + t0 + t] = r.data[t * dims + d]!;
    t0 += r.frames;
  }
  return encodeNpy(out, [dims, total]);
}

async function runExtract(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    data: { type: 'string' }, 'n-mfcc': { type: 'string' }, deltas: { type: 'boolean' },
    'n-fft': { type: 'string' }, 'hop-length': { type: 'string' }, 'n-mels': { type: 'string' },
    workers: { type: 'string' }, out: { type: 'string' }, 'stats-json': { type: 'string' },
  }, false);
  const dir = resolveDataDir(values.data);
  const paths = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.wav')).sort().map((f) => join(dir, f));
  if (paths.length === 0) throw new DatasetError(`${dir}: no .wav files`);
  const format = values.out === undefined ? null : outFormat(values.out);
  const bar = progressBar('extract');
  const options = {
    nMfcc: num(values, 'n-mfcc'), deltas: values.deltas ?? false, nFft: num(values, 'n-fft'),
    hopLength: num(values, 'hop-length'), nMels: num(values, 'n-mels'), workers: num(values, 'workers'),
  };
  const { results, stats } = await extractFiles(paths, { ...options, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  if (values.out) {
    const t0 = performance.now();
    writeFileAtomic(values.out, format === 'json' ? jsonOut(results, resolveExtract(options)) : format === 'npz' ? npzOut(results) : npyOut(results));
    process.stderr.write(`wrote ${values.out} in ${((performance.now() - t0) / 1000).toFixed(3)} s\n`);
  }
  if (values['stats-json']) writeFileAtomic(values['stats-json'], JSON.stringify(stats, null, 2) + '\n');
  process.stderr.write(`${stats.files} files, ${stats.frames} frames, ${stats.workers} worker(s): ` +
    `decode ${stats.secondsDecode.toFixed(3)} s, features ${stats.secondsFeatures.toFixed(3)} s, wall ${stats.secondsTotal.toFixed(3)} s\n`);
}
