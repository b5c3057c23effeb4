// Gaussian-mixture emission log-densities, f64 (hmmlearn uses double; log-likelihoods of whole
// corpora need it). K = S·M components of all states, one parameter block per component.
//
//   diag: log N_k(x) = logNorm[k] − ½ Σ_d (x_d − μ_kd)² · prec_kd
//   full: log N_k(x) = logNorm[k] − ½ ‖U_kᵀ(x − μ_k)‖², U_k upper-triangular with Σ_k⁻¹ = U_k U_kᵀ
//         (sklearn's precisions_cholesky); logNorm[k] = log w_k − D/2·log 2π + Σ_d log U_k[d][d].
// The bindings compute logNorm, precisions and Cholesky factors in the M-step (TS, O(K·D³)).
// Frames run two at a time in f64x2 lanes in the SIMD build, as the DSP kernels run four.

import { expNeg, expNegX2 } from "../math";

/** The f64 at a in lane 0 and the one at b in lane 1: the same quantity of two frames side by side. */
// @ts-ignore: decorator
@inline function pairLanes(a: usize, b: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(load<f64>(a)), 1, load<f64>(b));
}

/** comp [T][K] = log N_k(x_t) (mixture weight included), X [T][D]. Does not allocate. */
export function gmmLogProbDiag(X: usize, T: i32, D: i32, means: usize, precs: usize, logNorm: usize, K: i32, comp: usize): void {
  let t = 0;
  if (ASC_FEATURE_SIMD) {
    for (; t + 2 <= T; t += 2) {
      const x0 = X + <usize>t * D * 8, x1 = x0 + <usize>D * 8;
      for (let k = 0; k < K; k++) {
        const mu = means + <usize>k * D * 8, pr = precs + <usize>k * D * 8;
        let acc = f64x2.splat(0);
        for (let d = 0; d < D; d++) {
          const o = <usize>d * 8;
          const x = pairLanes(x0 + o, x1 + o);
          const diff = f64x2.sub(x, v128.load64_splat(mu + o));
          acc = f64x2.add(acc, f64x2.mul(f64x2.mul(diff, diff), v128.load64_splat(pr + o)));
        }
        const ln = load<f64>(logNorm + <usize>k * 8);
        store<f64>(comp + (<usize>t * K + k) * 8, ln - 0.5 * f64x2.extract_lane(acc, 0));
        store<f64>(comp + (<usize>(t + 1) * K + k) * 8, ln - 0.5 * f64x2.extract_lane(acc, 1));
      }
    }
  }
  for (; t < T; t++) {
    const x0 = X + <usize>t * D * 8;
    for (let k = 0; k < K; k++) {
      const mu = means + <usize>k * D * 8, pr = precs + <usize>k * D * 8;
      let acc: f64 = 0;
      for (let d = 0; d < D; d++) {
        const o = <usize>d * 8;
        const diff = load<f64>(x0 + o) - load<f64>(mu + o);
        acc += diff * diff * load<f64>(pr + o);
      }
      store<f64>(comp + (<usize>t * K + k) * 8, load<f64>(logNorm + <usize>k * 8) - 0.5 * acc);
    }
  }
}

/**
 * comp [T][K] = log N_k(x_t) with full covariances: chol [K][D][D] holds U_k row-major (upper
 * triangle used). work: 2·D f64. Does not allocate.
 */
export function gmmLogProbFull(X: usize, T: i32, D: i32, means: usize, chol: usize, logNorm: usize, K: i32, comp: usize, work: usize): void {
  let t = 0;
  if (ASC_FEATURE_SIMD) {
    // work holds the two frames' differences as D f64x2 lanes.
    for (; t + 2 <= T; t += 2) {
      const x0 = X + <usize>t * D * 8, x1 = x0 + <usize>D * 8;
      for (let k = 0; k < K; k++) {
        const mu = means + <usize>k * D * 8, U = chol + <usize>k * D * D * 8;
        for (let d = 0; d < D; d++) {
          const o = <usize>d * 8;
          const x = pairLanes(x0 + o, x1 + o);
          v128.store(work + <usize>d * 16, f64x2.sub(x, v128.load64_splat(mu + o)));
        }
        let acc = f64x2.splat(0);
        for (let j = 0; j < D; j++) {
          // y_j = Σ_{i ≤ j} diff_i · U[i][j]
          let y = f64x2.splat(0);
          for (let i = 0; i <= j; i++) {
            y = f64x2.add(y, f64x2.mul(v128.load(work + <usize>i * 16), v128.load64_splat(U + <usize>(i * D + j) * 8)));
          }
          acc = f64x2.add(acc, f64x2.mul(y, y));
        }
        const ln = load<f64>(logNorm + <usize>k * 8);
        store<f64>(comp + (<usize>t * K + k) * 8, ln - 0.5 * f64x2.extract_lane(acc, 0));
        store<f64>(comp + (<usize>(t + 1) * K + k) * 8, ln - 0.5 * f64x2.extract_lane(acc, 1));
      }
    }
  }
  for (; t < T; t++) {
    const x0 = X + <usize>t * D * 8;
    for (let k = 0; k < K; k++) {
      const mu = means + <usize>k * D * 8, U = chol + <usize>k * D * D * 8;
      for (let d = 0; d < D; d++) store<f64>(work + <usize>d * 8, load<f64>(x0 + <usize>d * 8) - load<f64>(mu + <usize>d * 8));
      let acc: f64 = 0;
      for (let j = 0; j < D; j++) {
        let y: f64 = 0;
        for (let i = 0; i <= j; i++) y += load<f64>(work + <usize>i * 8) * load<f64>(U + <usize>(i * D + j) * 8);
        acc += y * y;
      }
      store<f64>(comp + (<usize>t * K + k) * 8, load<f64>(logNorm + <usize>k * 8) - 0.5 * acc);
    }
  }
}

/**
 * logB [T][S] = log Σ_m exp(comp[t][s·M + m]) (log-sum-exp over each state's M components). When
 * resp != 0, also resp [T][K] = exp(comp − logB): each component's share of its state (EM).
 * The SIMD build takes two frames per f64x2 lane for the exponentials. Does not allocate.
 */
export function stateLogProb(comp: usize, T: i32, S: i32, M: i32, logB: usize, resp: usize): void {
  const K = S * M;
  let t = 0;
  if (ASC_FEATURE_SIMD) {
    const row: usize = <usize>K * 8;
    for (; t + 2 <= T; t += 2) {
      for (let s = 0; s < S; s++) {
        const c0 = comp + (<usize>t * K + <usize>s * M) * 8, c1 = c0 + row;
        let m0: f64 = -Infinity, m1: f64 = -Infinity;
        for (let j = 0; j < M; j++) {
          m0 = max(m0, load<f64>(c0 + <usize>j * 8));
          m1 = max(m1, load<f64>(c1 + <usize>j * 8));
        }
        // A state whose every component is −Infinity: use 0 as the pivot (its sum is then 0).
        const mv = f64x2.replace_lane(f64x2.splat(m0 == -Infinity ? 0 : m0), 1, m1 == -Infinity ? 0 : m1);
        let sum = f64x2.splat(0);
        const r0 = resp + (<usize>t * K + <usize>s * M) * 8, r1 = r0 + row;
        for (let j = 0; j < M; j++) {
          const o = <usize>j * 8;
          const v = pairLanes(c0 + o, c1 + o);
          const e = expNegX2(f64x2.sub(v, mv));
          sum = f64x2.add(sum, e);
          if (resp) { // keep e^(c − max); divided by the sum below, these are the shares
            store<f64>(r0 + o, f64x2.extract_lane(e, 0));
            store<f64>(r1 + o, f64x2.extract_lane(e, 1));
          }
        }
        const s0 = f64x2.extract_lane(sum, 0), s1 = f64x2.extract_lane(sum, 1);
        const l0 = m0 == -Infinity ? m0 : m0 + Math.log(s0);
        const l1 = m1 == -Infinity ? m1 : m1 + Math.log(s1);
        store<f64>(logB + (<usize>t * S + s) * 8, l0);
        store<f64>(logB + (<usize>(t + 1) * S + s) * 8, l1);
        if (resp) {
          const i0: f64 = m0 == -Infinity ? 0 : 1 / s0, i1: f64 = m1 == -Infinity ? 0 : 1 / s1;
          for (let j = 0; j < M; j++) {
            const o = <usize>j * 8;
            store<f64>(r0 + o, load<f64>(r0 + o) * i0);
            store<f64>(r1 + o, load<f64>(r1 + o) * i1);
          }
        }
      }
    }
  }
  for (; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const c = comp + (<usize>t * K + <usize>s * M) * 8;
      let m: f64 = -Infinity;
      for (let j = 0; j < M; j++) m = max(m, load<f64>(c + <usize>j * 8));
      const r = resp + (<usize>t * K + <usize>s * M) * 8;
      let lse = m, sum: f64 = 0;
      if (m != -Infinity) {
        for (let j = 0; j < M; j++) {
          const e = expNeg(load<f64>(c + <usize>j * 8) - m);
          sum += e;
          if (resp) store<f64>(r + <usize>j * 8, e);
        }
        lse = m + Math.log(sum);
      }
      store<f64>(logB + (<usize>t * S + s) * 8, lse);
      if (resp) {
        const inv: f64 = m == -Infinity ? 0 : 1 / sum;
        for (let j = 0; j < M; j++) store<f64>(r + <usize>j * 8, m == -Infinity ? 0 : load<f64>(r + <usize>j * 8) * inv);
      }
    }
  }
}
