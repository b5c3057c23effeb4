/**
 * MFCC and MFSC: the fused log-mel path. One kernel pass frames, windows, transforms, projects on
 * the mel basis and takes the log while the frames are still lane-interleaved; the top-dB clip
 * (against the utterance's maximum) and the DCT follow on the frame-major log-mel.
 */
import { ParameterError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import type { MelPlan, Ptr } from '../abi.ts';
import { getEngine } from '../engine.ts';
import { checkInt, checkSignal } from './options.ts';
import { frameCount, resolveFraming, runSpectrogram } from './stft.ts';
import { prepareDelta, resolveDelta } from './delta.ts';
import { melPlan, type MelSpectrogramOptions } from './mel.ts';
import { resolveDb, refDb, type PowerToDbOptions } from './db.ts';
import { dctPlan, type DctOptions } from './dct.ts';

export type MfccOptions = Omit<MelSpectrogramOptions, 'norm'> & DctOptions & {
  /** The mel filterbank's norm ('slaney' default). librosa's mfcc cannot set it: its `norm` is the DCT's. */
  melNorm?: MelSpectrogramOptions['norm'];
  /** Coefficients kept, int ≥ 1 and ≤ nMels (default 20). */
  nMfcc?: number;
  /** A precomputed log-power mel spectrogram [frames][nMels] (librosa's S=); y is then ignored. */
  S?: Matrix;
  /**
   * power_to_db's clip below (max − topDb) before the DCT, default 80; null disables it. librosa's
   * mfcc has no such argument (it always clips at 80 unless given S); streams need null for parity.
   */
  topDb?: number | null;
};

/**
 * Mel-frequency cepstral coefficients, [frames][nMfcc] f32: DCT of power_to_db(melSpectrogram)
 * with power_to_db's defaults (ref 1, amin 1e-10, topDb 80), as librosa.feature.mfcc.
 * Differs from librosa: frame-major; nMfcc > nMels throws instead of silently returning nMels rows.
 * @see librosa.feature.mfcc
 * @example mfcc(y, { sr: 8000, nMfcc: 13, nFft: 240, hopLength: 120 }) // [frames][13]
 */
export function mfcc(y: Float32Array, options: MfccOptions): Matrix;
export function mfcc(y: null, options: Partial<MfccOptions> & { S: Matrix }): Matrix;
export function mfcc(y: Float32Array | null, options: MfccOptions | (Partial<MfccOptions> & { S: Matrix })): Matrix {
  const nMfcc = checkInt('nMfcc', options.nMfcc ?? 20, 1);
  if (options.S) return mfccFromLogMel(options.S, nMfcc, options as MfccOptions);
  return cepstra(checkSignal(y), options as MfccOptions, nMfcc, null);
}

/**
 * MFCC with Δ and ΔΔ side by side, [frames][3·nMfcc]: each row is (mfcc, delta(mfcc),
 * delta(mfcc, order=2)) — librosa's np.vstack of the three, transposed — in one pass and one copy.
 * @see librosa.feature.mfcc, librosa.feature.delta
 * @example mfccWithDeltas(y, { sr: 8000, nMfcc: 13, nFft: 240, hopLength: 120 }) // [frames][39]
 */
export function mfccWithDeltas(y: Float32Array, options: MfccOptions & { width?: number }): Matrix {
  const nMfcc = checkInt('nMfcc', options.nMfcc ?? 20, 1);
  return cepstra(checkSignal(y), options, nMfcc, resolveDelta(options));
}

function cepstra(y: Float32Array, options: MfccOptions, nMfcc: number, deltas: { width: number; order: number } | null): Matrix {
  const f = resolveFraming(options, { nFft: 2048, hop: 512 });
  const mel = melPlan(f.engine, { ...options, norm: options.melNorm, nFft: f.nFft }, 'melNorm');
  if (nMfcc > mel.nMels) throw new ParameterError(`nMfcc=${nMfcc} must be <= nMels=${mel.nMels}`);
  const basis = dctPlan(f.engine, mel.nMels, nMfcc, options);
  const nFrames = frameCount(y.length, f);
  const d1 = deltas && prepareDelta(f.engine, nFrames, { width: deltas.width, order: 1 });
  const d2 = deltas && prepareDelta(f.engine, nFrames, { width: deltas.width, order: 2 });
  const cols = deltas ? 3 * nMfcc : nMfcc;
  const { arena } = f.engine;
  return arena.scope(() => {
    const r = runLogMel(f, y, mel, { topDb: options.topDb });
    const out = arena.alloc(nFrames * cols * 4);
    basis.apply(r.out, nFrames, out, cols);
    if (d1 && d2) {
      d1(out, nMfcc, cols, (out + nMfcc * 4) as Ptr, cols);
      d2(out, nMfcc, cols, (out + 2 * nMfcc * 4) as Ptr, cols);
    }
    return { data: arena.f32(out, nFrames * cols).slice(), rows: nFrames, cols };
  });
}

function mfccFromLogMel(S: Matrix, nMfcc: number, options: MfccOptions): Matrix {
  if (!(S.data instanceof Float32Array) || S.data.length !== S.rows * S.cols || S.rows < 1) {
    throw new ParameterError(`S must be a Matrix [frames][nMels] of Float32Array data, got ${S.rows}x${S.cols} with ${S.data?.length} values`);
  }
  if (nMfcc > S.cols) throw new ParameterError(`nMfcc=${nMfcc} must be <= nMels=${S.cols} (S's columns)`);
  const engine = options.engine ?? getEngine();
  const basis = dctPlan(engine, S.cols, nMfcc, options);
  return engine.arena.scope(() => {
    const x = engine.arena.f32In(S.data);
    const out = engine.arena.alloc(S.rows * nMfcc * 4);
    basis.apply(x, S.rows, out, nMfcc);
    return { data: engine.arena.f32(out, S.rows * nMfcc).slice(), rows: S.rows, cols: nMfcc };
  });
}

/**
 * Inside a scope: log-mel in dB, clipped — power_to_db(melspectrogram(y)) — as a frame-major block.
 */
function runLogMel(f: ReturnType<typeof resolveFraming>, y: Float32Array, mel: { ptr: MelPlan; nMels: number }, db: PowerToDbOptions) {
  const o = resolveDb(db);
  const power = 2;
  const r = runSpectrogram(f, y, mel.ptr, mel.nMels, power, o.amin);
  const n = r.nFrames * mel.nMels;
  let top = r.maxDb;
  if (o.ref === 'max' || o.ref !== 1) {
    // The kernel wrote 10·log10(max(amin, S)); subtract the reference now (rare: mfcc uses ref 1).
    const ref = o.ref === 'max' ? 10 ** (r.maxDb / 10) : o.ref;
    const shift = refDb(ref, o.amin);
    const v = f.engine.arena.f32(r.out, n);
    for (let i = 0; i < n; i++) v[i] = Math.fround(v[i] - shift);
    top = Math.fround(top - shift);
  }
  if (o.topDb !== null) f.engine.exports.clipBelow(r.out, n, top - o.topDb);
  return r;
}

/**
 * Mel-frequency spectral coefficients: log mel energies without the DCT, [frames][nMels] f32,
 * i.e. power_to_db(melSpectrogram(y)). Not a librosa function; nMels defaults to 13 as the lab uses.
 * @example mfsc(y, { sr: 16000, nFft: 400, hopLength: 160 }) // [frames][13]
 */
export function mfsc(y: Float32Array, options: MelSpectrogramOptions & PowerToDbOptions): Matrix {
  checkSignal(y);
  const f = resolveFraming(options, { nFft: 2048, hop: 512 });
  const mel = melPlan(f.engine, { ...options, nMels: options.nMels ?? 13, nFft: f.nFft });
  return f.engine.arena.scope(() => {
    const r = runLogMel(f, y, mel, options);
    return { data: f.engine.arena.f32(r.out, r.nFrames * mel.nMels).slice(), rows: r.nFrames, cols: mel.nMels };
  });
}
