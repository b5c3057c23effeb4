/**
 * Short-time Fourier transform (twin of assembly/dsp/stft.ts), librosa.stft semantics:
 * center=True pads nFft/2 samples each side ('constant' zeros: the librosa 0.10 default; 'reflect'
 * was ≤ 0.9's), periodic Hann, nFrames = 1 + floor((len + 2·(nFft/2) − nFft) / hop).
 * Output is frame-major: [frame][bin], the transpose of librosa's [bin][frame].
 */
import { getEngine, type Engine } from '../engine.ts';
import { PAD_MODE, type MelPlan, type PadMode, type Ptr, type RfftPlan } from '../abi.ts';
import { checkChoice, checkInt, checkSignal } from './options.ts';
import { fftPlan } from './fft.ts';
import { getWindow, type WindowSpec } from './window.ts';
import type { Matrix } from '../matrix.ts';
import { ParameterError } from '../errors.ts';

export interface StftOptions {
  /** FFT size, int ≥ 2 (default 2048). Sizes of 2·3·5 factors are fastest (240, 400, 512 ...). */
  nFft?: number;
  /** Samples between frames, int ≥ 1 (default nFft/4). */
  hopLength?: number;
  /** Window length ≤ nFft (default nFft); shorter windows are centred with zeros. */
  winLength?: number;
  /** 'hann' (default, periodic), 'hamming', 'boxcar' or winLength samples. */
  window?: WindowSpec;
  /** Pad nFft/2 samples each side so frame t is centred at t·hop (default true). */
  center?: boolean;
  /** Padding when centring: 'constant' (zeros, default) or 'reflect'. */
  padMode?: 'constant' | 'reflect';
  engine?: Engine;
}

/** Resolved framing: what every spectrogram-based feature shares. */
export interface Framing {
  engine: Engine;
  nFft: number;
  hop: number;
  center: boolean;
  padMode: PadMode;
  fft: RfftPlan;
  window: Ptr | null; // null: a caller-supplied window, copied per call from windowValues
  windowValues: Float64Array | null;
}

/** Validates the framing options and fetches (or builds) the cached FFT plan and window. */
export function resolveFraming(o: StftOptions, defaults: { nFft: number; hop?: number }): Framing {
  const engine = o.engine ?? getEngine();
  const nFft = checkInt('nFft', o.nFft ?? defaults.nFft, 2);
  const hop = checkInt('hopLength', o.hopLength ?? defaults.hop ?? Math.floor(nFft / 4), 1);
  const winLength = checkInt('winLength', o.winLength ?? nFft, 1);
  if (winLength > nFft) throw new ParameterError(`winLength=${winLength} must be <= nFft=${nFft}`);
  const center = o.center ?? true;
  const padMode = checkChoice('padMode', o.padMode ?? 'constant', ['constant', 'reflect'] as const);
  const spec = o.window ?? 'hann';
  const fft = fftPlan(engine, nFft);
  // Named windows are built once per engine; a caller's array is copied in on each call.
  const window = typeof spec === 'string'
    ? engine.plan(`win:${spec}:${winLength}:${nFft}`, () => {
      const p = engine.arena.persistent(nFft * 4);
      engine.arena.f32(p, nFft).set(getWindow(spec, winLength, nFft));
      return p;
    }) as Ptr
    : null;
  const windowValues = window === null ? getWindow(spec, winLength, nFft) : null;
  return { engine, nFft, hop, center, padMode, fft, window, windowValues };
}

/** Number of frames for n samples. */
export function frameCount(n: number, f: Pick<Framing, 'nFft' | 'hop' | 'center'>): number {
  const padded = f.center ? n + 2 * (f.nFft >> 1) : Math.max(n, f.nFft);
  return 1 + Math.floor((padded - f.nFft) / f.hop);
}

/**
 * Inside an arena scope: pads y and runs the spectrogram kernel. mel = 0 gives |X|^power
 * (power 0: complex pairs); else mel-projected, and in dB (no ref, no clip) when amin > 0.
 * Returns the output pointer, frame count and the largest dB value.
 */
export function runSpectrogram(f: Framing, y: Float32Array, mel: MelPlan | 0, nMels: number, power: number, amin: number):
  { out: Ptr; nFrames: number; width: number; maxDb: number } {
  const { arena, exports } = f.engine;
  const n = y.length;
  const nFrames = frameCount(n, f);
  const pad = f.center ? f.nFft >> 1 : 0;
  const paddedLength = (nFrames - 1) * f.hop + f.nFft;
  const yp = arena.f32In(y);
  const padded = arena.alloc(Math.max(paddedLength, n + 2 * pad) * 4);
  exports.padSignal(yp, n, pad, PAD_MODE[f.padMode], padded);
  // Not centred and shorter than one frame: zeros complete the frame (librosa raises instead).
  if (paddedLength > n + 2 * pad) arena.f32(padded, paddedLength).fill(0, n + 2 * pad);
  const window = f.window ?? arena.f32In(f.windowValues!);
  const nBins = (f.nFft >> 1) + 1;
  const width = mel ? nMels : power === 0 ? 2 * nBins : nBins;
  const out = arena.alloc(nFrames * width * 4);
  const work = arena.alloc(exports.spectrogramWorkBytes(f.nFft, nMels));
  const maxDb = exports.spectrogram(f.fft, mel, nMels, padded, nFrames, f.hop, window, power, amin, work, out);
  return { out, nFrames, width, maxDb };
}

/**
 * Complex STFT, frame-major: [frames][1 + nFft/2][2] (re, im) f32.
 * Differs from librosa: frame-major, interleaved re/im; a non-centred signal shorter than nFft is
 * zero-padded to one frame instead of raising.
 * @see librosa.stft
 * @example const { data, rows } = stft(y, { nFft: 240, hopLength: 120 });
 */
export function stft(y: Float32Array, options: StftOptions = {}): Matrix {
  checkSignal(y);
  const f = resolveFraming(options, { nFft: 2048 });
  return f.engine.arena.scope(() => {
    const r = runSpectrogram(f, y, 0, 0, 0, 0);
    return { data: f.engine.arena.f32(r.out, r.nFrames * r.width).slice(), rows: r.nFrames, cols: r.width };
  });
}

/**
 * Magnitude (power 1) or power (power 2, default) spectrogram |STFT|^power, [frames][1 + nFft/2].
 * @see librosa.core.spectrum._spectrogram (np.abs(librosa.stft(y))**power)
 * @example spectrogram(y, { nFft: 240, hopLength: 120 }) // 8 kHz: 30 ms frames, 15 ms hop
 */
export function spectrogram(y: Float32Array, options: StftOptions & { power?: 1 | 2 } = {}): Matrix {
  checkSignal(y);
  const power = checkChoice('power', String(options.power ?? 2), ['1', '2'] as const) === '1' ? 1 : 2;
  const f = resolveFraming(options, { nFft: 2048 });
  return f.engine.arena.scope(() => {
    const r = runSpectrogram(f, y, 0, 0, power, 0);
    return { data: f.engine.arena.f32(r.out, r.nFrames * r.width).slice(), rows: r.nFrames, cols: r.width };
  });
}
