// LSTM kernels (assembly/nn): the strided product against a plain triple loop, the gate
// nonlinearities against Math, and one LSTM layer forward and backward against an f64 reference
// computed here step by step (forward) and by central differences of that reference (backward).
import { gemm } from "../nn/gemm";
import { expS, sigmoidS, tanhS, expV, sigmoidV, tanhV } from "../nn/act";
import { lstmForward, lstmBackward, lstmWorkBytes } from "../nn/lstm";
import { checks, allocF32, allocBytes, free, getF32, fillRandom, seed, checkNear, checkAtMost } from "./helpers";

/** C (+)= A·B by the definition, f32 accumulation in p order (the kernel's order). */
function gemmNaive(M: i32, N: i32, P: i32, A: usize, ars: i32, aps: i32, B: usize, ldb: i32, C: usize, ldc: i32, acc: i32): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f32 = acc ? load<f32>(C + <usize>(i * ldc + j) * 4) : 0;
      for (let p = 0; p < P; p++) s += load<f32>(A + <usize>(i * ars + p * aps) * 4) * load<f32>(B + <usize>(p * ldb + j) * 4);
      store<f32>(C + <usize>(i * ldc + j) * 4, s);
    }
  }
}

function checkGemm(M: i32, N: i32, P: i32, transA: bool, acc: i32): void {
  const lda = transA ? M + 1 : P + 2; // padded strides: the kernel must honour them
  const A = allocF32((transA ? P : M) * lda), B = allocF32(P * (N + 3)), C1 = allocF32(M * (N + 1)), C2 = allocF32(M * (N + 1));
  fillRandom(A, (transA ? P : M) * lda); fillRandom(B, P * (N + 3)); fillRandom(C1, M * (N + 1));
  memory.copy(C2, C1, <usize>M * (N + 1) * 4);
  const ars = transA ? 1 : lda, aps = transA ? lda : 1;
  gemm(M, N, P, A, ars, aps, B, N + 3, C1, N + 1, acc);
  gemmNaive(M, N, P, A, ars, aps, B, N + 3, C2, N + 1, acc);
  let err: f64 = 0;
  for (let i = 0; i < M * (N + 1); i++) err = max(err, <f64>Mathf.abs(getF32(C1, i) - getF32(C2, i)));
  // Same products summed in the same order: equal up to the last bit (no FMA in wasm).
  checkAtMost(err, 0, "gemm " + M.toString() + "x" + N.toString() + "x" + P.toString() + (transA ? " Aᵀ" : "") + (acc ? " +=" : ""));
  free(A); free(B); free(C1); free(C2);
}

describe("gemm", () => {
  it("matches the triple loop for tile-aligned and ragged shapes, A and Aᵀ, = and +=", () => {
    seed(7);
    const shapes: i32[][] = [[1, 1, 1], [4, 8, 3], [5, 13, 7], [3, 2, 9], [9, 240, 60], [8, 60, 240], [6, 240, 600]];
    for (let s = 0; s < shapes.length; s++) {
      for (let t = 0; t < 2; t++) for (let a = 0; a < 2; a++) checkGemm(shapes[s][0], shapes[s][1], shapes[s][2], t == 1, a);
    }
    expect(checks).toBeGreaterThan(0);
  });
});

describe("activations", () => {
  it("exp, sigmoid, tanh agree with Math (relative 3e-7 for exp and sigmoid, absolute 2e-7 for tanh)", () => {
    let eExp: f64 = 0, eSig: f64 = 0, eTanh: f64 = 0;
    for (let i = -2000; i <= 2000; i++) {
      const x = <f32>(<f64>i * 0.01);
      const ex = Math.exp(<f64>x);
      eExp = max(eExp, Math.abs(<f64>expS(x) - ex) / ex);
      const sg = 1.0 / (1.0 + Math.exp(-<f64>x));
      eSig = max(eSig, Math.abs(<f64>sigmoidS(x) - sg) / sg);
      eTanh = max(eTanh, Math.abs(<f64>tanhS(x) - Math.tanh(<f64>x)));
    }
    checkAtMost(eExp, 3e-7, "exp relative error");
    checkAtMost(eSig, 3e-7, "sigmoid relative error");
    checkAtMost(eTanh, 2e-7, "tanh absolute error");
    checkNear(<f64>sigmoidS(200), 1, 0, "sigmoid saturates");
    checkNear(<f64>sigmoidS(-200), 0, 1e-37, "sigmoid saturates below");
    checkNear(<f64>tanhS(-200), -1, 0, "tanh saturates");
  });

  it("the f32x4 versions give the scalar results lane by lane", () => {
    if (!ASC_FEATURE_SIMD) return; // scalar build (as-pect.scalar.asconfig.json): no v128, nothing to compare
    for (let i = -100; i <= 100; i++) {
      const x = <f32>(<f64>i * 0.37);
      const v = f32x4(x, -x, x * 0.5, x * 2);
      const ev = expV(v), sv = sigmoidV(v), tv = tanhV(v);
      checkNear(<f64>f32x4.extract_lane(ev, 1), <f64>expS(-x), 0, "expV lane");
      checkNear(<f64>f32x4.extract_lane(sv, 2), <f64>sigmoidS(x * 0.5), 0, "sigmoidV lane");
      checkNear(<f64>f32x4.extract_lane(tv, 3), <f64>tanhS(x * 2), 0, "tanhV lane");
    }
  });
});

// One sequence of T steps, Din inputs, H units, batch of one: the f64 reference.
const T = 4, Din = 3, H = 5, G = 4 * H;

function refLoss(x: f64[], W: f64[], U: f64[], b: f64[], proj: f64[], hOut: f64[]): f64 {
  const h = new Array<f64>(H).fill(0), c = new Array<f64>(H).fill(0);
  let loss: f64 = 0;
  for (let t = 0; t < T; t++) {
    const z = new Array<f64>(G);
    for (let q = 0; q < G; q++) {
      let s = b[q];
      for (let d = 0; d < Din; d++) s += x[t * Din + d] * W[d * G + q];
      for (let k = 0; k < H; k++) s += h[k] * U[k * G + q];
      z[q] = s;
    }
    for (let k = 0; k < H; k++) {
      const i = 1 / (1 + Math.exp(-z[k])), f = 1 / (1 + Math.exp(-z[H + k]));
      const g = Math.tanh(z[2 * H + k]), o = 1 / (1 + Math.exp(-z[3 * H + k]));
      c[k] = f * c[k] + i * g;
      h[k] = o * Math.tanh(c[k]);
      hOut[t * H + k] = h[k];
      loss += proj[t * H + k] * h[k];
    }
  }
  return loss;
}

function toF32(p: usize, a: f64[]): void {
  for (let i = 0; i < a.length; i++) store<f32>(p + <usize>i * 4, <f32>a[i]);
}

function randArray(n: i32, scale: f64): f64[] {
  const a = new Array<f64>(n);
  // Round through f32 so the reference sees exactly the kernel's inputs.
  for (let i = 0; i < n; i++) a[i] = <f64><f32>(<f64>uniformF() * scale);
  return a;
}

let lcg: u32 = 12345;
function uniformF(): f32 {
  lcg = lcg * 1664525 + 1013904223;
  return <f32>(<f64>(lcg >> 8) / 8388608.0 - 1.0);
}

describe("lstmForward / lstmBackward", () => {
  it("one sequence: h matches an f64 reference, gradients match central differences", () => {
    const x = randArray(T * Din, 1), W = randArray(Din * G, 0.5), U = randArray(H * G, 0.5), b = randArray(G, 0.5);
    const proj = randArray(T * H, 1);
    const hRef = new Array<f64>(T * H);
    refLoss(x, W, U, b, proj, hRef);

    const pX = allocF32(T * Din), pW = allocF32(Din * G), pU = allocF32(H * G), pb = allocF32(G);
    toF32(pX, x); toF32(pW, W); toF32(pU, U); toF32(pb, b);
    // Batch of one, forward direction: step t is row t, carrying row 0 of the previous step.
    const sched = allocBytes(T * 12);
    for (let t = 0; t < T; t++) {
      store<i32>(sched + <usize>(t * 3) * 4, t);
      store<i32>(sched + <usize>(t * 3 + 1) * 4, 1);
      store<i32>(sched + <usize>(t * 3 + 2) * 4, t > 0 ? 1 : 0);
    }
    const Y = allocF32(T * H), Z = allocF32(T * G), C = allocF32(T * H), TC = allocF32(T * H), Hp = allocF32(T * H), Cp = allocF32(T * H);
    lstmForward(pX, Din, Din, T, H, pW, pU, pb, T, sched, Y, H, Z, C, TC, Hp, Cp);
    let eh: f64 = 0;
    for (let i = 0; i < T * H; i++) eh = max(eh, Math.abs(<f64>getF32(Y, i) - hRef[i]));
    checkAtMost(eh, 2e-6, "h vs f64 reference");

    const dY = allocF32(T * H);
    toF32(dY, proj);
    const dZ = allocF32(T * G), dW = allocF32(Din * G), dU = allocF32(H * G), db = allocF32(G), dX = allocF32(T * Din);
    const work = allocBytes(lstmWorkBytes(Din, H, 1));
    lstmBackward(pX, Din, Din, T, H, pW, pU, T, sched, dY, H, Z, TC, Hp, Cp, dZ, dW, dU, db, dX, Din, work);

    const scratch = new Array<f64>(T * H);
    const eps: f64 = 1e-5;
    let worst: f64 = 0;
    // Central differences of the f64 reference for a spread of entries of every gradient.
    for (let which = 0; which < 4; which++) {
      const arr = which == 0 ? W : which == 1 ? U : which == 2 ? b : x;
      const grad = which == 0 ? dW : which == 1 ? dU : which == 2 ? db : dX;
      for (let i = 0; i < arr.length; i += 3) {
        const keep = arr[i];
        arr[i] = keep + eps;
        const up = refLoss(x, W, U, b, proj, scratch);
        arr[i] = keep - eps;
        const down = refLoss(x, W, U, b, proj, scratch);
        arr[i] = keep;
        const fd = (up - down) / (2 * eps);
        worst = max(worst, Math.abs(<f64>getF32(grad, i) - fd) / (1 + Math.abs(fd)));
      }
    }
    checkAtMost(worst, 2e-5, "gradients vs central differences");
    free(pX); free(pW); free(pU); free(pb); free(sched); free(Y); free(Z); free(C); free(TC); free(Hp); free(Cp);
    free(dY); free(dZ); free(dW); free(dU); free(db); free(dX); free(work);
  });
});
