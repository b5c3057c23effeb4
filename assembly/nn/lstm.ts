// One LSTM layer in one direction, forward and backward over a whole batch, f32.
//
// Gates in PyTorch's order: z = x·W + h_prev·U + b, z = [i | f | g | o] (H columns each),
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o),  c = f·c_prev + i·g,  h = o·tanh(c).
// W [Din][4H], U [H][4H], b [4H] (PyTorch's weight_ih_l0 is Wᵀ, weight_hh_l0 is Uᵀ, b = b_ih + b_hh).
//
// Rows and steps. The batch lives in a table of N rows (one per sequence per time step); a step is a
// contiguous block of rows. `sched` [steps][3] i32 lists, in processing order, each step's first row,
// its row count n, and `carry` k ≤ n: the step's first k rows continue the state of the first k
// rows of the previous processed step; its other rows start from h = c = 0. That one table
// expresses every layout the bindings use (bindings/nn/batch.ts):
//   packed (PyTorch PackedSequence: sorted by length, batchSizes[t] rows at step t, time-major)
//     forward direction: steps t = 0..T−1, n = carry = batchSizes[t];
//     reverse direction: steps t = T−1..0, n = batchSizes[t], carry = batchSizes[t+1]
//     (each sequence starts at its own last frame);
//   padded (every step has all B rows, zero-padded inputs): forward carry = B; reverse carry =
//     batchSizes[t+1], so a row's reverse state starts from zero at its own last frame.
// Rows past a sequence's end (padded) compute values nobody reads and receive zero gradient.
//
// The input projection X·W + b runs as one product over all N rows; only h_prev·U is per step.
// The backward pass walks the steps in reverse processing order and leaves dZ = ∂L/∂z for every
// row, then forms the weight gradients as three whole-batch products (dW += Xᵀ·dZ, dU +=
// H_prevᵀ·dZ, db += Σ dZ) and dX += dZ·Wᵀ.

import { gemm } from "./gemm";
import { sigmoidS, sigmoidV, tanhS, tanhV } from "./act";

// @ts-ignore: decorator
@inline function schedAt(sched: usize, s: i32, field: i32): i32 {
  return load<i32>(sched + <usize>(s * 3 + field) * 4);
}

/**
 * Forward pass of one direction of one layer.
 *
 * X [N] rows of Din floats (row stride ldx), W [Din][4H], U [H][4H], b [4H], sched [steps][3] i32.
 * Writes Y (h, row stride ldy: a direction writes its H columns of a wider layer output), and the
 * activations the backward pass needs: Z [N][4H] (i, f, g, o after their nonlinearities),
 * C [N][H] (cell), TC [N][H] (tanh c), Hp [N][H] (h_prev), Cp [N][H] (c_prev).
 * Does not allocate.
 */
export function lstmForward(X: usize, ldx: i32, Din: i32, N: i32, H: i32, W: usize, U: usize, b: usize,
                            steps: i32, sched: usize, Y: usize, ldy: i32,
                            Z: usize, C: usize, TC: usize, Hp: usize, Cp: usize): void {
  const G = 4 * H;
  const zRow = <usize>G * 4, hRow = <usize>H * 4, yRow = <usize>ldy * 4;
  for (let r = 0; r < N; r++) memory.copy(Z + <usize>r * zRow, b, zRow);
  gemm(N, G, Din, X, ldx, 1, W, G, Z, G, 1);
  for (let s = 0; s < steps; s++) {
    const rs = schedAt(sched, s, 0), n = schedAt(sched, s, 1);
    const k = s > 0 ? schedAt(sched, s, 2) : 0;
    if (k > 0) {
      const ps = schedAt(sched, s - 1, 0);
      for (let j = 0; j < k; j++) {
        memory.copy(Hp + <usize>(rs + j) * hRow, Y + <usize>(ps + j) * yRow, hRow);
        memory.copy(Cp + <usize>(rs + j) * hRow, C + <usize>(ps + j) * hRow, hRow);
      }
      gemm(k, G, H, Hp + <usize>rs * hRow, H, 1, U, G, Z + <usize>rs * zRow, G, 1);
    }
    if (n > k) {
      memory.fill(Hp + <usize>(rs + k) * hRow, 0, <usize>(n - k) * hRow);
      memory.fill(Cp + <usize>(rs + k) * hRow, 0, <usize>(n - k) * hRow);
    }
    for (let j = 0; j < n; j++) {
      const r = <usize>(rs + j);
      cellForward(Z + r * zRow, Cp + r * hRow, C + r * hRow, TC + r * hRow, Y + r * yRow, H);
    }
  }
}

/** One row: activates z in place and writes c, tanh c and h. */
// @ts-ignore: decorator
@inline function cellForward(z: usize, cp: usize, c: usize, tc: usize, h: usize, H: i32): void {
  const hb = <usize>H * 4;
  let q = 0;
  if (ASC_FEATURE_SIMD) {
    for (; q + 4 <= H; q += 4) {
      const o = <usize>q * 4;
      const gi = sigmoidV(v128.load(z + o));
      const gf = sigmoidV(v128.load(z + hb + o));
      const gg = tanhV(v128.load(z + 2 * hb + o));
      const go = sigmoidV(v128.load(z + 3 * hb + o));
      const cv = f32x4.add(f32x4.mul(gf, v128.load(cp + o)), f32x4.mul(gi, gg));
      const t = tanhV(cv);
      v128.store(z + o, gi); v128.store(z + hb + o, gf); v128.store(z + 2 * hb + o, gg); v128.store(z + 3 * hb + o, go);
      v128.store(c + o, cv); v128.store(tc + o, t); v128.store(h + o, f32x4.mul(go, t));
    }
  }
  for (; q < H; q++) {
    const o = <usize>q * 4;
    const gi = sigmoidS(load<f32>(z + o));
    const gf = sigmoidS(load<f32>(z + hb + o));
    const gg = tanhS(load<f32>(z + 2 * hb + o));
    const go = sigmoidS(load<f32>(z + 3 * hb + o));
    const cv = gf * load<f32>(cp + o) + gi * gg;
    const t = tanhS(cv);
    store<f32>(z + o, gi); store<f32>(z + hb + o, gf); store<f32>(z + 2 * hb + o, gg); store<f32>(z + 3 * hb + o, go);
    store<f32>(c + o, cv); store<f32>(tc + o, t); store<f32>(h + o, go * t);
  }
}

/** Bytes of scratch lstmBackward needs: Uᵀ, Wᵀ and two carries of maxRows rows. */
export function lstmWorkBytes(Din: i32, H: i32, maxRows: i32): i32 {
  return (4 * H * H + 4 * H * Din + 2 * maxRows * H) * 4;
}

/**
 * Backward pass of one direction of one layer, after lstmForward with the same arguments.
 *
 * dY: ∂L/∂h for every row (row stride lddy; rows nobody reads must hold 0). Writes dZ [N][4H]
 * (∂L/∂z), adds the weight gradients into dW [Din][4H], dU [H][4H], db [4H], and — when dX ≠ 0 —
 * adds ∂L/∂X into dX (row stride lddx). work: lstmWorkBytes(Din, H, max rows of a step) bytes.
 * Does not allocate.
 */
export function lstmBackward(X: usize, ldx: i32, Din: i32, N: i32, H: i32, W: usize, U: usize,
                             steps: i32, sched: usize, dY: usize, lddy: i32,
                             Z: usize, TC: usize, Hp: usize, Cp: usize,
                             dZ: usize, dW: usize, dU: usize, db: usize, dX: usize, lddx: i32, work: usize): void {
  const G = 4 * H;
  const zRow = <usize>G * 4, hRow = <usize>H * 4, dyRow = <usize>lddy * 4;
  let maxRows = 0;
  for (let s = 0; s < steps; s++) maxRows = max(maxRows, schedAt(sched, s, 1));
  const UT = work;
  const WT = UT + <usize>G * H * 4;
  const dhC = WT + <usize>G * Din * 4;
  const dcC = dhC + <usize>maxRows * hRow;
  transpose(U, H, G, UT);
  if (dX) transpose(W, Din, G, WT);
  for (let s = steps - 1; s >= 0; s--) {
    const rs = schedAt(sched, s, 0), n = schedAt(sched, s, 1);
    const kNext = s + 1 < steps ? schedAt(sched, s + 1, 2) : 0;
    for (let j = 0; j < n; j++) {
      const r = <usize>(rs + j);
      cellBackward(Z + r * zRow, TC + r * hRow, Cp + r * hRow, dY + r * dyRow,
                   j < kNext ? dhC + <usize>j * hRow : 0, dcC + <usize>j * hRow, dZ + r * zRow, H);
    }
    const k = s > 0 ? schedAt(sched, s, 2) : 0;
    if (k > 0) gemm(k, H, G, dZ + <usize>rs * zRow, G, 1, UT, H, dhC, H, 0);
  }
  gemm(Din, G, N, X, 1, ldx, dZ, G, dW, G, 1);
  gemm(H, G, N, Hp, 1, H, dZ, G, dU, G, 1);
  columnSums(dZ, N, G, db);
  if (dX) gemm(N, Din, G, dZ, G, 1, WT, Din, dX, lddx, 1);
}

/**
 * One row of the backward cell. dhIn/dcIn: the gradient carried from the next processed step
 * (dhIn = 0: none, and dcIn is then not read). Writes dz and dcIn ← ∂L/∂c_prev.
 */
// @ts-ignore: decorator
@inline function cellBackward(z: usize, tc: usize, cp: usize, dy: usize, dhIn: usize, dcIn: usize, dz: usize, H: i32): void {
  const hb = <usize>H * 4;
  const carried = dhIn != 0;
  let q = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1.0);
    for (; q + 4 <= H; q += 4) {
      const o = <usize>q * 4;
      let dh = v128.load(dy + o);
      let dc = f32x4.splat(0);
      if (carried) { dh = f32x4.add(dh, v128.load(dhIn + o)); dc = v128.load(dcIn + o); }
      const gi = v128.load(z + o), gf = v128.load(z + hb + o), gg = v128.load(z + 2 * hb + o), go = v128.load(z + 3 * hb + o);
      const t = v128.load(tc + o);
      dc = f32x4.add(dc, f32x4.mul(f32x4.mul(dh, go), f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(dz + o, f32x4.mul(f32x4.mul(dc, gg), f32x4.mul(gi, f32x4.sub(one, gi))));
      v128.store(dz + hb + o, f32x4.mul(f32x4.mul(dc, v128.load(cp + o)), f32x4.mul(gf, f32x4.sub(one, gf))));
      v128.store(dz + 2 * hb + o, f32x4.mul(f32x4.mul(dc, gi), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(dz + 3 * hb + o, f32x4.mul(f32x4.mul(dh, t), f32x4.mul(go, f32x4.sub(one, go))));
      v128.store(dcIn + o, f32x4.mul(dc, gf));
    }
  }
  for (; q < H; q++) {
    const o = <usize>q * 4;
    let dh = load<f32>(dy + o);
    let dc: f32 = 0;
    if (carried) { dh += load<f32>(dhIn + o); dc = load<f32>(dcIn + o); }
    const gi = load<f32>(z + o), gf = load<f32>(z + hb + o), gg = load<f32>(z + 2 * hb + o), go = load<f32>(z + 3 * hb + o);
    const t = load<f32>(tc + o);
    dc += (dh * go) * (<f32>1.0 - t * t);
    store<f32>(dz + o, (dc * gg) * (gi * (<f32>1.0 - gi)));
    store<f32>(dz + hb + o, (dc * load<f32>(cp + o)) * (gf * (<f32>1.0 - gf)));
    store<f32>(dz + 2 * hb + o, (dc * gi) * (<f32>1.0 - gg * gg));
    store<f32>(dz + 3 * hb + o, (dh * t) * (go * (<f32>1.0 - go)));
    store<f32>(dcIn + o, dc * gf);
  }
}

/** out [cols][rows] = in [rows][cols]ᵀ. */
function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(dst + <usize>(c * rows + r) * 4, load<f32>(src + <usize>(r * cols + c) * 4));
  }
}

/** out[j] += Σ_r A[r][j] over rows r < N; A [N][G]. */
function columnSums(A: usize, N: i32, G: i32, out: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= G; j += 4) {
      let s = v128.load(out + <usize>j * 4);
      for (let r = 0; r < N; r++) s = f32x4.add(s, v128.load(A + (<usize>r * G + j) * 4));
      v128.store(out + <usize>j * 4, s);
    }
  }
  for (; j < G; j++) {
    let s = load<f32>(out + <usize>j * 4);
    for (let r = 0; r < N; r++) s += load<f32>(A + (<usize>r * G + j) * 4);
    store<f32>(out + <usize>j * 4, s);
  }
}
