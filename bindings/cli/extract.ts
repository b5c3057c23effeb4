/**
 * `speechcore extract --data DIR ...`: MFCC (+Δ, ΔΔ) of every WAV in a folder, in worker threads,
 * with a progress bar; features to --out (JSON, librosa orientation per file), timings to --stats-json.
 */
import { readdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, basename } from 'node:path';
import { resolveDataDir } from '../audio/dataset.ts';
import { DatasetError } from '../errors.ts';
import { extractFiles } from '../pipeline/extract.ts';
import { num, parse } from './args.ts';
import { progressBar } from './progress.ts';

export const extractUsage = `speechcore extract --data DIR [--n-mfcc 13] [--deltas] [--n-fft 240] [--hop-length 120]
  [--workers N] [--out FILE] [--stats-json FILE]`;

/** Writes via a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function runExtract(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    data: { type: 'string' }, 'n-mfcc': { type: 'string' }, deltas: { type: 'boolean' },
    'n-fft': { type: 'string' }, 'hop-length': { type: 'string' }, 'n-mels': { type: 'string' },
    workers: { type: 'string' }, out: { type: 'string' }, 'stats-json': { type: 'string' },
  }, false);
  const dir = resolveDataDir(values.data);
  const paths = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.wav')).sort().map((f) => join(dir, f));
  if (paths.length === 0) throw new DatasetError(`${dir}: no .wav files`);
  const bar = progressBar('extract');
  const options = {
    nMfcc: num(values, 'n-mfcc'), deltas: values.deltas ?? false, nFft: num(values, 'n-fft'),
    hopLength: num(values, 'hop-length'), nMels: num(values, 'n-mels'), workers: num(values, 'workers'),
  };
  const { results, stats } = await extractFiles(paths, { ...options, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  if (values.out) {
    const files = results.map((r) => {
      const rows: number[][] = Array.from({ length: r.dims }, () => new Array(r.frames));
      for (let t = 0; t < r.frames; t++) for (let d = 0; d < r.dims; d++) rows[d][t] = r.data[t * r.dims + d];
      return { file: basename(r.path), sr: r.sampleRate, shape: [r.dims, r.frames], data: rows };
    });
    writeAtomic(values.out, JSON.stringify({ nMfcc: options.nMfcc ?? 13, deltas: options.deltas, files }));
  }
  if (values['stats-json']) writeAtomic(values['stats-json'], JSON.stringify(stats, null, 2) + '\n');
  process.stderr.write(`${stats.files} files, ${stats.frames} frames, ${stats.workers} worker(s): ` +
    `decode ${stats.secondsDecode.toFixed(3)} s, features ${stats.secondsFeatures.toFixed(3)} s, wall ${stats.secondsTotal.toFixed(3)} s\n`);
}
