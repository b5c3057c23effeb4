/**
 * Naive float64 DFT oracles: O(n²) sums with exact-angle twiddles, for checking the wasm FFT and
 * STFT (STYLE §12: naive references beside the fast code, as AS math is tested against JS Math).
 *
 * @module
 */

/**
 * The real DFT X[k] = Σ_j x[j]·e^{−2πi·jk/n}, k = 0..n/2, as interleaved (re, im) like numpy.fft.rfft:
 * Float64Array [(n/2 + 1)·2]. The angle is reduced mod n in integers, so no phase error accumulates.
 */
export function rdft(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const bins = (n >> 1) + 1;
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / n);
    sin[j] = Math.sin((2 * Math.PI * j) / n);
  }
  const out = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    let re = 0, im = 0;
    for (let j = 0, a = 0; j < n; j++, a = (a + k) % n) {
      re += x[j]! * cos[a]!;
      im -= x[j]! * sin[a]!;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** numpy's 'reflect' padding index (mirror without repeating the edge, repeated as often as needed). */
export function reflectIndex(j: number, n: number): number {
  if (n === 1) return 0; // numpy pads a singleton 'reflect' axis by repeating it
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
  return j;
}

/** Periodic window of winLength points centred in nFft with zeros (scipy get_window fftbins=True + pad_center). */
export function periodicWindow(kind: 'hann' | 'hamming' | 'boxcar', winLength: number, nFft: number): Float64Array {
  const w = new Float64Array(nFft);
  const off = Math.floor((nFft - winLength) / 2);
  for (let i = 0; i < winLength; i++) {
    const c = Math.cos((2 * Math.PI * i) / winLength);
    w[off + i] = kind === 'hann' ? 0.5 - 0.5 * c : kind === 'hamming' ? 0.54 - 0.46 * c : 1;
  }
  return w;
}

export interface NaiveStftOptions {
  nFft: number;
  hopLength: number;
  winLength?: number;
  window?: 'hann' | 'hamming' | 'boxcar';
  center?: boolean;
  padMode?: 'constant' | 'reflect';
}

/**
 * |STFT|² by the definition, frame-major [frames][nFft/2 + 1], float64. center pads nFft/2 each side
 * (zeros or numpy reflect). Not centred and shorter than nFft: one zero-padded frame (the bindings'
 * documented deviation; librosa raises).
 */
export function naivePowerSpectrogram(y: ArrayLike<number>, o: NaiveStftOptions): { rows: number; cols: number; data: Float64Array } {
  const { nFft, hopLength } = o;
  const center = o.center ?? true;
  const pad = center ? Math.floor(nFft / 2) : 0;
  const n = y.length;
  const sample = (j: number): number => {
    // j indexes the padded signal
    const i = j - pad;
    if (i >= 0 && i < n) return y[i]!;
    if (!center || i >= n + pad || i < -pad) return 0; // past the padded end (non-centred short input)
    return o.padMode === 'reflect' ? y[reflectIndex(i, n)]! : 0;
  };
  const padded = center ? n + 2 * pad : Math.max(n, nFft);
  const frames = 1 + Math.floor((padded - nFft) / hopLength);
  const bins = (nFft >> 1) + 1;
  const w = periodicWindow(o.window ?? 'hann', o.winLength ?? nFft, nFft);
  const data = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    for (let j = 0; j < nFft; j++) frame[j] = sample(t * hopLength + j) * w[j]!;
    const X = rdft(frame);
    for (let k = 0; k < bins; k++) data[t * bins + k] = X[2 * k]! ** 2 + X[2 * k + 1]! ** 2;
  }
  return { rows: frames, cols: bins, data };
}
