/** Log-softmax over one row of log-likelihoods, for posteriors under a uniform prior. */

/** row − logsumexp(row), in f64; an all −Infinity row gives the uniform −log(n). */
export function logSoftmax(row: Float64Array): Float64Array {
  const m = Math.max(...row);
  if (m === -Infinity) return row.map(() => -Math.log(row.length));
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return row.map((v) => v - lse);
}
