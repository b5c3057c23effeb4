// DCT as a small dense matrix product. With n_mels ≤ 128 and n_mfcc ≤ 40 a basis multiply beats a
// fast DCT and lets one kernel serve DCT types 1–3, either normalisation, and a folded-in lifter.
// The bindings build the basis transposed, [nIn][nOutPad] with nOutPad a multiple of 4 (zero
// columns past nOut), so the f32x4 main loop runs over output coefficients.

/**
 * out[t][0..nOut) = X [nFrames][nIn] · basis [nIn][nOutPad], out rows outStride floats apart
 * (≥ nOut: lets callers place coefficients beside their deltas). Does not allocate.
 */
export function dctFrames(basis: usize, nIn: i32, nOut: i32, X: usize, nFrames: i32, out: usize, outStride: i32): void {
  const nOutPad = (nOut + 3) & ~3;
  for (let t = 0; t < nFrames; t++) {
    const x = X + <usize>t * nIn * 4;
    const o = out + <usize>t * outStride * 4;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j < nOut; j += 4) {
        let acc = f32x4.splat(0);
        let b = basis + <usize>j * 4;
        for (let m = 0; m < nIn; m++, b += <usize>nOutPad * 4) {
          acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(x + <usize>m * 4), v128.load(b)));
        }
        if (j + 4 <= nOut) v128.store(o + <usize>j * 4, acc);
        else {
          store<f32>(o + <usize>j * 4, f32x4.extract_lane(acc, 0));
          if (j + 1 < nOut) store<f32>(o + <usize>j * 4, f32x4.extract_lane(acc, 1), 4);
          if (j + 2 < nOut) store<f32>(o + <usize>j * 4, f32x4.extract_lane(acc, 2), 8);
        }
      }
    } else {
      dctRow(basis, nIn, nOut, nOutPad, x, o);
    }
  }
}

/** One frame on plain f32, in the same summation order as the SIMD lanes: the scalar build's path. */
export function dctRow(basis: usize, nIn: i32, nOut: i32, nOutPad: i32, x: usize, o: usize): void {
  for (let j = 0; j < nOut; j++) {
    let acc: f32 = 0;
    for (let m = 0; m < nIn; m++) acc += load<f32>(x + <usize>m * 4) * load<f32>(basis + <usize>(m * nOutPad + j) * 4);
    store<f32>(o + <usize>j * 4, acc);
  }
}

/**
 * DCT-II (either norm, any lifter) using the basis's mirror symmetry
 * B[j][N−1−m] = (−1)^j·B[j][m]: fold the frame into s[m] = x[m] + x[N−1−m] and
 * d[m] = x[m] − x[N−1−m] (m < ⌈N/2⌉; the middle of an odd N is x itself in s and 0 in d), then the
 * even coefficients come from s and the odd ones from d — half the multiply-adds of dctFrames.
 * basis: even block [⌈N/2⌉][nEvenPad] (column e = coefficient 2e), then odd block
 * [⌈N/2⌉][nOddPad] (column o = coefficient 2o+1); pads are multiples of 4, zero-filled.
 * scratch: 2·⌈N/2⌉ + 8 f32. out rows outStride floats apart. Does not allocate.
 */
export function dct2Frames(basis: usize, nIn: i32, nOut: i32, X: usize, nFrames: i32, out: usize, outStride: i32, scratch: usize): void {
  const half = (nIn + 1) >> 1;
  const nE = (nOut + 1) >> 1, nO = nOut >> 1;
  const nEP = (nE + 3) & ~3, nOP = (nO + 3) & ~3;
  const odd = basis + <usize>(half * nEP) * 4;
  const s = scratch, d = scratch + <usize>half * 4;
  for (let t = 0; t < nFrames; t++) {
    const x = X + <usize>t * nIn * 4;
    const o = out + <usize>t * outStride * 4;
    for (let m = 0; m < (nIn >> 1); m++) {
      const a = load<f32>(x + <usize>m * 4), b = load<f32>(x + <usize>(nIn - 1 - m) * 4);
      store<f32>(s + <usize>m * 4, a + b);
      store<f32>(d + <usize>m * 4, a - b);
    }
    if (nIn & 1) {
      store<f32>(s + <usize>(half - 1) * 4, load<f32>(x + <usize>(half - 1) * 4));
      store<f32>(d + <usize>(half - 1) * 4, 0);
    }
    foldedProduct(basis, nEP, nE, s, half, o, 0);
    foldedProduct(odd, nOP, nO, d, half, o, 1);
  }
}

/** out[2c + parity] = Σ_m v[m]·B[m][c] for c < n, B [half][nPad]. */
// @ts-ignore: decorator
@inline function foldedProduct(B: usize, nPad: i32, n: i32, v: usize, half: i32, out: usize, parity: i32): void {
  if (ASC_FEATURE_SIMD) {
    for (let c = 0; c < n; c += 4) {
      let acc = f32x4.splat(0);
      let b = B + <usize>c * 4;
      for (let m = 0; m < half; m++, b += <usize>nPad * 4) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(v + <usize>m * 4), v128.load(b)));
      }
      const o = out + <usize>(2 * c + parity) * 4;
      store<f32>(o, f32x4.extract_lane(acc, 0));
      if (c + 1 < n) store<f32>(o, f32x4.extract_lane(acc, 1), 8);
      if (c + 2 < n) store<f32>(o, f32x4.extract_lane(acc, 2), 16);
      if (c + 3 < n) store<f32>(o, f32x4.extract_lane(acc, 3), 24);
    }
  } else {
    for (let c = 0; c < n; c++) {
      let acc: f32 = 0;
      for (let m = 0; m < half; m++) acc += load<f32>(v + <usize>m * 4) * load<f32>(B + <usize>(m * nPad + c) * 4);
      store<f32>(out + <usize>(2 * c + parity) * 4, acc);
    }
  }
}
