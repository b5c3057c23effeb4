/**
 * Naive Savitzky-Golay derivative oracle (scipy.signal.savgol_filter(x, w, polyorder=p, deriv=d,
 * mode='interp')): at each point, least-squares fit a degree-p polynomial to the window and
 * differentiate it d times. Interior points use the window centred on them; with mode 'interp' the
 * first and last w/2 points use the fit of the first / last full window, evaluated at their own
 * position. Float64, solved by Gaussian elimination on the normal equations (centred abscissae).
 *
 * @module
 */

/** Coefficients a[0..p] of the least-squares polynomial Σ a_j·u^j through (u_i, v_i). */
function polyfit(u: number[], v: number[], p: number): number[] {
  const n = p + 1;
  const A = Array.from({ length: n }, (_, r) => {
    const row = new Array<number>(n + 1).fill(0);
    for (let c = 0; c < n; c++) for (let i = 0; i < u.length; i++) row[c] += u[i]! ** (r + c);
    for (let i = 0; i < u.length; i++) row[n] += v[i]! * u[i]! ** r;
    return row;
  });
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= n; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return A.map((row, r) => row[n]! / row[r]!);
}

/** d-th derivative at u of Σ a_j·u^j. */
function derivative(a: number[], d: number, u: number): number {
  let s = 0;
  for (let j = d; j < a.length; j++) {
    let f = 1;
    for (let i = 0; i < d; i++) f *= j - i;
    s += f * a[j]! * u ** (j - d);
  }
  return s;
}

/** savgol_filter(x, w, polyorder=p, deriv=d, mode='interp') of one series (x.length ≥ w, w odd). */
export function savgolInterp(x: ArrayLike<number>, w: number, p: number, d: number): Float64Array {
  const T = x.length, h = (w - 1) / 2;
  if (w % 2 !== 1 || w > T || p >= w) throw new Error(`savgolInterp: bad window w=${w} for T=${T}, p=${p}`);
  const fitAt = (start: number) => {
    // Abscissae centred on the window, so the normal equations stay well conditioned.
    const u = Array.from({ length: w }, (_, i) => i - h);
    const v = Array.from({ length: w }, (_, i) => x[start + i]!);
    return polyfit(u, v, p);
  };
  const out = new Float64Array(T);
  for (let t = h; t < T - h; t++) out[t] = derivative(fitAt(t - h), d, 0);
  const first = fitAt(0), last = fitAt(T - w);
  for (let t = 0; t < h; t++) {
    out[t] = derivative(first, d, t - h);
    out[T - 1 - t] = derivative(last, d, h - t);
  }
  return out;
}
