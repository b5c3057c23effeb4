// Band-limited resampling by windowed-sinc interpolation.
//
// Every output sample is evaluated at a fractional input position p as
//   out(p) = Σ_j x[j] · c·sinc(c·(p − j)) · ½(1 + cos(π (p − j) / W)),   |p − j| < W,
// a low-pass at c × the input Nyquist (c = 1 when upsampling, c = srOut/srIn when downsampling, so
// nothing above the new Nyquist folds back) under a raised-cosine window W input samples wide on each
// side; x is zero outside [0, n). With W = 400 at 16 kHz the transition band is ~60 Hz wide around
// the cutoff, close to the brick-wall FFT filter Praat applies before its own sinc interpolation
// (Sound_resample), and the passband is flat to < 1e-3 until ~100 Hz below the cutoff.
//
// The sines and cosines advance by rotation from one tap to the next (two multiplies instead of a
// sin/cos per tap); the SIMD build runs taps j and j+1 in the two f64x2 lanes, each rotating by two
// taps. Accumulation is f64; the output is f32, the house sample type.

/**
 * out [m] f32: out[k] = the band-limited x [n] f32 at input position start + k·step (in input
 * samples, sample j sits at position j), low-passed at `cutoff` (0 < cutoff ≤ 1, a fraction of the
 * input Nyquist) under a raised-cosine window of halfWidth ≥ 1 input samples each side.
 * Does not allocate.
 */
export function resampleSinc(x: usize, n: i32, start: f64, step: f64, cutoff: f64, halfWidth: i32, out: usize, m: i32): void {
  const W = <f64>halfWidth;
  const dTheta = Math.PI * cutoff; // sinc phase per tap
  const dPhi = Math.PI / W;        // window phase per tap
  const cT = Math.cos(dTheta), sT = Math.sin(dTheta);
  const cP = Math.cos(dPhi), sP = Math.sin(dPhi);
  for (let k = 0; k < m; k++) {
    const p = start + <f64>k * step;
    // Taps j with |p − j| < W, clipped to the signal.
    const j0 = max(<i32>Math.floor(p - W) + 1, 0);
    const j1 = min(<i32>Math.ceil(p + W) - 1, n - 1);
    let acc: f64 = 0;
    if (j0 <= j1) {
      // At tap j the distance is d = p − j; both phases fall by one step per tap.
      const d0 = p - <f64>j0;
      let sin0 = Math.sin(dTheta * d0), cos0 = Math.cos(dTheta * d0);
      let wsin0 = Math.sin(dPhi * d0), wcos0 = Math.cos(dPhi * d0);
      let j = j0;
      if (ASC_FEATURE_SIMD) {
        if (j1 - j0 + 1 >= 4) {
          // Lane 1 starts one tap later: rotate lane 0's phases back by one step.
          const sin1 = sin0 * cT - cos0 * sT, cos1 = cos0 * cT + sin0 * sT;
          const wsin1 = wsin0 * cP - wcos0 * sP, wcos1 = wcos0 * cP + wsin0 * sP;
          let s = f64x2.replace_lane(f64x2.splat(sin0), 1, sin1);
          let c = f64x2.replace_lane(f64x2.splat(cos0), 1, cos1);
          let ws = f64x2.replace_lane(f64x2.splat(wsin0), 1, wsin1);
          let wc = f64x2.replace_lane(f64x2.splat(wcos0), 1, wcos1);
          const c2T = f64x2.splat(cT * cT - sT * sT), s2T = f64x2.splat(2 * sT * cT);
          const c2P = f64x2.splat(cP * cP - sP * sP), s2P = f64x2.splat(2 * sP * cP);
          let theta = f64x2.replace_lane(f64x2.splat(dTheta * d0), 1, dTheta * (d0 - 1));
          const theta2 = f64x2.splat(2 * dTheta);
          const half = f64x2.splat(0.5), one = f64x2.splat(1), zero = f64x2.splat(0);
          let vacc = f64x2.splat(0);
          for (; j + 2 <= j1 + 1; j += 2) {
            const xv = f64x2.replace_lane(f64x2.splat(<f64>load<f32>(x + <usize>j * 4)), 1, <f64>load<f32>(x + <usize>(j + 1) * 4));
            // sinc = sin θ / θ, 1 where θ = 0 (p on a sample).
            const isZero = f64x2.eq(theta, zero);
            const sinc = v128.bitselect(one, f64x2.div(s, v128.bitselect(one, theta, isZero)), isZero);
            const w = f64x2.mul(half, f64x2.add(one, wc));
            vacc = f64x2.add(vacc, f64x2.mul(xv, f64x2.mul(sinc, w)));
            // Rotate both phases back by two taps.
            const ns = f64x2.sub(f64x2.mul(s, c2T), f64x2.mul(c, s2T));
            c = f64x2.add(f64x2.mul(c, c2T), f64x2.mul(s, s2T));
            s = ns;
            const nws = f64x2.sub(f64x2.mul(ws, c2P), f64x2.mul(wc, s2P));
            wc = f64x2.add(f64x2.mul(wc, c2P), f64x2.mul(ws, s2P));
            ws = nws;
            theta = f64x2.sub(theta, theta2);
          }
          acc = f64x2.extract_lane(vacc, 0) + f64x2.extract_lane(vacc, 1);
          sin0 = f64x2.extract_lane(s, 0); cos0 = f64x2.extract_lane(c, 0);
          wsin0 = f64x2.extract_lane(ws, 0); wcos0 = f64x2.extract_lane(wc, 0);
        }
      }
      for (; j <= j1; j++) {
        const theta = dTheta * (p - <f64>j);
        const sinc = theta == 0 ? 1.0 : sin0 / theta;
        acc += <f64>load<f32>(x + <usize>j * 4) * sinc * (0.5 + 0.5 * wcos0);
        const ns = sin0 * cT - cos0 * sT;
        cos0 = cos0 * cT + sin0 * sT;
        sin0 = ns;
        const nws = wsin0 * cP - wcos0 * sP;
        wcos0 = wcos0 * cP + wsin0 * sP;
        wsin0 = nws;
      }
    }
    store<f32>(out + <usize>k * 4, <f32>(cutoff * acc));
  }
}
