/**
 * `speechcore features FILE.wav --kind K ... --format json`: one feature of one file, printed in
 * librosa's orientation ([feature][frame]) so the numbers compare with librosa's directly.
 */
import { readFileSync } from 'node:fs';
import { decodeWav } from '../audio/wav.ts';
import { spectrogram } from '../features/stft.ts';
import { melSpectrogram, type MelSpectrogramOptions } from '../features/mel.ts';
import { powerToDb } from '../features/db.ts';
import { mfcc, mfsc } from '../features/mfcc.ts';
import { delta } from '../features/delta.ts';
import { zeroCrossingRate } from '../features/zcr.ts';
import { toArrays, transpose, type Matrix } from '../matrix.ts';
import { num, parse, UsageError } from './args.ts';
import type { Command } from './kit.ts';

export const KINDS = ['stft_power', 'mel', 'mel_db', 'mfcc', 'delta', 'delta2', 'mfsc', 'zcr'] as const;
export type Kind = (typeof KINDS)[number];

const usage = `speechcore features FILE.wav --kind ${KINDS.join('|')}
  [--n-fft 2048] [--hop-length 512] [--n-mels 128 (mfsc: 13)] [--n-mfcc 20] [--htk] [--norm slaney|none]
  [--lifter 0] [--pad-mode constant|reflect] [--fmin 0] [--fmax sr/2] [--sr file's rate (else resampled)] --format json`;

export const featuresCommand: Command = {
  summary: 'one feature of one WAV file (librosa-compatible), JSON in librosa orientation',
  usage,
  run: runFeatures,
};

function runFeatures(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    kind: { type: 'string' }, 'n-fft': { type: 'string' }, 'hop-length': { type: 'string' },
    'n-mels': { type: 'string' }, 'n-mfcc': { type: 'string' }, htk: { type: 'boolean' },
    norm: { type: 'string' }, lifter: { type: 'string' }, 'pad-mode': { type: 'string' },
    fmin: { type: 'string' }, fmax: { type: 'string' }, format: { type: 'string' }, sr: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`features takes one WAV file, got ${positionals.length}`);
  const kind = values.kind as Kind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind=${String(values.kind)} must be one of ${KINDS.join(', ')}`);
  if ((values.format ?? 'json') !== 'json') throw new UsageError(`--format=${values.format} must be json`);
  const norm = values.norm ?? 'slaney';
  if (norm !== 'slaney' && norm !== 'none') throw new UsageError(`--norm=${norm} must be slaney or none`);
  const file = positionals[0];
  const wantSr = num(values, 'sr', false);
  if (wantSr !== undefined && !(wantSr > 0)) throw new UsageError(`--sr=${wantSr} must be a number > 0`);
  // --sr resamples (Kaiser-windowed sinc, 'kaiser_best') when it differs from the file's rate.
  const wav = decodeWav(readFileSync(file), { file, sr: wantSr });
  const sr = wav.sampleRate, y = wav.samples;
  const nFft = num(values, 'n-fft') ?? 2048;
  const hopLength = num(values, 'hop-length') ?? 512;
  const o: MelSpectrogramOptions = {
    sr, nFft, hopLength, nMels: num(values, 'n-mels'), htk: values.htk ?? false, norm: norm === 'none' ? null : 'slaney',
    padMode: values['pad-mode'] as 'constant' | 'reflect' | undefined, fmin: num(values, 'fmin', false), fmax: num(values, 'fmax', false),
  };
  const cep = () => mfcc(y, { ...o, norm: 'ortho', melNorm: o.norm, nMfcc: num(values, 'n-mfcc') ?? 20, lifter: num(values, 'lifter', false) });
  let m: Matrix;
  switch (kind) {
    case 'stft_power': m = spectrogram(y, o); break;
    case 'mel': m = melSpectrogram(y, o); break;
    case 'mel_db': m = powerToDb(melSpectrogram(y, o)); break;
    case 'mfcc': m = cep(); break;
    case 'delta': m = delta(cep()); break;
    case 'delta2': m = delta(cep(), { order: 2 }); break;
    case 'mfsc': m = mfsc(y, o); break;
    case 'zcr': {
      const z = zeroCrossingRate(y, { frameLength: nFft, hopLength });
      process.stdout.write(JSON.stringify({ kind, sr, shape: [1, z.length], data: [Array.from(z)] }) + '\n');
      return;
    }
  }
  const t = transpose(m);
  process.stdout.write(JSON.stringify({ kind, sr, shape: [t.rows, t.cols], data: toArrays(t) }) + '\n');
}
