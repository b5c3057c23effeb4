// Small dense matrix products for the recurrent kernels, f32, row-major.
//
//   C[M][N] (+)= Σ_p a(i, p) · B[p][j],   a(i, p) = A[i·ars + p·aps],   B row p at B + p·ldb
//
// One routine covers the three shapes an LSTM needs by choosing A's strides:
//   A·B    (ars = lda, aps = 1):    gate pre-activations Z += X·W, Z += H·U, dX += dZ·Wᵀ (Wᵀ stored)
//   Aᵀ·B   (ars = 1,   aps = lda):  weight gradients dW += Xᵀ·dZ, dU += Hᵀ·dZ (a reduction over rows)
// The SIMD build computes 4×8 tiles of C in eight f32x4 accumulators: per p, two vector loads of B,
// four splat loads of A and eight multiply-adds (no fused multiply-add in wasm SIMD). The reduction
// runs in blocks of PB rows so a long Aᵀ·B (p over every row of a batch) streams B through the
// cache once per tile row instead of once per tile. The scalar build runs the plain triple loop.
// Does not allocate.

const PB: i32 = 256;

/**
 * C[M][N] (+)= A·B with A addressed through (ars, aps) as above; acc = 0 overwrites C, else adds.
 * ldc: C's row stride (floats). M, N, P ≥ 0.
 */
export function gemm(M: i32, N: i32, P: i32, A: usize, ars: i32, aps: i32, B: usize, ldb: i32,
                     C: usize, ldc: i32, acc: i32): void {
  if (M <= 0 || N <= 0) return;
  if (!acc) for (let i = 0; i < M; i++) memory.fill(C + <usize>i * ldc * 4, 0, <usize>N * 4);
  if (P <= 0) return;
  if (ASC_FEATURE_SIMD) {
    for (let p0 = 0; p0 < P; p0 += PB) gemmBlock(M, N, min(PB, P - p0), A + <usize>p0 * aps * 4, ars, aps, B + <usize>p0 * ldb * 4, ldb, C, ldc);
  } else {
    gemmScalar(M, N, P, A, ars, aps, B, ldb, C, ldc);
  }
}

function gemmScalar(M: i32, N: i32, P: i32, A: usize, ars: i32, aps: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  for (let i = 0; i < M; i++) {
    const c = C + <usize>i * ldc * 4;
    for (let p = 0; p < P; p++) {
      const a = load<f32>(A + (<usize>i * ars + <usize>p * aps) * 4);
      const b = B + <usize>p * ldb * 4;
      for (let j = 0; j < N; j++) store<f32>(c + <usize>j * 4, load<f32>(c + <usize>j * 4) + a * load<f32>(b + <usize>j * 4));
    }
  }
}

/** C += A·B over P ≤ PB reduction steps; SIMD tiles 4×8, then 4×4, then scalar columns; rows 1 at a time at the end. */
function gemmBlock(M: i32, N: i32, P: i32, A: usize, ars: i32, aps: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const aStep = <usize>aps * 4, bStep = <usize>ldb * 4, aRow = <usize>ars * 4;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = A + <usize>i * aRow;
    const c0 = C + <usize>i * ldc * 4, c1 = c0 + <usize>ldc * 4, c2 = c1 + <usize>ldc * 4, c3 = c2 + <usize>ldc * 4;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const o = <usize>j * 4;
      let x00 = v128.load(c0 + o), x01 = v128.load(c0 + o + 16);
      let x10 = v128.load(c1 + o), x11 = v128.load(c1 + o + 16);
      let x20 = v128.load(c2 + o), x21 = v128.load(c2 + o + 16);
      let x30 = v128.load(c3 + o), x31 = v128.load(c3 + o + 16);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        const b0 = v128.load(pb), b1 = v128.load(pb + 16);
        const s0 = v128.load32_splat(pa);
        const s1 = v128.load32_splat(pa + aRow);
        const s2 = v128.load32_splat(pa + 2 * aRow);
        const s3 = v128.load32_splat(pa + 3 * aRow);
        x00 = f32x4.add(x00, f32x4.mul(s0, b0)); x01 = f32x4.add(x01, f32x4.mul(s0, b1));
        x10 = f32x4.add(x10, f32x4.mul(s1, b0)); x11 = f32x4.add(x11, f32x4.mul(s1, b1));
        x20 = f32x4.add(x20, f32x4.mul(s2, b0)); x21 = f32x4.add(x21, f32x4.mul(s2, b1));
        x30 = f32x4.add(x30, f32x4.mul(s3, b0)); x31 = f32x4.add(x31, f32x4.mul(s3, b1));
        pa += aStep; pb += bStep;
      }
      v128.store(c0 + o, x00); v128.store(c0 + o + 16, x01);
      v128.store(c1 + o, x10); v128.store(c1 + o + 16, x11);
      v128.store(c2 + o, x20); v128.store(c2 + o + 16, x21);
      v128.store(c3 + o, x30); v128.store(c3 + o + 16, x31);
    }
    for (; j + 4 <= N; j += 4) {
      const o = <usize>j * 4;
      let x0 = v128.load(c0 + o), x1 = v128.load(c1 + o), x2 = v128.load(c2 + o), x3 = v128.load(c3 + o);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        const b0 = v128.load(pb);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pa), b0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(pa + aRow), b0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(pa + 2 * aRow), b0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(pa + 3 * aRow), b0));
        pa += aStep; pb += bStep;
      }
      v128.store(c0 + o, x0); v128.store(c1 + o, x1); v128.store(c2 + o, x2); v128.store(c3 + o, x3);
    }
    for (; j < N; j++) {
      const o = <usize>j * 4;
      let y0 = load<f32>(c0 + o), y1 = load<f32>(c1 + o), y2 = load<f32>(c2 + o), y3 = load<f32>(c3 + o);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        const b = load<f32>(pb);
        y0 += load<f32>(pa) * b; y1 += load<f32>(pa + aRow) * b;
        y2 += load<f32>(pa + 2 * aRow) * b; y3 += load<f32>(pa + 3 * aRow) * b;
        pa += aStep; pb += bStep;
      }
      store<f32>(c0 + o, y0); store<f32>(c1 + o, y1); store<f32>(c2 + o, y2); store<f32>(c3 + o, y3);
    }
  }
  for (; i < M; i++) {
    const a0 = A + <usize>i * aRow, c0 = C + <usize>i * ldc * 4;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const o = <usize>j * 4;
      let x0 = v128.load(c0 + o), x1 = v128.load(c0 + o + 16);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        const s = v128.load32_splat(pa);
        x0 = f32x4.add(x0, f32x4.mul(s, v128.load(pb)));
        x1 = f32x4.add(x1, f32x4.mul(s, v128.load(pb + 16)));
        pa += aStep; pb += bStep;
      }
      v128.store(c0 + o, x0); v128.store(c0 + o + 16, x1);
    }
    for (; j + 4 <= N; j += 4) {
      const o = <usize>j * 4;
      let x0 = v128.load(c0 + o);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
        pa += aStep; pb += bStep;
      }
      v128.store(c0 + o, x0);
    }
    for (; j < N; j++) {
      const o = <usize>j * 4;
      let y = load<f32>(c0 + o);
      let pa = a0, pb = B + o;
      for (let p = 0; p < P; p++) {
        y += load<f32>(pa) * load<f32>(pb);
        pa += aStep; pb += bStep;
      }
      store<f32>(c0 + o, y);
    }
  }
}
