/**
 * Zero-crossing rate (twin of assembly/dsp/zcr.ts), librosa.feature.zero_crossing_rate semantics.
 */
import { getEngine, type Engine } from '../engine.ts';
import { PAD_MODE } from '../abi.ts';
import { checkInt, checkNumber, checkSignal } from './options.ts';

export interface ZcrOptions {
  /** Samples per frame, int ≥ 1 (default 2048). */
  frameLength?: number;
  /** Samples between frames, int ≥ 1 (default 512). */
  hopLength?: number;
  /** Pad frameLength/2 copies of the EDGE samples each side (librosa pads 'edge' here, not zeros). */
  center?: boolean;
  /** |x| ≤ threshold counts as zero, and zero as positive (default 1e-10). */
  threshold?: number;
  engine?: Engine;
}

/**
 * Fraction of sign changes per frame, [frames] f64 (exact: crossings / frameLength).
 * Differs from librosa: a non-centred signal shorter than one frame gives one frame, edge-padded.
 * @see librosa.feature.zero_crossing_rate
 * @example zeroCrossingRate(y, { frameLength: 240, hopLength: 120 })
 */
export function zeroCrossingRate(y: Float32Array, options: ZcrOptions = {}): Float64Array {
  checkSignal(y);
  const fl = checkInt('frameLength', options.frameLength ?? 2048, 1);
  const hop = checkInt('hopLength', options.hopLength ?? 512, 1);
  const threshold = Math.fround(checkNumber('threshold', options.threshold ?? 1e-10, 0));
  const center = options.center ?? true;
  const engine = options.engine ?? getEngine();
  const { arena, exports } = engine;
  const pad = center ? fl >> 1 : 0;
  const n = y.length;
  const paddedN = Math.max(n + 2 * pad, fl);
  const nFrames = 1 + Math.floor((paddedN - fl) / hop);
  return arena.scope(() => {
    const yp = arena.f32In(y);
    const padded = arena.alloc(paddedN * 4);
    exports.padSignal(yp, n, pad, PAD_MODE.edge, padded);
    if (paddedN > n + 2 * pad) arena.f32(padded, paddedN).fill(y[n - 1], n + 2 * pad);
    const counts = arena.alloc(nFrames * 4);
    exports.zeroCrossings(padded, fl, hop, nFrames, threshold, counts);
    const c = arena.i32(counts, nFrames);
    const out = new Float64Array(nFrames);
    for (let t = 0; t < nFrames; t++) out[t] = c[t] / fl;
    return out;
  });
}
