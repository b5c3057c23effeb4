// EM sufficient statistics for GMM emissions, accumulated over many sequences. The weight of frame
// t for component k of state s is gamma[t][s]·resp[t][k]; the M-step (TS) turns the sums into
// weights, means and covariances.

/**
 * Adds, for every component k = s·M + m: W[k] += Σ_t w_tk, X1[k][d] += Σ_t w_tk·x_td, and
 * X2[k][d] += Σ_t w_tk·x_td² (diag) or X2[k][i][j] += Σ_t w_tk·x_ti·x_tj for j ≥ i (full: the
 * upper triangle of [D][D]; the M-step mirrors it). Does not allocate.
 */
export function accumulateGmm(X: usize, T: i32, D: i32, gamma: usize, resp: usize, S: i32, M: i32, full: i32, W: usize, X1: usize, X2: usize): void {
  const K = S * M;
  for (let t = 0; t < T; t++) {
    const x = X + <usize>t * D * 8;
    for (let k = 0; k < K; k++) {
      const w = load<f64>(gamma + (<usize>t * S + k / M) * 8) * load<f64>(resp + (<usize>t * K + k) * 8);
      if (w == 0) continue;
      store<f64>(W + <usize>k * 8, load<f64>(W + <usize>k * 8) + w);
      const x1 = X1 + <usize>k * D * 8;
      if (full) {
        const x2 = X2 + <usize>k * D * D * 8;
        for (let i = 0; i < D; i++) {
          const wxi = w * load<f64>(x + <usize>i * 8);
          store<f64>(x1 + <usize>i * 8, load<f64>(x1 + <usize>i * 8) + wxi);
          for (let j = i; j < D; j++) {
            const p = x2 + <usize>(i * D + j) * 8;
            store<f64>(p, load<f64>(p) + wxi * load<f64>(x + <usize>j * 8));
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
