/**
 * Parameter checks shared by the feature functions (STYLE §5: validate in TS, trust in AS).
 * Messages name the parameter and the value, as librosa's do.
 */
import { ParameterError } from '../errors.ts';

/** Throws unless v is an integer ≥ min. */
export function checkInt(name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ParameterError(`${name}=${String(v)} must be an integer >= ${min}`);
  }
  return v;
}

/** Throws unless v is a finite number in [lo, hi] (open bounds with the strict flags). */
export function checkNumber(name: string, v: unknown, lo = -Infinity, hi = Infinity, strictLo = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (strictLo && v === lo)) {
    const range = `${strictLo ? '>' : '>='} ${lo}${hi < Infinity ? ` and <= ${hi}` : ''}`;
    throw new ParameterError(`${name}=${String(v)} must be a finite number ${range}`);
  }
  return v;
}

/** Throws unless y is a non-empty Float32Array of finite samples. */
export function checkSignal(y: unknown, name = 'y'): Float32Array {
  if (!(y instanceof Float32Array)) throw new ParameterError(`${name} must be a Float32Array, got ${describe(y)}`);
  if (y.length === 0) throw new ParameterError(`${name} is empty: at least one sample is needed`);
  return checkSamples(y, name);
}

/**
 * Throws unless y is a Float32Array of finite samples, possibly empty (a stream's chunk); `where`
 * adds context to the message, e.g. which input sample the bad one is.
 */
export function checkSamples(y: unknown, name = 'y', where: (i: number) => string = () => ''): Float32Array {
  if (!(y instanceof Float32Array)) throw new ParameterError(`${name} must be a Float32Array, got ${describe(y)}`);
  for (let i = 0; i < y.length; i++) {
    // x − x is 0 for finite x and NaN for ±Inf and NaN: one test per sample on the hot path.
    if (y[i] - y[i] !== 0) throw new ParameterError(`${name}[${i}]=${y[i]}${where(i)} is not finite`);
  }
  return y;
}

/** Throws unless v is one of the allowed strings. */
export function checkChoice<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new ParameterError(`${name}=${String(v)} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
