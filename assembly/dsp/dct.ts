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

/** One frame on plain f32, in the same summation order as the SIMD lanes (the specs' reference). */
export function dctRow(basis: usize, nIn: i32, nOut: i32, nOutPad: i32, x: usize, o: usize): void {
  for (let j = 0; j < nOut; j++) {
    let acc: f32 = 0;
    for (let m = 0; m < nIn; m++) acc += load<f32>(x + <usize>m * 4) * load<f32>(basis + <usize>(m * nOutPad + j) * 4);
    store<f32>(o + <usize>j * 4, acc);
  }
}
