/**
 * Analysis windows, as scipy.signal.get_window(..., fftbins=True) builds them for librosa: periodic
 * (the N-point window is the first N points of an (N+1)-point symmetric one), in f64, then centred
 * in nFft with zeros when winLength < nFft (librosa.util.pad_center).
 */
import { ParameterError } from '../errors.ts';

export type WindowSpec = 'hann' | 'hamming' | 'boxcar' | Float32Array | Float64Array;

/** Periodic window of winLength points, zero-padded (centred) to nFft. */
export function getWindow(window: WindowSpec, winLength: number, nFft: number): Float64Array {
  let w: Float64Array;
  if (typeof window === 'string') {
    w = new Float64Array(winLength);
    for (let i = 0; i < winLength; i++) {
      const c = Math.cos((2 * Math.PI * i) / winLength);
      w[i] = window === 'hann' ? 0.5 - 0.5 * c : window === 'hamming' ? 0.54 - 0.46 * c : 1;
    }
    if (!['hann', 'hamming', 'boxcar'].includes(window)) throw new ParameterError(`window=${window} must be hann, hamming, boxcar or a Float32Array`);
  } else {
    if (window.length !== winLength) throw new ParameterError(`window has ${window.length} points but winLength=${winLength}`);
    w = Float64Array.from(window);
  }
  if (winLength === nFft) return w;
  const out = new Float64Array(nFft);
  out.set(w, (nFft - winLength) >> 1);
  return out;
}
