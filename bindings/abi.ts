/**
 * The kernel ABI as TypeScript sees it: a hand-written `Exports` interface (STYLE §4) mirroring
 * assembly/index.ts, and the constants that must align with assembly/abi.ts and assembly/dsp/stft.ts.
 */

/** A byte offset into the engine's linear memory. Branded so a length can't be passed as one. */
export type Ptr = number & { readonly __ptr: unique symbol };

/** Must align with assembly/abi.ts ABI_VERSION; checked when an engine loads. */
export const ABI_VERSION = 6;

/** Must align with PAD_* in assembly/dsp/stft.ts. */
export const PAD_MODE = { constant: 0, reflect: 1, edge: 2 } as const;
export type PadMode = keyof typeof PAD_MODE;

export interface Exports {
  memory: WebAssembly.Memory;
  abiVersion(): number;
  simdEnabled(): number;
  heapBase(): number;
  rfftPlanBytes(n: number): number;
  rfftPlanInit(n: number, plan: Ptr): void;
  rfft(plan: Ptr, x: Ptr, out: Ptr, work: Ptr, power: number): void;
  rfft4(plan: Ptr, x: Ptr, out: Ptr, work: Ptr, power: number): void;
  padSignal(y: Ptr, n: number, pad: number, mode: number, out: Ptr): void;
  spectrogram(fft: Ptr, mel: Ptr | 0, nMels: number, padded: Ptr, nFrames: number, hop: number,
    window: Ptr, power: number, amin: number, work: Ptr, out: Ptr): number;
  spectrogramScalar(fft: Ptr, mel: Ptr | 0, nMels: number, padded: Ptr, nFrames: number, hop: number,
    window: Ptr, power: number, amin: number, work: Ptr, out: Ptr): number;
  spectrogramWorkBytes(nFft: number, nMels: number): number;
  melApply(mel: Ptr, nMels: number, S: Ptr, nBins: number, nFrames: number, out: Ptr): void;
  powerToDbInPlace(X: Ptr, n: number, amin: number, refDb: number): number;
  clipBelow(X: Ptr, n: number, floor: number): void;
  dctFrames(basis: Ptr, nIn: number, nOut: number, X: Ptr, nFrames: number, out: Ptr, outStride: number): void;
  dct2Frames(basis: Ptr, nIn: number, nOut: number, X: Ptr, nFrames: number, out: Ptr, outStride: number, scratch: Ptr): void;
  savgolFrames(X: Ptr, T: number, D: number, xStride: number, coeffs: Ptr, w: number, out: Ptr, outStride: number): void;
  zeroCrossings(x: Ptr, frameLength: number, hop: number, nFrames: number, threshold: number, counts: Ptr): void;
  gmmLogProbDiag(X: Ptr, T: number, D: number, means: Ptr, precs: Ptr, logNorm: Ptr, K: number, comp: Ptr): void;
  gmmLogProbFull(X: Ptr, T: number, D: number, means: Ptr, chol: Ptr, logNorm: Ptr, K: number, comp: Ptr, work: Ptr): void;
  stateLogProb(comp: Ptr, T: number, S: number, M: number, logB: Ptr, resp: Ptr | 0): void;
  forwardLog(logStart: Ptr, logTrans: Ptr, logEnd: Ptr, logB: Ptr, T: number, S: number, alpha: Ptr): number;
  backwardLog(logTrans: Ptr, logEnd: Ptr, logB: Ptr, T: number, S: number, beta: Ptr): void;
  posteriors(alpha: Ptr, beta: Ptr, logTrans: Ptr, logB: Ptr, T: number, S: number, logProb: number, gamma: Ptr, xiSum: Ptr): void;
  viterbiLog(logStart: Ptr, logTrans: Ptr, logEnd: Ptr, logB: Ptr, T: number, S: number, delta: Ptr, psi: Ptr, path: Ptr): number;
  accumulateGmm(X: Ptr, T: number, D: number, gamma: Ptr, resp: Ptr, S: number, M: number, full: number, W: Ptr, X1: Ptr, X2: Ptr): void;
  lstmForward(X: Ptr, ldx: number, Din: number, N: number, H: number, W: Ptr, U: Ptr, b: Ptr,
    steps: number, sched: Ptr, Y: Ptr, ldy: number, Z: Ptr, C: Ptr, TC: Ptr, Hp: Ptr, Cp: Ptr): void;
  lstmBackward(X: Ptr, ldx: number, Din: number, N: number, H: number, W: Ptr, U: Ptr,
    steps: number, sched: Ptr, dY: Ptr, lddy: number, Z: Ptr, TC: Ptr, Hp: Ptr, Cp: Ptr,
    dZ: Ptr, dW: Ptr, dU: Ptr, db: Ptr, dX: Ptr | 0, lddx: number, work: Ptr): void;
  lstmWorkBytes(Din: number, H: number, maxRows: number): number;
  resampleSinc(x: Ptr, n: number, start: number, step: number, cutoff: number, halfWidth: number, out: Ptr, m: number): void;
  resamplePoly(x: Ptr, n: number, table: Ptr, taps: number, L: number, halfTaps: number, u0: number, du: number,
    interp: number, out: Ptr, m: number): void;
  autocorrelation(x: Ptr, n: number, maxLag: number, r: Ptr): void;
  sincInterpolate(y: Ptr, n: number, x: number, depth: number): number;
  sincMaximum(y: Ptr, n: number, i: number, depth: number): number;
  sincMaximumAt(): number;
  pitchPlanBytes(nWindow: number, maxLag: number): number;
  pitchPlanInit(nWindow: number, gaussian: number, maxLag: number, plan: Ptr): void;
  pitchWorkBytes(nWindow: number, maxLag: number, maxCandidates: number): number;
  pitchFrames(y: Ptr, n: number, dx: number, x1: number, t1: number, dt: number, nFrames: number,
    plan: Ptr, nWindow: number, maxLag: number, maximumLag: number, nPeriod: number,
    maxCandidates: number, floor: number, voicingThreshold: number, octaveCost: number, depth: number,
    freq: Ptr, strength: Ptr, nCand: Ptr, intensity: Ptr, work: Ptr): number;
  pitchPath(freq: Ptr, strength: Ptr, nCand: Ptr, intensity: Ptr, nFrames: number, maxCandidates: number,
    silenceThreshold: number, voicingThreshold: number, octaveCost: number, octaveJumpCost: number,
    voicedUnvoicedCost: number, ceiling: number, dt: number, delta: Ptr, psi: Ptr, f0: Ptr): void;
  gaussianWindow(n: number, out: Ptr): void;
  burg(x: Ptr, n: number, m: number, a: Ptr, work: Ptr): number;
  burgWorkBytes(n: number, m: number): number;
  polyRoots(c: Ptr, deg: number, z: Ptr): number;
  formantWorkBytes(nWindow: number, m: number): number;
  formantFrames(x: Ptr, n: number, dx: number, x1: number, t1: number, dt: number, nFrames: number,
    nWindow: number, m: number, preEmphasis: number, safetyMargin: number, maxFormants: number, window: Ptr,
    freq: Ptr, bw: Ptr, count: Ptr, work: Ptr): number;
}
