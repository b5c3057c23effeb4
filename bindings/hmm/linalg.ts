/**
 * Small dense linear algebra for the M-step (D ≤ a few dozen): Cholesky and triangular inverse,
 * row-major Float64Array [D][D].
 */

/** Lower-triangular L with A = L·Lᵀ, or null when A is not (numerically) positive definite. */
export function cholesky(A: Float64Array, D: number): Float64Array | null {
  const L = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    let s = A[j * D + j];
    for (let k = 0; k < j; k++) s -= L[j * D + k] * L[j * D + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    L[j * D + j] = d;
    for (let i = j + 1; i < D; i++) {
      let t = A[i * D + j];
      for (let k = 0; k < j; k++) t -= L[i * D + k] * L[j * D + k];
      L[i * D + j] = t / d;
    }
  }
  return L;
}

/** U = (L⁻¹)ᵀ, upper-triangular, so that A⁻¹ = U·Uᵀ when A = L·Lᵀ (sklearn's precisions_cholesky). */
export function precisionCholesky(L: Float64Array, D: number): Float64Array {
  // Solve L·Y = I column by column (forward substitution); Y = L⁻¹ is lower-triangular.
  const Y = new Float64Array(D * D);
  for (let c = 0; c < D; c++) {
    for (let i = c; i < D; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * D + k] * Y[k * D + c];
      Y[i * D + c] = s / L[i * D + i];
    }
  }
  const U = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) U[i * D + j] = Y[j * D + i];
  return U;
}

/**
 * Symmetric A = V·diag(λ)·Vᵀ by cyclic Jacobi rotations (D small). Returns eigenvalues and V
 * (columns are eigenvectors), row-major.
 */
export function symmetricEigen(A: Float64Array, D: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(D * D);
  for (let i = 0; i < D; i++) v[i * D + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < D; p++) for (let q = p + 1; q < D; q++) off += a[p * D + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < D; p++) {
      for (let q = p + 1; q < D; q++) {
        const apq = a[p * D + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * D + q] - a[p * D + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < D; k++) {
          const akp = a[k * D + p], akq = a[k * D + q];
          a[k * D + p] = c * akp - s * akq;
          a[k * D + q] = s * akp + c * akq;
        }
        for (let k = 0; k < D; k++) {
          const apk = a[p * D + k], aqk = a[q * D + k];
          a[p * D + k] = c * apk - s * aqk;
          a[q * D + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < D; k++) {
          const vkp = v[k * D + p], vkq = v[k * D + q];
          v[k * D + p] = c * vkp - s * vkq;
          v[k * D + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(D);
  for (let i = 0; i < D; i++) values[i] = a[i * D + i];
  return { values, vectors: v };
}

/**
 * The closest covariance with every eigenvalue ≥ floor: eigenvalues below it are raised to it.
 * This is the maximiser of the Gaussian likelihood under that constraint, so EM stays monotone.
 * Returns A itself when it already satisfies the bound (checked by a Cholesky of A − floor·I).
 */
export function floorEigenvalues(A: Float64Array, D: number, floor: number): Float64Array {
  const shifted = Float64Array.from(A);
  for (let i = 0; i < D; i++) shifted[i * D + i] -= floor;
  if (cholesky(shifted, D)) return A;
  const { values, vectors } = symmetricEigen(A, D);
  const out = new Float64Array(D * D);
  for (let k = 0; k < D; k++) {
    const lam = Math.max(values[k], floor);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i * D + j] += lam * vectors[i * D + k] * vectors[j * D + k];
  }
  for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) out[j * D + i] = out[i * D + j] = (out[i * D + j] + out[j * D + i]) / 2;
  return out;
}
