/**
 * The librosa 0.10.1 golden fixtures (shared/reference/librosa-0.10.1, see its README): loading,
 * the one transpose from librosa's [feature][frame] to our frame-major [frame][feature] (STYLE §8:
 * it happens here and nowhere else), the API call (and the CLI command line) behind every fixture
 * output, and the parity tolerances.
 *
 * Also the seeded rng the randomised tests share (STYLE §12): seed from $SPEECHCORE_SEED.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../bindings/audio/wav.ts';
import type { Engine } from '../../bindings/engine.ts';
import { delta } from '../../bindings/features/delta.ts';
import { powerToDb } from '../../bindings/features/db.ts';
import { melSpectrogram, type MelOptions } from '../../bindings/features/mel.ts';
import { mfcc, mfsc } from '../../bindings/features/mfcc.ts';
import { spectrogram, type StftOptions } from '../../bindings/features/stft.ts';
import { zeroCrossingRate } from '../../bindings/features/zcr.ts';
import type { Matrix } from '../../bindings/matrix.ts';
import { sharedDir } from './shared.ts';
import { Rng } from '../../bindings/rng.ts';

/** Absolute path of the fixture folder, trailing slash. */
export const REFERENCE_DIR: string = join(sharedDir, 'reference/librosa-0.10.1/');

// ---- tolerances ---------------------------------------------------------------------------------

/** What an output is compared as; `mfcc6` and `mfcc13` are both `mfcc`. */
export type ToleranceKind =
  | 'y' | 'filterbank' | 'stft_power' | 'mel' | 'mel_db' | 'mfcc' | 'mfsc13' | 'delta' | 'delta2' | 'zcr';

export interface Tolerance {
  /** `exact`: bit-equal; `abs`: max |ref − got| ≤ value; `relMax`: max |ref − got| ≤ value × max |ref|. */
  mode: 'exact' | 'abs' | 'relMax';
  value: number;
  why: string;
}

/**
 * The parity tolerances. The fixture README measures a float64 pipeline against librosa's
 * float32 one at ≤ 2.5e-7 × max (stft_power, mel), 1.6e-5 dB (mel_db), 9.3e-5 (MFCC), 1e-5
 * (deltas); our f32 kernels sit between the two, so these bounds leave one to two orders of margin.
 */
export const TOLERANCES: Readonly<Record<ToleranceKind, Tolerance>> = {
  y: { mode: 'exact', value: 0, why: 'decodeWav reproduces librosa.load(sr=None) bit for bit' },
  filterbank: { mode: 'abs', value: 1e-6, why: 'max abs error of librosa.filters.mel weights (max weight ≈ 0.055)' },
  stft_power: { mode: 'relMax', value: 1e-5, why: '1e-5 × the array max (power spans ~10 decades)' },
  mel: { mode: 'relMax', value: 1e-5, why: '1e-5 × the array max' },
  mel_db: { mode: 'abs', value: 2e-3, why: 'dB, absolute' },
  mfcc: { mode: 'abs', value: 2e-3, why: 'absolute (coefficients reach ~±700)' },
  mfsc13: { mode: 'abs', value: 2e-3, why: 'dB, absolute' },
  delta: { mode: 'abs', value: 2e-3, why: 'absolute' },
  delta2: { mode: 'abs', value: 2e-3, why: 'absolute' },
  zcr: { mode: 'exact', value: 0, why: 'crossings / frame_length in float64' },
};

/** The tolerance kind of a fixture output name (`mfcc6` → `mfcc`); throws on a name it does not know. */
export function toleranceKind(output: string): ToleranceKind {
  if (/^mfcc\d+$/.test(output)) return 'mfcc';
  if (output in TOLERANCES) return output as ToleranceKind;
  throw new Error(`no tolerance for fixture output '${output}'`);
}

/** A frame-major (or, for filterbanks, band-major) array of numbers, as compared here. */
export interface Grid {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

export interface Comparison {
  /** Largest |ref − got| (Infinity if a value is non-finite where ref is not, or shapes differ). */
  maxAbs: number;
  /** Largest |ref|. */
  refMax: number;
  /** The bound maxAbs must not exceed. */
  allowed: number;
  /** Where maxAbs occurs, [row][col] of the frame-major grid. */
  at: [number, number];
  ok: boolean;
  shapeOk: boolean;
}

/** Compares got against ref under a tolerance kind. */
export function compare(ref: Grid, got: Grid, kind: ToleranceKind): Comparison {
  const tol = TOLERANCES[kind];
  let refMax = 0;
  for (let i = 0; i < ref.data.length; i++) refMax = Math.max(refMax, Math.abs(ref.data[i]!));
  const allowed = tol.mode === 'relMax' ? tol.value * refMax : tol.value;
  const shapeOk = ref.rows === got.rows && ref.cols === got.cols && got.data.length === ref.rows * ref.cols;
  if (!shapeOk) return { maxAbs: Infinity, refMax, allowed, at: [-1, -1], ok: false, shapeOk };
  let maxAbs = 0;
  let at: [number, number] = [0, 0];
  for (let i = 0; i < ref.data.length; i++) {
    const r = ref.data[i]!, g = got.data[i]!;
    // A non-finite value where the reference is finite is the worst error, not a skipped NaN.
    const e = r === g ? 0 : Number.isFinite(g) && Number.isFinite(r) ? Math.abs(r - g) : Infinity;
    if (e > maxAbs) {
      maxAbs = e;
      at = [Math.floor(i / ref.cols), i % ref.cols];
    }
  }
  return { maxAbs, refMax, allowed, at, ok: maxAbs <= allowed, shapeOk };
}

// ---- loading ------------------------------------------------------------------------------------

/** One row of index.json (only the fields the tests use are typed). */
export interface IndexEntry {
  file: string;
  kind: 'features' | 'filterbank';
  id: string;
  config: string;
  /** Path relative to shared/, 'generated', or 'none' (filterbanks). */
  input: string;
  sr?: number;
  outputs?: string[];
  calls?: Record<string, string>;
  params: any;
  shapes: Record<string, number[]>;
  dtypes?: Record<string, string>;
  errors?: Record<string, string>;
}

export interface FixtureIndex {
  schema: string;
  n_fixtures: number;
  fixtures: IndexEntry[];
}

/** A reference array, frame-major; float32 values already rounded back with Math.fround. */
export interface RefGrid extends Grid {
  data: Float64Array;
  /** Shape as librosa had it, [feature][frame] (zcr: [1][frame]). */
  librosaShape: [number, number];
}

export interface FeatureFixture {
  entry: IndexEntry;
  id: string;
  config: string;
  /** Absolute path of the input WAV, or null for generated signals. */
  wavPath: string | null;
  sr: number;
  /** librosa's parameters, every default spelled out. */
  params: any;
  calls: Record<string, string>;
  /** librosa.load's samples (exact float32). */
  y: Float32Array;
  /** Outputs by name, frame-major. */
  outputs: Map<string, RefGrid>;
  /** Outputs librosa raised on, with its message. */
  errors: Record<string, string>;
}

export interface FilterbankFixture {
  entry: IndexEntry;
  id: string;
  params: any;
  /** [nMels][1 + nFft/2]: a basis, kept in librosa's (and melFilterbank's) orientation. */
  weights: RefGrid;
  emptyRows: number[];
}

let indexCache: FixtureIndex | null = null;

/** index.json, parsed once. */
export function loadIndex(): FixtureIndex {
  indexCache ??= JSON.parse(readFileSync(join(REFERENCE_DIR, 'index.json'), 'utf8')) as FixtureIndex;
  return indexCache;
}

/** %.9g float32 text → the exact float32; float64 (repr) → as is; null (non-finite) → NaN. */
function value(v: number | null, f32: boolean): number {
  if (v === null) return NaN;
  return f32 ? Math.fround(v) : v;
}

/**
 * Nested lists in librosa orientation [feature][frame] → frame-major [frame][feature]. The only
 * place the transpose happens; the CLI's JSON (librosa orientation too) goes through it as well.
 */
export function fromLibrosa(nested: (number | null)[][], dtype: string): RefGrid {
  const f32 = dtype === 'float32';
  const features = nested.length;
  const frames = features ? nested[0]!.length : 0;
  const data = new Float64Array(features * frames);
  for (let i = 0; i < features; i++) {
    const row = nested[i]!;
    if (row.length !== frames) throw new Error(`ragged array: row ${i} has ${row.length} values, row 0 has ${frames}`);
    for (let t = 0; t < frames; t++) data[t * features + i] = value(row[t]!, f32);
  }
  return { rows: frames, cols: features, data, librosaShape: [features, frames] };
}

/** A [rows][cols] list kept in its own orientation (filterbank weights). */
function asIs(nested: (number | null)[][], dtype: string): RefGrid {
  const f32 = dtype === 'float32';
  const rows = nested.length, cols = rows ? nested[0]!.length : 0;
  const data = new Float64Array(rows * cols);
  nested.forEach((row, r) => row.forEach((v, c) => (data[r * cols + c] = value(v, f32))));
  return { rows, cols, data, librosaShape: [rows, cols] };
}

/** Loads a features fixture by its index entry. */
export function loadFeatureFixture(entry: IndexEntry): FeatureFixture {
  const d = JSON.parse(readFileSync(join(REFERENCE_DIR, entry.file), 'utf8'));
  const dtypes: Record<string, string> = d.dtypes ?? {};
  const outputs = new Map<string, RefGrid>();
  for (const [name, nested] of Object.entries<(number | null)[][]>(d.outputs ?? {})) {
    outputs.set(name, fromLibrosa(nested, dtypes[name] ?? 'float32'));
  }
  const path: string | undefined = d.input?.path;
  const wavPath = path && path !== 'generated' ? join(sharedDir, path) : null;
  return {
    entry,
    id: d.id ?? entry.id,
    config: d.config ?? entry.config,
    wavPath,
    sr: d.input?.sr ?? d.params.sr,
    params: d.params,
    calls: d.calls ?? {},
    y: Float32Array.from(d.y as (number | null)[], (v) => value(v, true)),
    outputs,
    errors: d.errors ?? {},
  };
}

/** Loads a filterbank fixture by its index entry. */
export function loadFilterbankFixture(entry: IndexEntry): FilterbankFixture {
  const d = JSON.parse(readFileSync(join(REFERENCE_DIR, entry.file), 'utf8'));
  return {
    entry,
    id: d.id ?? entry.id,
    params: d.params ?? entry.params,
    weights: asIs(d.weights, d.dtype ?? 'float32'),
    emptyRows: d.empty_rows ?? [],
  };
}

/** The input signal: the WAV through decodeWav (what users and the CLI do), else the fixture's y. */
export function inputSignal(fx: FeatureFixture): Float32Array {
  return fx.wavPath ? decodeWav(readFileSync(fx.wavPath), { file: fx.wavPath }).samples : fx.y;
}

// ---- the API call behind each output ------------------------------------------------------------

/** stft framing from params.stft. */
export function framingOptions(fx: FeatureFixture, engine?: Engine): StftOptions & { sr: number } {
  const s = fx.params.stft;
  if (s.window !== 'hann') throw new Error(`${fx.id}: window ${s.window} not mapped`);
  return {
    sr: fx.sr,
    nFft: s.n_fft,
    hopLength: s.hop_length,
    winLength: s.win_length,
    center: s.center,
    padMode: s.pad_mode,
    ...(engine ? { engine } : {}),
  };
}

/** Mel options from a params.mel-like block (params.mel, params.mel_mfsc13). */
export function melOptions(m: any): Omit<MelOptions, 'sr'> & { power: 1 | 2 } {
  return { nMels: m.n_mels, fmin: m.fmin, fmax: m.fmax, htk: m.htk, norm: m.norm ?? null, power: m.power ?? 2 };
}

function dbOptions(fx: FeatureFixture) {
  const p = fx.params.power_to_db;
  return { ref: p.ref as number, amin: p.amin as number, topDb: p.top_db as number | null };
}

function nMfccOf(fx: FeatureFixture, name: string): number {
  const m = /^mfcc(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  const n = fx.params.mfcc.n_mfcc;
  return Array.isArray(n) ? Math.max(...n) : n;
}

function mfccOf(fx: FeatureFixture, y: Float32Array, name: string, engine?: Engine): Matrix {
  const p = fx.params.mfcc;
  const dct = { nMfcc: nMfccOf(fx, name), dctType: p.dct_type, norm: p.norm, lifter: p.lifter, ...(engine ? { engine } : {}) };
  const call = fx.calls[name] ?? '';
  if (call.includes('S=')) {
    // librosa.feature.mfcc(S=power_to_db(mel)): the mel spectrogram's own options (htk, mel norm).
    const S = powerToDb(melSpectrogram(y, { ...framingOptions(fx, engine), ...melOptions(fx.params.mel) }), { ...dbOptions(fx), engine });
    return mfcc(null, { ...dct, sr: fx.sr, S }); // sr: MfccOptions requires it even with S (unused)
  }
  const { norm: melNorm, ...mel } = melOptions(fx.params.mel);
  return mfcc(y, { ...framingOptions(fx, engine), ...mel, melNorm, ...dct });
}

/**
 * Runs the API call that produced fixture output `name` (see fx.calls) on y; frame-major.
 * Throws for an output name this mapping does not know, so a new fixture output cannot go untested.
 */
export function computeOutput(fx: FeatureFixture, name: string, y: Float32Array = inputSignal(fx), engine?: Engine): Grid {
  const framing = framingOptions(fx, engine);
  const mel = melOptions(fx.params.mel);
  switch (name) {
    case 'stft_power':
      return spectrogram(y, { ...framing, power: 2 });
    case 'mel':
      return melSpectrogram(y, { ...framing, ...mel });
    case 'mel_db':
      return powerToDb(melSpectrogram(y, { ...framing, ...mel }), { ...dbOptions(fx), engine });
    case 'mfsc13':
      return mfsc(y, { ...framing, ...melOptions(fx.params.mel_mfsc13 ?? { ...fx.params.mel, n_mels: 13 }), ...dbOptions(fx) });
    case 'delta':
    case 'delta2': {
      const d = fx.params.delta;
      const source = /delta\((\w+)/.exec(fx.calls[name] ?? '')?.[1] ?? 'mfcc13';
      return delta(mfccOf(fx, y, source, engine), { width: d.width, order: name === 'delta' ? d.order_delta : d.order_delta2, engine });
    }
    case 'zcr': {
      const z = fx.params.zcr;
      const r = zeroCrossingRate(y, { frameLength: z.frame_length, hopLength: z.hop_length, center: z.center, threshold: z.threshold, engine });
      return { rows: r.length, cols: 1, data: r };
    }
    default:
      if (/^mfcc\d+$/.test(name)) return mfccOf(fx, y, name, engine);
      throw new Error(`${fx.id}: no API mapping for fixture output '${name}' (${fx.calls[name]})`);
  }
}

/**
 * The CLI command line (after `node dist/cli.js`) for fixture output `name`:
 * `features FILE.wav --kind K [options] --format json`. Throws for outputs it cannot express.
 */
export function cliArgs(fx: FeatureFixture, name: string): string[] {
  if (!fx.wavPath) throw new Error(`${fx.id}: generated input, no WAV for the CLI`);
  const s = fx.params.stft;
  const args = ['features', fx.wavPath];
  // No --sr: the CLI takes the rate from the WAV (see the separate --sr test in parity.test.ts).
  const framing = ['--n-fft', String(s.n_fft), '--hop-length', String(s.hop_length), '--pad-mode', s.pad_mode];
  const melArgs = (m: any) => [
    '--n-mels', String(m.n_mels), '--fmin', String(m.fmin), '--fmax', String(m.fmax),
    '--norm', m.norm === null ? 'none' : m.norm, ...(m.htk ? ['--htk'] : []),
  ];
  const lifter = fx.params.mfcc?.lifter ? ['--lifter', String(fx.params.mfcc.lifter)] : [];
  let kind: string;
  let extra: string[];
  if (name === 'stft_power') [kind, extra] = ['stft_power', framing];
  else if (name === 'mel' || name === 'mel_db') [kind, extra] = [name, [...framing, ...melArgs(fx.params.mel)]];
  else if (name === 'mfsc13') [kind, extra] = ['mfsc', [...framing, ...melArgs(fx.params.mel_mfsc13 ?? { ...fx.params.mel, n_mels: 13 })]];
  else if (/^mfcc\d+$/.test(name)) [kind, extra] = ['mfcc', [...framing, ...melArgs(fx.params.mel), '--n-mfcc', String(nMfccOf(fx, name)), ...lifter]];
  else if (name === 'delta' || name === 'delta2') [kind, extra] = [name, [...framing, ...melArgs(fx.params.mel), '--n-mfcc', '13', ...lifter]];
  else if (name === 'zcr') {
    const z = fx.params.zcr;
    [kind, extra] = ['zcr', ['--n-fft', String(z.frame_length), '--hop-length', String(z.hop_length)]];
  } else throw new Error(`${fx.id}: no CLI mapping for fixture output '${name}'`);
  return [...args, '--kind', kind, ...extra, '--format', 'json'];
}

// ---- seeded randomness --------------------------------------------------------------------------

/** The seed for every randomised test: $SPEECHCORE_SEED (an integer) or a fixed default. */
export const SEED: number = (() => {
  const env = process.env['SPEECHCORE_SEED'];
  if (env === undefined || env === '') return 20240611;
  const n = Number(env);
  if (!Number.isInteger(n)) throw new Error(`SPEECHCORE_SEED=${env} must be an integer`);
  return n >>> 0;
})();

/** Seeded uniform [0, 1) generator (bindings/rng.ts). */
export function rng(seed: number = SEED): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** n uniform samples in [-1, 1) as float32. */
export function randomSignal(n: number, next: () => number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 2 * next() - 1;
  return y;
}
