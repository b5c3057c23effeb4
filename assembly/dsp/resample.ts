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

// Polyphase FIR resampling (the Kaiser path of bindings/features/resample.ts).
//
// The bindings design the filter once per rate pair and tabulate it per phase: for a rational
// ratio origSr/targetSr = P/Q the output positions fall on exactly Q fractional phases, so each
// output sample is one dot product of `taps` consecutive input samples with one table row (no
// trigonometry per tap). For other ratios the table holds L + 1 phases and neighbouring rows are
// blended linearly. The dot product runs in four f32 partial sums, tap t going to sum t mod 4: the
// f32x4 lanes in the SIMD build, four scalars in the scalar one, so both builds give the same bits.

/**
 * out [m] f32 from x [n] f32 through the phase table [L (+1)][taps] f32 (taps a multiple of 4,
 * rows 16-byte aligned): output k sits at u = u0 + k·du, in 1/L-ths of an input sample; with
 * i = ⌊u / L⌋ and phase r = ⌊u⌋ − i·L, out[k] = Σ_t x[i − halfTaps + 1 + t] · table[r][t], x being
 * zero outside [0, n). interp = 1 blends rows r and r + 1 by the fraction u − ⌊u⌋ (the table then
 * has L + 1 rows); interp = 0 takes u as integral. Does not allocate.
 */
export function resamplePoly(x: usize, n: i32, table: usize, taps: i32, L: i32, halfTaps: i32,
  u0: f64, du: f64, interp: i32, out: usize, m: i32): void {
  const rowBytes = <usize>taps << 2;
  const fL = <f64>L;
  for (let k = 0; k < m; k++) {
    const u = u0 + <f64>k * du;
    const fu = Math.floor(u);
    const fi = Math.floor(fu / fL);
    const r = <i32>(fu - fi * fL);
    const j0 = <i32>fi - halfTaps + 1;
    const row = table + <usize>r * rowBytes;
    let y = polyDot(x, n, j0, row, taps);
    if (interp) {
      const w = <f32>(u - fu);
      if (w != 0) y += w * (polyDot(x, n, j0, row + rowBytes, taps) - y);
    }
    store<f32>(out + (<usize>k << 2), y);
  }
}

/** Σ_t x[j0 + t]·h[t], t < taps, x zero outside [0, n); tap t goes to partial sum t mod 4. */
// @ts-ignore: decorator
@inline function polyDot(x: usize, n: i32, j0: i32, h: usize, taps: i32): f32 {
  if (j0 >= 0 && j0 + taps <= n) {
    const xs = x + (<usize>j0 << 2);
    if (ASC_FEATURE_SIMD) {
      let acc = f32x4.splat(0);
      for (let t = 0; t < taps; t += 4) {
        const o = <usize>t << 2;
        acc = f32x4.add(acc, f32x4.mul(v128.load(xs + o), v128.load(h + o)));
      }
      return (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
    let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
    for (let t = 0; t < taps; t += 4) {
      const o = <usize>t << 2;
      a0 += load<f32>(xs + o) * load<f32>(h + o);
      a1 += load<f32>(xs + o, 4) * load<f32>(h + o, 4);
      a2 += load<f32>(xs + o, 8) * load<f32>(h + o, 8);
      a3 += load<f32>(xs + o, 12) * load<f32>(h + o, 12);
    }
    return (a0 + a1) + (a2 + a3);
  }
  // Near the edges: the taps that fall inside the signal, in the same partial sums.
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  const t0 = max(0, -j0), t1 = min(taps, n - j0);
  for (let t = t0; t < t1; t++) {
    const v = load<f32>(x + (<usize>(j0 + t) << 2)) * load<f32>(h + (<usize>t << 2));
    const lane = t & 3;
    if (lane == 0) a0 += v;
    else if (lane == 1) a1 += v;
    else if (lane == 2) a2 += v;
    else a3 += v;
  }
  return (a0 + a1) + (a2 + a3);
}
