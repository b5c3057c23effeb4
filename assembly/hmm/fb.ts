// Forward-backward in log space (hmmlearn's implementation='log'), f64 lattices [T][S].
// Structural zeros (log 0 = −Infinity, e.g. a left-right model's a_ij for j < i or j > i+1) are
// skipped, so a left-right step costs two terms per state, not S. logEnd carries an optional final
// constraint (0 where a sequence may end, −Infinity elsewhere: "must end in the last state").

import { expNeg } from "../math";

/** log(e^a + e^b), either may be −Infinity. */
// @ts-ignore: decorator
@inline function logAdd(a: f64, b: f64): f64 {
  if (a == -Infinity) return b;
  if (b == -Infinity) return a;
  return a > b ? a + Math.log1p(expNeg(b - a)) : b + Math.log1p(expNeg(a - b));
}

/**
 * alpha [T][S]; returns log p(X) = log Σ_j exp(alpha[T−1][j] + logEnd[j]) (−Infinity when no path
 * is allowed, e.g. fewer frames than a left-right chain's states). Does not allocate.
 */
export function forwardLog(logStart: usize, logTrans: usize, logEnd: usize, logB: usize, T: i32, S: i32, alpha: usize): f64 {
  for (let j = 0; j < S; j++) {
    store<f64>(alpha + <usize>j * 8, load<f64>(logStart + <usize>j * 8) + load<f64>(logB + <usize>j * 8));
  }
  for (let t = 1; t < T; t++) {
    const prev = alpha + <usize>(t - 1) * S * 8, cur = alpha + <usize>t * S * 8;
    const b = logB + <usize>t * S * 8;
    for (let j = 0; j < S; j++) {
      let acc: f64 = -Infinity;
      for (let i = 0; i < S; i++) {
        const a = load<f64>(logTrans + <usize>(i * S + j) * 8);
        if (a == -Infinity) continue;
        acc = logAdd(acc, load<f64>(prev + <usize>i * 8) + a);
      }
      store<f64>(cur + <usize>j * 8, acc + load<f64>(b + <usize>j * 8));
    }
  }
  let lp: f64 = -Infinity;
  const last = alpha + <usize>(T - 1) * S * 8;
  for (let j = 0; j < S; j++) lp = logAdd(lp, load<f64>(last + <usize>j * 8) + load<f64>(logEnd + <usize>j * 8));
  return lp;
}

/** beta [T][S] with beta[T−1] = logEnd. Does not allocate. */
export function backwardLog(logTrans: usize, logEnd: usize, logB: usize, T: i32, S: i32, beta: usize): void {
  memory.copy(beta + <usize>(T - 1) * S * 8, logEnd, <usize>S * 8);
  for (let t = T - 2; t >= 0; t--) {
    const next = beta + <usize>(t + 1) * S * 8, cur = beta + <usize>t * S * 8;
    const b = logB + <usize>(t + 1) * S * 8;
    for (let i = 0; i < S; i++) {
      let acc: f64 = -Infinity;
      for (let j = 0; j < S; j++) {
        const a = load<f64>(logTrans + <usize>(i * S + j) * 8);
        if (a == -Infinity) continue;
        acc = logAdd(acc, a + load<f64>(b + <usize>j * 8) + load<f64>(next + <usize>j * 8));
      }
      store<f64>(cur + <usize>i * 8, acc);
    }
  }
}

/**
 * E-step for one sequence: gamma [T][S] = p(state_t = i | X) and, added into xiSum [S][S],
 * Σ_t p(state_t = i, state_{t+1} = j | X). logProb is forwardLog's result (finite). Does not allocate.
 */
export function posteriors(alpha: usize, beta: usize, logTrans: usize, logB: usize, T: i32, S: i32, logProb: f64, gamma: usize, xiSum: usize): void {
  for (let t = 0; t < T; t++) {
    const o = <usize>t * S * 8;
    for (let i = 0; i < S; i++) {
      store<f64>(gamma + o + <usize>i * 8, expNeg(load<f64>(alpha + o + <usize>i * 8) + load<f64>(beta + o + <usize>i * 8) - logProb));
    }
  }
  for (let t = 0; t + 1 < T; t++) {
    const a = alpha + <usize>t * S * 8;
    const b = logB + <usize>(t + 1) * S * 8, n = beta + <usize>(t + 1) * S * 8;
    for (let i = 0; i < S; i++) {
      const ai = load<f64>(a + <usize>i * 8) - logProb;
      if (ai == -Infinity) continue;
      for (let j = 0; j < S; j++) {
        const lt = load<f64>(logTrans + <usize>(i * S + j) * 8);
        if (lt == -Infinity) continue;
        const p = xiSum + <usize>(i * S + j) * 8;
        store<f64>(p, load<f64>(p) + expNeg(ai + lt + load<f64>(b + <usize>j * 8) + load<f64>(n + <usize>j * 8)));
      }
    }
  }
}
