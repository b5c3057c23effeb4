/**
 * DCT bases (twin of assembly/dsp/dct.ts), scipy.fftpack.dct semantics along the feature axis, with
 * librosa's lifter folded in. The kernel multiplies frames by the transposed basis [nIn][nOutPad].
 */
import type { Engine } from '../engine.ts';
import type { Dct2Basis, DctBasis, Ptr } from '../abi.ts';
import { ParameterError } from '../errors.ts';
import { checkInt, checkNumber } from './options.ts';

export interface DctOptions {
  /** DCT type 1, 2 (default) or 3. */
  dctType?: 1 | 2 | 3;
  /** 'ortho' (default) or null (scipy's unnormalised scaling). Type 1 has no 'ortho' here. */
  norm?: 'ortho' | null;
  /** Liftering coefficient ≥ 0: coefficient k is scaled by 1 + lifter/2·sin(π(k+1)/lifter). 0 = none. */
  lifter?: number;
}

/** basis[j][m] such that out[j] = Σ_m basis[j][m]·x[m] (j < nOut, m < nIn), lifter included; f64. */
export function dctBasis(nIn: number, nOut: number, o: DctOptions = {}): Float64Array {
  const type = o.dctType ?? 2;
  const norm = o.norm === undefined ? 'ortho' : o.norm;
  const lifter = checkNumber('lifter', o.lifter ?? 0, 0);
  if (![1, 2, 3].includes(type)) throw new ParameterError(`dctType=${type} must be 1, 2 or 3`);
  if (norm !== 'ortho' && norm !== null) throw new ParameterError(`norm=${String(norm)} must be 'ortho' or null`);
  if (type === 1 && norm === 'ortho') throw new ParameterError("dctType=1 with norm='ortho' is not supported (scipy.fftpack has none)");
  if (type === 1 && nIn < 2) throw new ParameterError(`dctType=1 needs at least 2 inputs, got nMels=${nIn}`);
  const N = nIn;
  const B = new Float64Array(nOut * nIn);
  for (let j = 0; j < nOut; j++) {
    const lift = lifter > 0 ? 1 + (lifter / 2) * Math.sin((Math.PI * (j + 1)) / lifter) : 1;
    for (let m = 0; m < nIn; m++) {
      let v: number;
      if (type === 2) {
        v = 2 * Math.cos((Math.PI * j * (2 * m + 1)) / (2 * N));
        if (norm === 'ortho') v *= j === 0 ? Math.sqrt(1 / (4 * N)) : Math.sqrt(1 / (2 * N));
      } else if (type === 3) {
        v = m === 0 ? 1 : 2 * Math.cos((Math.PI * m * (2 * j + 1)) / (2 * N));
        if (norm === 'ortho') v *= m === 0 ? Math.sqrt(1 / N) : Math.sqrt(1 / (2 * N));
      } else {
        v = m === 0 ? 1 : m === N - 1 ? (j % 2 === 0 ? 1 : -1) : 2 * Math.cos((Math.PI * j * m) / (N - 1));
      }
      B[j * nIn + m] = v * lift;
    }
  }
  return B;
}

/** A DCT ready to run on wasm pointers inside an arena scope. */
export interface DctPlan {
  /** out[t][0..nOut) = DCT of x[t][0..nIn), out rows outStride floats apart. */
  apply(x: Ptr, nFrames: number, out: Ptr, outStride: number): void;
}

/**
 * The cached f32 basis in wasm memory. Type 2 uses the folded even/odd layout (dct2Frames: half the
 * multiply-adds); types 1 and 3 the dense transposed basis [nIn][nOutPad] (dctFrames).
 */
export function dctPlan(engine: Engine, nIn: number, nOut: number, o: DctOptions = {}): DctPlan {
  checkInt('nMfcc', nOut, 1);
  const type = o.dctType ?? 2;
  const key = `dct:${nIn}:${nOut}:${type}:${o.norm === undefined ? 'ortho' : o.norm}:${o.lifter ?? 0}`;
  const { arena, exports } = engine;
  const half = (nIn + 1) >> 1;
  const basis = engine.plan(key, () => {
    const B = dctBasis(nIn, nOut, o);
    if (type !== 2) {
      const nOutPad = (nOut + 3) & ~3;
      const p = arena.persistent(nIn * nOutPad * 4);
      const t = arena.f32(p, nIn * nOutPad).fill(0);
      for (let j = 0; j < nOut; j++) for (let m = 0; m < nIn; m++) t[m * nOutPad + j] = B[j * nIn + m];
      return p as DctBasis;
    }
    const nE = (nOut + 1) >> 1, nO = nOut >> 1;
    const nEP = (nE + 3) & ~3, nOP = (nO + 3) & ~3;
    const p = arena.persistent(half * (nEP + nOP) * 4);
    const t = arena.f32(p, half * (nEP + nOP)).fill(0);
    for (let j = 0; j < nOut; j++) {
      const [base, pad, col] = j % 2 === 0 ? [0, nEP, j >> 1] : [half * nEP, nOP, j >> 1];
      for (let m = 0; m < half; m++) t[base + m * pad + col] = B[j * nIn + m];
    }
    return p as Dct2Basis;
  }) as DctBasis | Dct2Basis; // the layout follows `type`, which is part of the key
  return {
    apply(x, nFrames, out, outStride) {
      if (type !== 2) exports.dctFrames(basis as DctBasis, nIn, nOut, x, nFrames, out, outStride);
      else exports.dct2Frames(basis as Dct2Basis, nIn, nOut, x, nFrames, out, outStride, arena.alloc((2 * half + 8) * 4));
    },
  };
}
