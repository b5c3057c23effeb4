/**
 * Naive float64 DCT-II oracle (scipy.fftpack.dct(x, type=2, norm='ortho')), straight from the
 * definition, for checking the wasm DCT behind mfcc.
 *
 * @module
 */

/**
 * y[k] = s_k · Σ_m x[m]·cos(π·k·(2m + 1) / (2N)), s_0 = √(1/N), s_k = √(2/N); the first nOut of N.
 */
export function dct2Ortho(x: ArrayLike<number>, nOut: number = x.length): Float64Array {
  const N = x.length;
  const out = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    let s = 0;
    for (let m = 0; m < N; m++) s += x[m]! * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * N));
    out[k] = s * (k === 0 ? Math.sqrt(1 / N) : Math.sqrt(2 / N));
  }
  return out;
}

/** librosa's lifter: coefficient k (0-based) times 1 + L/2·sin(π(k + 1)/L); L = 0 is none. */
export function lifterWeight(k: number, L: number): number {
  return L > 0 ? 1 + (L / 2) * Math.sin((Math.PI * (k + 1)) / L) : 1;
}
