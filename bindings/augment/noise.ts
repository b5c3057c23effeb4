/**
 * Additive noise at a chosen signal-to-noise ratio, measured over the whole signal:
 * SNR = 10·log10(Σy² / Σn²) exactly (the noise is rescaled after it is drawn, not only in
 * expectation). White or pink (1/f power, Voss-McCartney with 16 rows) Gaussian noise.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import { checkChoice, checkNumber, checkSignal } from '../features/options.ts';
import { Rng } from '../rng.ts';

export type NoiseColor = 'white' | 'pink';

export interface NoiseOptions {
  /** Signal-to-noise ratio in dB (e.g. 10–30 for training augmentation). */
  snrDb: number;
  /** 'white' (default) or 'pink'. */
  color?: NoiseColor;
  /** The generator to draw from (shared across calls for one seeded stream), or a seed (default 0). */
  rng?: Rng | number;
}

/** Noise [n] of the given colour, unscaled. */
export function noise(n: number, color: NoiseColor, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  if (color === 'white') {
    for (let i = 0; i < n; i++) out[i] = rng.normal();
    return out;
  }
  // Voss-McCartney: row k is redrawn every 2^k samples; their sum has a ~1/f spectrum.
  const rows = new Float64Array(16).map(() => rng.normal());
  let sum = rows.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    const k = i === 0 ? 0 : Math.min(15, 31 - Math.clz32(i & -i));
    const v = rng.normal();
    sum += v - rows[k];
    rows[k] = v;
    out[i] = sum + rng.normal();
  }
  return out;
}

/**
 * y plus Gaussian noise whose energy is exactly Σy² / 10^(snrDb/10): f32 [n].
 * @throws ParameterError for a silent (all-zero) signal, whose SNR is undefined.
 * @example addNoise(y, { snrDb: 20, color: 'pink', rng: new Rng(1) })
 */
export function addNoise(y: Float32Array, o: NoiseOptions): Float32Array {
  checkSignal(y);
  const snrDb = checkNumber('snrDb', o.snrDb);
  const color = checkChoice('color', o.color ?? 'white', ['white', 'pink'] as const);
  const rng = o.rng instanceof Rng ? o.rng : new Rng(o.rng ?? 0);
  let ps = 0;
  for (let i = 0; i < y.length; i++) ps += y[i] * y[i];
  if (!(ps > 0)) throw new ParameterError('addNoise: the signal is silent (all zeros), so no SNR can be set');
  const z = noise(y.length, color, rng);
  let pn = 0;
  for (let i = 0; i < z.length; i++) pn += z[i] * z[i];
  const gain = Math.sqrt(ps / (pn * 10 ** (snrDb / 10)));
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] + gain * z[i];
  return out;
}
