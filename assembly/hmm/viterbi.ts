// Viterbi decoding in log space (max-plus, no exponentials), with back-pointers.

/**
 * Most likely state path: path [T] i32, returns its log-probability (including logEnd), or
 * −Infinity with path filled with −1 when no path is allowed. delta: [T][S] f64 scratch,
 * psi: [T][S] i32 scratch. Ties go to the lower state index. Does not allocate.
 */
export function viterbiLog(logStart: usize, logTrans: usize, logEnd: usize, logB: usize, T: i32, S: i32, delta: usize, psi: usize, path: usize): f64 {
  for (let j = 0; j < S; j++) {
    store<f64>(delta + <usize>j * 8, load<f64>(logStart + <usize>j * 8) + load<f64>(logB + <usize>j * 8));
  }
  for (let t = 1; t < T; t++) {
    const prev = delta + <usize>(t - 1) * S * 8, cur = delta + <usize>t * S * 8;
    for (let j = 0; j < S; j++) {
      let best: f64 = -Infinity, arg = 0;
      for (let i = 0; i < S; i++) {
        const v = load<f64>(prev + <usize>i * 8) + load<f64>(logTrans + <usize>(i * S + j) * 8);
        if (v > best) { best = v; arg = i; }
      }
      store<f64>(cur + <usize>j * 8, best + load<f64>(logB + (<usize>t * S + j) * 8));
      store<i32>(psi + (<usize>t * S + j) * 4, arg);
    }
  }
  let best: f64 = -Infinity, arg = -1;
  const last = delta + <usize>(T - 1) * S * 8;
  for (let j = 0; j < S; j++) {
    const v = load<f64>(last + <usize>j * 8) + load<f64>(logEnd + <usize>j * 8);
    if (v > best) { best = v; arg = j; }
  }
  if (arg < 0) {
    for (let t = 0; t < T; t++) store<i32>(path + <usize>t * 4, -1);
    return -Infinity;
  }
  for (let t = T - 1; t >= 0; t--) {
    store<i32>(path + <usize>t * 4, arg);
    if (t > 0) arg = load<i32>(psi + (<usize>t * S + arg) * 4);
  }
  return best;
}
