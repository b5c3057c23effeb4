/**
 * Helpers shared by the peers: the fixture's MFCC framing parameters and
 * small numeric utilities.
 *
 * @module
 */

/** FFT length and window length of the MFCC fixtures, in samples. */
export const MFCC_N_FFT = 240;
/** Hop between frames, in samples. */
export const MFCC_HOP = 120;
/** Number of mel bands. */
export const MFCC_N_MELS = 128;
/** Number of cepstral coefficients returned per frame. */
export const MFCC_N_COEFFS = 13;

/**
 * Frame count of a centred STFT (librosa `center=True`): 1 + floor(len / hop).
 */
export function centredFrameCount(nSamples: number, hop: number = MFCC_HOP): number {
  return 1 + Math.floor(nSamples / hop);
}

/**
 * Periodic ("fftbins=True") Hann window of length n, as scipy/librosa build it
 * for spectral analysis: w[i] = 0.5 − 0.5·cos(2πi/n).
 */
export function periodicHann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** True when n ≥ 1 has no prime factor other than 2, 3 and 5. */
export function is235Smooth(n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false;
  for (const p of [2, 3, 5]) while (n % p === 0) n /= p;
  return n === 1;
}

/** True when n is an integer power of two ≥ 2. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}
