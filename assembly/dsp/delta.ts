// Local derivatives along time, librosa.feature.delta (scipy savgol_filter, mode 'interp').
// The bindings compute the Savitzky-Golay coefficients for (width, order) — librosa always fits a
// polynomial of degree = order, so the derivative of that degree is constant over a window — and
// this kernel convolves. Under mode 'interp' the first and last width/2 frames take the value of
// the first / last full window, which is exactly that constant.

/**
 * out[t][0..D) = Σ_{k=0}^{w-1} coeffs[k] · X[t + k − w/2][0..D) for interior frames, edges copied
 * from frame w/2 and T−1−w/2. Rows of X are xStride floats apart and rows of out outStride apart
 * (≥ D), so deltas can be written beside the coefficients they come from. Requires T ≥ w (the
 * bindings shrink w for short inputs). Does not allocate.
 */
export function savgolFrames(X: usize, T: i32, D: i32, xStride: i32, coeffs: usize, w: i32, out: usize, outStride: i32): void {
  const h = w >> 1;
  const xRow: usize = <usize>xStride * 4, oRow: usize = <usize>outStride * 4;
  for (let t = h; t < T - h; t++) {
    const o = out + <usize>t * oRow;
    const x0 = X + <usize>(t - h) * xRow;
    let d = 0;
    if (ASC_FEATURE_SIMD) {
      for (; d + 4 <= D; d += 4) {
        let acc = f32x4.splat(0);
        for (let k = 0; k < w; k++) {
          acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(coeffs + <usize>k * 4), v128.load(x0 + <usize>k * xRow + <usize>d * 4)));
        }
        v128.store(o + <usize>d * 4, acc);
      }
    }
    for (; d < D; d++) {
      let acc: f32 = 0;
      for (let k = 0; k < w; k++) acc += load<f32>(coeffs + <usize>k * 4) * load<f32>(x0 + <usize>k * xRow + <usize>d * 4);
      store<f32>(o + <usize>d * 4, acc);
    }
  }
  const bytes = <usize>D * 4;
  for (let t = 0; t < h; t++) {
    memory.copy(out + <usize>t * oRow, out + <usize>h * oRow, bytes);
    memory.copy(out + <usize>(T - 1 - t) * oRow, out + <usize>(T - 1 - h) * oRow, bytes);
  }
}
