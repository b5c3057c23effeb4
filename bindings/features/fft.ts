/**
 * Real FFT of any size ≥ 2 (twin of assembly/dsp/fft.ts). Sizes whose factors are 2, 3, 5 take the
 * fast radix-4/2/3/5 passes; any other prime factor runs a direct butterfly (correct, slower).
 */
import { getEngine, type Engine } from '../engine.ts';
import type { RfftPlan } from '../abi.ts';
import { checkInt, checkSignal } from './options.ts';
import { ParameterError } from '../errors.ts';

/** True when n ≥ 2 factors into 2, 3 and 5 only (the fast paths; pffft's "valid size" notion). */
export function isFastSize(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (const p of [2, 3, 5]) while (n % p === 0) n /= p;
  return n === 1;
}

/** Smallest fast size ≥ n. */
export function nextFastSize(n: number): number {
  let m = Math.max(2, Math.ceil(n));
  while (!isFastSize(m)) m++;
  return m;
}

/** The cached FFT plan for n points (built in wasm memory on first use). */
export function fftPlan(engine: Engine, n: number): RfftPlan {
  return engine.plan(`fft:${n}`, () => {
    const bytes = engine.exports.rfftPlanBytes(n);
    if (bytes === 0) throw new ParameterError(`nFft=${n} has too many prime factors (at most 18 passes)`);
    const p = engine.arena.persistent(bytes) as RfftPlan;
    engine.exports.rfftPlanInit(n, p);
    return p;
  }) as RfftPlan;
}

/**
 * Forward real FFT: x [n] → spectrum [n/2+1] as interleaved complex (re, im) f32, like numpy.fft.rfft.
 * @param x  real signal, n ≥ 2 samples
 * @returns  Float32Array [(n/2+1)·2]
 * @example rfft(new Float32Array([1, 0, 0, 0])) // → [1,0, 1,0, 1,0]
 */
export function rfft(x: Float32Array, options: { engine?: Engine } = {}): Float32Array {
  const engine = options.engine ?? getEngine();
  checkSignal(x, 'x');
  const n = checkInt('n', x.length, 2);
  const plan = fftPlan(engine, n);
  const { arena, exports } = engine;
  return arena.scope(() => {
    const xp = arena.f32In(x);
    const nOut = 2 * ((n >> 1) + 1);
    const out = arena.alloc(nOut * 4);
    const work = arena.alloc(4 * n * 4);
    exports.rfft(plan, xp, out, work, 0);
    return arena.f32(out, nOut).slice();
  });
}
