/**
 * Speed perturbation (Ko et al. 2015, Kaldi's `sox speed`): play the signal `factor` times faster,
 * so duration divides by the factor and every frequency (pitch and formants) multiplies by it.
 * Done by the engine's resampler, reading the samples as if they were recorded at sr·factor.
 *
 * @module
 */
import { checkNumber, checkSignal } from '../features/options.ts';
import { resample, type ResType } from '../features/resample.ts';
import type { Engine } from '../engine.ts';

/**
 * y played `factor` times as fast, at the same rate sr: f32 [round(n / factor)].
 * factor 1.1 is 10 % faster and 10 % higher; Kaldi's recipe trains on 0.9, 1.0 and 1.1.
 * @example speedPerturb(y, { sr: 8000, factor: 0.9 }) // 11 % longer, 10 % lower
 */
export function speedPerturb(y: Float32Array, o: { sr: number; factor: number; resType?: ResType; engine?: Engine }): Float32Array {
  checkSignal(y);
  const sr = checkNumber('sr', o.sr, 0, Infinity, true);
  const factor = checkNumber('factor', o.factor, 0.5, 2);
  return factor === 1 ? y.slice() : resample(y, { origSr: sr * factor, targetSr: sr, resType: o.resType, engine: o.engine });
}
