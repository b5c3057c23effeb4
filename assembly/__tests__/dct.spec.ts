// dctFrames and dct2Frames (assembly/dsp/dct.ts) with an orthonormal DCT-II basis built here,
// against a direct f64 DCT-II, and against plain f32 loops written here in the kernels' summation
// order (a dot per coefficient for dctFrames; fold-then-dot for dct2Frames). Not dct.ts's dctRow:
// that is dctFrames' own scalar path, so on the scalar build it would be compared with itself.
import { dctFrames, dct2Frames } from "../dsp/dct";
import {
  allocF32, free, getF32, seed, fillRandom, fillF32,
  checkAtMost, checkBitsN, checkFilled, checkNear,
} from "./helpers";

const SENTINEL: f32 = 31337.5;
const U: f64 = 5.960464477539063e-8; // 2^-24, the f32 unit roundoff

/** Orthonormal DCT-II weight of input m for coefficient k, in f64. */
function dct2(k: i32, m: i32, nIn: i32): f64 {
  const s = k == 0 ? Math.sqrt(1.0 / <f64>nIn) : Math.sqrt(2.0 / <f64>nIn);
  return s * Math.cos(Math.PI * <f64>k * <f64>(2 * m + 1) / <f64>(2 * nIn));
}

/** Dense basis, transposed: [nIn][nOutPad] f32, nOutPad = nOut rounded up to 4, zero columns past nOut. */
function buildBasis(nIn: i32, nOut: i32): usize {
  const nOutPad = (nOut + 3) & ~3;
  const b = allocF32(nIn * nOutPad);
  for (let m = 0; m < nIn; m++) {
    for (let k = 0; k < nOut; k++) store<f32>(b + <usize>(m * nOutPad + k) * 4, <f32>dct2(k, m, nIn));
  }
  return b;
}

/**
 * Folded basis for dct2Frames: even block [half][nEvenPad] (column e = coefficient 2e), then odd
 * block [half][nOddPad] (column o = coefficient 2o+1), half = ⌈nIn/2⌉, pads multiples of 4.
 */
function buildFolded(nIn: i32, nOut: i32): usize {
  const half = (nIn + 1) >> 1;
  const nE = (nOut + 1) >> 1, nO = nOut >> 1;
  const nEP = (nE + 3) & ~3, nOP = (nO + 3) & ~3;
  const b = allocF32(half * (nEP + nOP));
  const odd = b + <usize>(half * nEP) * 4;
  for (let m = 0; m < half; m++) {
    for (let e = 0; e < nE; e++) store<f32>(b + <usize>(m * nEP + e) * 4, <f32>dct2(2 * e, m, nIn));
    for (let o = 0; o < nO; o++) store<f32>(odd + <usize>(m * nOP + o) * 4, <f32>dct2(2 * o + 1, m, nIn));
  }
  return b;
}

/** The dense DCT of one frame in plain f32: a sequential dot per coefficient over basis [nIn][nOutPad]. */
function denseRow(basis: usize, nIn: i32, nOut: i32, nOutPad: i32, x: usize, o: usize): void {
  for (let k = 0; k < nOut; k++) {
    let acc: f32 = 0;
    for (let m = 0; m < nIn; m++) acc += getF32(x, m) * getF32(basis, m * nOutPad + k);
    store<f32>(o + <usize>k * 4, acc);
  }
}

/** The folded DCT-II of one frame in plain f32: s/d fold, then a sequential dot per coefficient. */
function foldedRow(basis: usize, nIn: i32, nOut: i32, x: usize, o: usize): void {
  const half = (nIn + 1) >> 1;
  const nE = (nOut + 1) >> 1, nO = nOut >> 1;
  const nEP = (nE + 3) & ~3, nOP = (nO + 3) & ~3;
  const odd = basis + <usize>(half * nEP) * 4;
  const s = new StaticArray<f32>(half), d = new StaticArray<f32>(half);
  for (let m = 0; m < (nIn >> 1); m++) {
    const a = getF32(x, m), b = getF32(x, nIn - 1 - m);
    s[m] = a + b;
    d[m] = a - b;
  }
  if (nIn & 1) {
    s[half - 1] = getF32(x, half - 1);
    d[half - 1] = 0;
  }
  for (let e = 0; e < nE; e++) {
    let acc: f32 = 0;
    for (let m = 0; m < half; m++) acc += s[m] * getF32(basis, m * nEP + e);
    store<f32>(o + <usize>(2 * e) * 4, acc);
  }
  for (let c = 0; c < nO; c++) {
    let acc: f32 = 0;
    for (let m = 0; m < half; m++) acc += d[m] * getF32(odd, m * nOP + c);
    store<f32>(o + <usize>(2 * c + 1) * 4, acc);
  }
}

/**
 * max over frames and coefficients of |y − f64 DCT-II| / ((nIn + 2)·u·Σ|x·b| + 1e-15·Σ|x|): the
 * forward error bound of an f32 dot product with rounded weights (also covering the fold's extra
 * rounding), plus 1e-15 per weight for the f64 cos itself, which matters where the exact weights
 * vanish: with nOut > nIn, coefficient k = nIn is identically 0 but its f64 weights are ~1e-16 and
 * not exactly mirror-symmetric, which the folded kernel assumes.
 */
function worstVsF64(out: usize, stride: i32, X: usize, nIn: i32, nOut: i32, nFrames: i32): f64 {
  let worst = 0.0;
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0; k < nOut; k++) {
      let y = 0.0, mag = 0.0, l1 = 0.0;
      for (let m = 0; m < nIn; m++) {
        const x = <f64>getF32(X, t * nIn + m), w = dct2(k, m, nIn);
        y += x * w;
        mag += Math.abs(x * w);
        l1 += Math.abs(x);
      }
      const err = Math.abs(<f64>getF32(out, t * stride + k) - y);
      worst = Math.max(worst, err / ((<f64>nIn + 2.0) * U * mag + 1e-15 * l1));
    }
  }
  return worst;
}

/** Both kernels on one (nIn, nOut), rows `pad` floats wider than nOut; gaps must stay untouched. */
function checkDct(nIn: i32, nOut: i32, nFrames: i32, pad: i32): void {
  const tag = "nIn=" + nIn.toString() + " nOut=" + nOut.toString() + " stride=nOut+" + pad.toString();
  const stride = nOut + pad;
  const nOutPad = (nOut + 3) & ~3;
  const X = allocF32(nFrames * nIn);
  seed(<u32>(nIn * 100 + nOut));
  fillRandom(X, nFrames * nIn);
  const size = nFrames * stride + 4;
  const out = allocF32(size), ref = allocF32(size);

  // dctFrames: dense basis.
  const basis = buildBasis(nIn, nOut);
  fillF32(out, size, SENTINEL);
  fillF32(ref, size, SENTINEL);
  dctFrames(basis, nIn, nOut, X, nFrames, out, stride);
  checkAtMost(worstVsF64(out, stride, X, nIn, nOut, nFrames), 1.0, "dctFrames " + tag + ": error vs f64 DCT-II within the f32 bound");
  for (let t = 0; t < nFrames; t++) {
    checkFilled(out, t * stride + nOut, (t + 1) * stride, SENTINEL, "dctFrames " + tag + ": row gap " + t.toString());
    denseRow(basis, nIn, nOut, nOutPad, X + <usize>(t * nIn) * 4, ref + <usize>(t * stride) * 4);
  }
  checkFilled(out, nFrames * stride, size, SENTINEL, "dctFrames " + tag + ": wrote past the end");
  checkBitsN(out, ref, size, "dctFrames " + tag + ": vs plain f32 dot");
  free(basis);

  // dct2Frames: folded basis, scratch 2·⌈nIn/2⌉ + 8 f32.
  const folded = buildFolded(nIn, nOut);
  const scratch = allocF32(2 * ((nIn + 1) >> 1) + 8);
  fillF32(out, size, SENTINEL);
  fillF32(ref, size, SENTINEL);
  dct2Frames(folded, nIn, nOut, X, nFrames, out, stride, scratch);
  checkAtMost(worstVsF64(out, stride, X, nIn, nOut, nFrames), 1.0, "dct2Frames " + tag + ": error vs f64 DCT-II within the f32 bound");
  for (let t = 0; t < nFrames; t++) {
    checkFilled(out, t * stride + nOut, (t + 1) * stride, SENTINEL, "dct2Frames " + tag + ": row gap " + t.toString());
    foldedRow(folded, nIn, nOut, X + <usize>(t * nIn) * 4, ref + <usize>(t * stride) * 4);
  }
  checkFilled(out, nFrames * stride, size, SENTINEL, "dct2Frames " + tag + ": wrote past the end");
  checkBitsN(out, ref, size, "dct2Frames " + tag + ": SIMD vs plain f32 fold");
  free(folded); free(scratch);

  free(X); free(out); free(ref);
}

describe("dctFrames / dct2Frames", () => {
  it("match a direct f64 DCT-II and their scalar loops for nIn 8, 13, 128 × nOut 1, 5, 13", () => {
    const nIns: i32[] = [8, 13, 128], nOuts: i32[] = [1, 5, 13];
    for (let i = 0; i < nIns.length; i++) {
      for (let j = 0; j < nOuts.length; j++) checkDct(nIns[i], nOuts[j], 3, 0);
    }
    checkDct(40, 40, 2, 0); // nOut a multiple of 4: no partial group
    checkDct(7, 8, 2, 0);   // nOut > nIn, odd nIn
    // Every nOut mod 4 (partial groups of 1, 2, 3 lanes) and nOut mod 8 for the folded halves.
    for (let nOut = 2; nOut <= 8; nOut++) checkDct(20, nOut, 2, 0);
  });

  it("leave the gaps between strided output rows untouched", () => {
    checkDct(13, 5, 4, 3);
    checkDct(40, 13, 3, 26); // MFCC beside its deltas: [t][13 + 26]
    checkDct(8, 8, 2, 1);
  });

  it("map a constant to its DC coefficient only", () => {
    const nIn = 8, nOut = 5;
    const X = allocF32(nIn), out = allocF32(nOut), out2 = allocF32(nOut), scratch = allocF32(2 * 4 + 8);
    fillF32(X, nIn, 2);
    const basis = buildBasis(nIn, nOut), folded = buildFolded(nIn, nOut);
    dctFrames(basis, nIn, nOut, X, 1, out, nOut);
    dct2Frames(folded, nIn, nOut, X, 1, out2, nOut, scratch);
    checkNear(<f64>getF32(out, 0), 2.0 * Math.sqrt(8.0), 1e-5, "dctFrames: DC = 2·sqrt(8)");
    checkNear(<f64>getF32(out2, 0), 2.0 * Math.sqrt(8.0), 1e-5, "dct2Frames: DC = 2·sqrt(8)");
    for (let k = 1; k < nOut; k++) {
      checkNear(<f64>getF32(out, k), 0, 1e-6, "dctFrames: coefficient " + k.toString());
      // Folding makes the odd coefficients exactly 0 (d = x − x = 0).
      checkNear(<f64>getF32(out2, k), 0, k & 1 ? 0 : 1e-6, "dct2Frames: coefficient " + k.toString());
    }
    free(basis); free(folded); free(X); free(out); free(out2); free(scratch);
  });
});
