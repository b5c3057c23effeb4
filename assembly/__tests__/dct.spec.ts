// dctFrames (assembly/dsp/dct.ts) with an orthonormal DCT-II basis built here, against a direct
// f64 DCT-II and against dctRow (the plain f32 loop, same summation order as the SIMD lanes).
import { dctFrames, dctRow } from "../dsp/dct";
import {
  checks, allocF32, free, getF32, seed, fillRandom, fillF32,
  checkAtMost, checkBitsN, checkFilled, checkNear,
} from "./helpers";

const SENTINEL: f32 = 31337.5;
const U: f64 = 5.960464477539063e-8; // 2^-24, the f32 unit roundoff

/** Orthonormal DCT-II weight of input m for coefficient k, in f64. */
function dct2(k: i32, m: i32, nIn: i32): f64 {
  const s = k == 0 ? Math.sqrt(1.0 / <f64>nIn) : Math.sqrt(2.0 / <f64>nIn);
  return s * Math.cos(Math.PI * <f64>k * <f64>(2 * m + 1) / <f64>(2 * nIn));
}

/** Basis transposed, [nIn][nOutPad] f32, nOutPad = nOut rounded up to 4, zero columns past nOut. */
function buildBasis(nIn: i32, nOut: i32): usize {
  const nOutPad = (nOut + 3) & ~3;
  const b = allocF32(nIn * nOutPad);
  for (let m = 0; m < nIn; m++) {
    for (let k = 0; k < nOut; k++) store<f32>(b + <usize>(m * nOutPad + k) * 4, <f32>dct2(k, m, nIn));
  }
  return b;
}

function checkDct(nIn: i32, nOut: i32, nFrames: i32): void {
  const tag = "nIn=" + nIn.toString() + " nOut=" + nOut.toString();
  const nOutPad = (nOut + 3) & ~3;
  const basis = buildBasis(nIn, nOut);
  const X = allocF32(nFrames * nIn);
  seed(<u32>(nIn * 100 + nOut));
  fillRandom(X, nFrames * nIn);
  const out = allocF32(nFrames * nOut + 4), ref = allocF32(nFrames * nOut + 4);
  fillF32(out, nFrames * nOut + 4, SENTINEL);
  dctFrames(basis, nIn, nOut, X, nFrames, out);

  // Direct f64 DCT-II; the bound is the forward error of an f32 dot product with rounded weights,
  // (nIn + 2)·u·Σ|x·b|, per coefficient.
  let worst = 0.0;
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0; k < nOut; k++) {
      let y = 0.0, mag = 0.0;
      for (let m = 0; m < nIn; m++) {
        const x = <f64>getF32(X, t * nIn + m), w = dct2(k, m, nIn);
        y += x * w;
        mag += Math.abs(x * w);
      }
      const err = Math.abs(<f64>getF32(out, t * nOut + k) - y);
      worst = Math.max(worst, err / ((<f64>nIn + 2.0) * U * mag));
    }
  }
  checkAtMost(worst, 1.0, tag + ": max |y − f64 DCT-II| / ((nIn + 2)·u·Σ|x·b|)");
  checkFilled(out, nFrames * nOut, nFrames * nOut + 4, SENTINEL, tag + ": wrote past [nFrames][nOut]");

  // Same bits as the scalar row kernel, frame by frame.
  for (let t = 0; t < nFrames; t++) {
    dctRow(basis, nIn, nOut, nOutPad, X + <usize>(t * nIn) * 4, ref + <usize>(t * nOut) * 4);
  }
  checkBitsN(out, ref, nFrames * nOut, tag + ": SIMD vs dctRow");
  free(basis); free(X); free(out); free(ref);
}

describe("dctFrames", () => {
  it("matches a direct f64 DCT-II and dctRow for nIn 8, 13, 128 × nOut 1, 5, 13", () => {
    const nIns: i32[] = [8, 13, 128], nOuts: i32[] = [1, 5, 13];
    for (let i = 0; i < nIns.length; i++) {
      for (let j = 0; j < nOuts.length; j++) checkDct(nIns[i], nOuts[j], 3);
    }
    checkDct(40, 40, 2); // nOut a multiple of 4: no partial group
  });

  it("maps a constant to its DC coefficient only", () => {
    const nIn = 8, nOut = 5;
    const basis = buildBasis(nIn, nOut), X = allocF32(nIn), out = allocF32(nOut);
    fillF32(X, nIn, 2);
    dctFrames(basis, nIn, nOut, X, 1, out);
    checkNear(<f64>getF32(out, 0), 2.0 * Math.sqrt(8.0), 1e-5, "DC = 2·sqrt(8)");
    for (let k = 1; k < nOut; k++) checkNear(<f64>getF32(out, k), 0, 1e-6, "coefficient " + k.toString());
    free(basis); free(X); free(out);
  });
});

describe("dct.spec", () => {
  it("counts its checks", () => {
    log<string>("dct.spec.ts: " + checks.toString() + " checks");
  });
});
