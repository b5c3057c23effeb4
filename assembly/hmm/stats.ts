// EM sufficient statistics for GMM emissions, accumulated over many sequences. The weight of frame
// t for component k of state s is gamma[t][s]·resp[t][k]; the M-step (TS) turns the sums into
// weights, means and covariances.

// x·xᵀ of the current frame (full covariance), computed once and shared by all K components.
const OUTER_MAX_D = 64;
const outer = memory.data(OUTER_MAX_D * OUTER_MAX_D * 8);

/**
 * Adds, for every component k = s·M + m: W[k] += Σ_t w_tk, X1[k][d] += Σ_t w_tk·x_td, and
 * X2[k][d] += Σ_t w_tk·x_td² (diag) or X2[k][i][j] += Σ_t w_tk·x_ti·x_tj for j ≥ i (full: the
 * upper triangle of [D][D] is what the M-step reads). Does not allocate.
 */
export function accumulateGmm(X: usize, T: i32, D: i32, gamma: usize, resp: usize, S: i32, M: i32, full: i32, W: usize, X1: usize, X2: usize): void {
  const K = S * M;
  const useOuter = full && D <= OUTER_MAX_D;
  for (let t = 0; t < T; t++) {
    const x = X + <usize>t * D * 8;
    if (useOuter) {
      for (let i = 0; i < D; i++) {
        const xi = load<f64>(x + <usize>i * 8);
        for (let j = i; j < D; j++) store<f64>(outer + <usize>(i * D + j) * 8, xi * load<f64>(x + <usize>j * 8));
      }
    }
    for (let s = 0; s < S; s++) {
      const g = load<f64>(gamma + (<usize>t * S + s) * 8);
      if (g == 0) continue;
      for (let m = 0; m < M; m++) {
        const k = s * M + m;
        const w = g * load<f64>(resp + (<usize>t * K + k) * 8);
        if (w == 0) continue;
        store<f64>(W + <usize>k * 8, load<f64>(W + <usize>k * 8) + w);
        const x1 = X1 + <usize>k * D * 8;
        if (full) {
          const x2 = X2 + <usize>k * D * D * 8;
          addScaled(x1, x, w, D);
          for (let i = 0; i < D; i++) {
            const row = <usize>(i * D + i) * 8;
            if (useOuter) addScaled(x2 + row, outer + row, w, D - i);
            else {
              const wxi = w * load<f64>(x + <usize>i * 8);
              for (let j = i; j < D; j++) {
                const p = x2 + <usize>(i * D + j) * 8;
                store<f64>(p, load<f64>(p) + wxi * load<f64>(x + <usize>j * 8));
              }
            }
          }
        } else {
          const x2 = X2 + <usize>k * D * 8;
          for (let d = 0; d < D; d++) {
            const xd = load<f64>(x + <usize>d * 8), wx = w * xd;
            store<f64>(x1 + <usize>d * 8, load<f64>(x1 + <usize>d * 8) + wx);
            store<f64>(x2 + <usize>d * 8, load<f64>(x2 + <usize>d * 8) + wx * xd);
          }
        }
      }
    }
  }
}

/** dst[0..n) += w·src[0..n), f64 (f64x2 main loop in the SIMD build). */
// @ts-ignore: decorator
@inline function addScaled(dst: usize, src: usize, w: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wv = f64x2.splat(w);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i * 8;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(wv, v128.load(src + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * 8;
    store<f64>(dst + o, load<f64>(dst + o) + w * load<f64>(src + o));
  }
}
