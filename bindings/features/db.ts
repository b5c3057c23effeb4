/**
 * Power → decibels (twin of assembly/dsp/db.ts), librosa.power_to_db semantics.
 */
import { getEngine, type Engine } from '../engine.ts';
import { ParameterError } from '../errors.ts';
import { checkNumber } from './options.ts';
import type { Matrix } from '../matrix.ts';

export interface PowerToDbOptions {
  /** Reference power (0 dB), > 0, or 'max' for the input's largest value (librosa ref=np.max). Default 1. */
  ref?: number | 'max';
  /** Floor on S and ref before the log, > 0 (default 1e-10, i.e. silence is −100 dB). */
  amin?: number;
  /** Clip below (max − topDb) with max over the whole input; null disables (default 80). */
  topDb?: number | null;
  engine?: Engine;
}

// The kernel's log works on normal f32; smaller amin would reach denormals.
const MIN_AMIN = 1.1754943508222875e-38;

/** Resolved power_to_db parameters: amin, the reference in dB, topDb. */
export function resolveDb(o: PowerToDbOptions): { amin: number; topDb: number | null; ref: number | 'max' } {
  const amin = checkNumber('amin', o.amin ?? 1e-10, 0, Infinity, true);
  if (amin < MIN_AMIN) throw new ParameterError(`amin=${amin} must be >= ${MIN_AMIN} (smallest normal float32)`);
  const topDb = o.topDb === null ? null : checkNumber('topDb', o.topDb ?? 80, 0);
  const ref = o.ref === 'max' ? 'max' : checkNumber('ref', o.ref ?? 1, 0, Infinity, true);
  return { amin, topDb, ref };
}

/** 10·log10(max(amin, |ref|)), in f64 as numpy evaluates the scalar. */
export function refDb(ref: number, amin: number): number {
  return 10 * Math.log10(Math.max(amin, Math.abs(ref)));
}

/**
 * 10·log10(max(amin, S)) − 10·log10(max(amin, ref)), clipped below at (max − topDb).
 * S is a power spectrogram (Matrix, any orientation, or a flat array); returns the same shape.
 * @see librosa.power_to_db
 * @example powerToDb(melSpectrogram(y, { sr: 8000, nFft: 240, hopLength: 120 }))
 */
export function powerToDb<M extends Matrix | Float32Array>(S: M, options: PowerToDbOptions = {}): M {
  const data = S instanceof Float32Array ? S : S.data;
  if (!(data instanceof Float32Array)) throw new ParameterError('S must be a Float32Array or a Matrix of one');
  if (data.length === 0) throw new ParameterError('S is empty');
  const o = resolveDb(options);
  const engine = options.engine ?? getEngine();
  let ref = 0;
  if (o.ref === 'max') {
    for (let i = 0; i < data.length; i++) if (data[i] > ref) ref = data[i];
  } else ref = o.ref;
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0) || data[i] === Infinity) throw new ParameterError(`S[${i}]=${data[i]} must be a finite power >= 0`);
  }
  const out = engine.arena.scope(() => {
    const p = engine.arena.f32In(data);
    const top = engine.exports.powerToDbInPlace(p, data.length, o.amin, refDb(ref, o.amin));
    if (o.topDb !== null) engine.exports.clipBelow(p, data.length, top - o.topDb);
    return engine.arena.f32(p, data.length).slice();
  });
  return (S instanceof Float32Array ? out : { ...(S as Matrix), data: out }) as M;
}
