/**
 * fft.js 4.0.4 (radix-4, pure JS) as a real-FFT peer, imported when the bench runs (it is a
 * devDependency, absent from an installed speechcore).
 *
 * @module
 */
import { isPowerOfTwo } from './common.ts';
import type { RealFftInstance, RealFftPeer } from './types.ts';

/**
 * fft.js `realTransform`: power-of-two sizes only (the constructor throws
 * otherwise). It writes interleaved complex output but fills only bins
 * 0..n/2 (the left half), which is all the power spectrum needs; the mirror
 * half is never computed, matching what a real-FFT caller pays for.
 */
export async function fftjs(): Promise<RealFftPeer> {
  const FFT = (await import('fft.js')).default;
  const peer: RealFftPeer = {
    name: 'fft.js',
    supports: (n) => isPowerOfTwo(n) && n >= 4,
    prepare(n): RealFftInstance {
      if (!peer.supports(n)) throw new RangeError(`fft.js: size ${n} not supported`);
      const fft = new FFT(n);
      const input = new Float32Array(n);
      // fft.js's own interleaved re/im buffer (a plain Array of 2n doubles): its
      // intended usage, and ~25% faster under V8 than a Float64Array here.
      // realTransform writes only [0, n+2), i.e. bins 0..n/2.
      const out: number[] = fft.createComplexArray();
      return {
        input,
        run: () => fft.realTransform(out, input),
        output() {
          const p = new Float32Array((n >> 1) + 1);
          for (let k = 0; k <= n >> 1; k++) p[k] = out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1];
          return p;
        },
        dispose() {},
      };
    },
  };
  return peer;
}
