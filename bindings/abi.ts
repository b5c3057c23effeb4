/**
 * The kernel ABI as TypeScript sees it: a hand-written `Exports` interface (STYLE §4) mirroring
 * assembly/index.ts, and the constants that must align with assembly/abi.ts (checked at load by
 * bindings/engine.ts through MIRRORED).
 */

/** A byte offset into the engine's linear memory. Branded so a length can't be passed as one. */
export type Ptr = number & { readonly __ptr: unique symbol };

declare const planKind: unique symbol;
/**
 * A pointer to a table a kernel reads in a layout only its `…Init`/builder writes. Each kind is its
 * own type: a plan is still a Ptr (views, offsets), but a plain buffer or another kind of plan is
 * not a plan, so `rfft(buffer, …)` or `spectrogram(pitchPlan, …)` does not typecheck. Minted only
 * where the plan is built (`arena.persistent(…) as RfftPlan`).
 */
export type Plan<Kind extends string> = Ptr & { readonly [planKind]: Kind };
/** rfftPlanInit's factorisation and twiddles (bindings/features/fft.ts fftPlan). */
export type RfftPlan = Plan<'rfft'>;
/** Sparse mel basis: i32 (first bin, count) per band, then the weights, then the same grouped by four bands (features/mel.ts melPlan, assembly/dsp/mel.ts). */
export type MelPlan = Plan<'mel'>;
/** Dense transposed DCT basis [nIn][nOutPad] f32 for dctFrames (features/dct.ts). */
export type DctBasis = Plan<'dct'>;
/** Folded even/odd DCT-II basis for dct2Frames (features/dct.ts). */
export type Dct2Basis = Plan<'dct2'>;
/** Savitzky-Golay coefficients [w] f32 for savgolFrames (features/delta.ts). */
export type SavgolPlan = Plan<'savgol'>;
/** Polyphase Kaiser table [phases][taps] f32 for resamplePoly (features/resample.ts). */
export type ResampleTable = Plan<'resample'>;
/** pitchPlanInit's window and window autocorrelation (features/pitch.ts). */
export type PitchPlan = Plan<'pitch'>;
/** gaussianWindow's f64 window for formantFrames (features/formants.ts). */
export type FormantWindow = Plan<'formantWindow'>;

/** Must align with assembly/abi.ts ABI_VERSION; checked when an engine loads. */
export const ABI_VERSION = 7;

/** Must align with PAD_* in assembly/abi.ts; checked when an engine loads. */
export const PAD_MODE = { constant: 0, reflect: 1, edge: 2 } as const;
export type PadMode = keyof typeof PAD_MODE;

/**
 * Every constant mirrored here, the getter that reports the module's value, and ours. The engine
 * compares them at load (after ABI_VERSION, which says the getters exist) and throws on the first
 * mismatch. Add a row with each new mirrored constant.
 */
export const MIRRORED: ReadonlyArray<readonly [name: string, getter: 'padConstant' | 'padReflect' | 'padEdge', value: number]> = [
  ['PAD_CONSTANT', 'padConstant', PAD_MODE.constant],
  ['PAD_REFLECT', 'padReflect', PAD_MODE.reflect],
  ['PAD_EDGE', 'padEdge', PAD_MODE.edge],
];

export interface Exports {
  memory: WebAssembly.Memory;
  abiVersion(): number;
  padConstant(): number;
  padReflect(): number;
  padEdge(): number;
  simdEnabled(): number;
  heapBase(): number;
  rfftPlanBytes(n: number): number;
  rfftPlanInit(n: number, plan: RfftPlan): void;
  rfft(plan: RfftPlan, x: Ptr, out: Ptr, work: Ptr, power: number): void;
  rfft4(plan: RfftPlan, x: Ptr, out: Ptr, work: Ptr, power: number): void;
  padSignal(y: Ptr, n: number, pad: number, mode: number, out: Ptr): void;
  spectrogram(fft: RfftPlan, mel: MelPlan | 0, nMels: number, padded: Ptr, nFrames: number, hop: number,
    window: Ptr, power: number, amin: number, work: Ptr, out: Ptr): number;
  spectrogramWorkBytes(nFft: number, nMels: number): number;
  powerToDbInPlace(X: Ptr, n: number, amin: number, refDb: number): number;
  clipBelow(X: Ptr, n: number, floor: number): void;
  melPlanBytes(mel: Ptr, nMels: number): number;
  melGroupInit(mel: MelPlan, nMels: number): void;
  dctFrames(basis: DctBasis, nIn: number, nOut: number, X: Ptr, nFrames: number, out: Ptr, outStride: number): void;
  dct2Frames(basis: Dct2Basis, nIn: number, nOut: number, X: Ptr, nFrames: number, out: Ptr, outStride: number, scratch: Ptr): void;
  savgolFrames(X: Ptr, T: number, D: number, xStride: number, coeffs: SavgolPlan, w: number, out: Ptr, outStride: number): void;
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
  resamplePoly(x: Ptr, n: number, table: ResampleTable, taps: number, L: number, halfTaps: number, u0: number, du: number,
    interp: number, out: Ptr, m: number): void;
  pitchPlanBytes(nWindow: number, maxLag: number): number;
  pitchPlanInit(nWindow: number, gaussian: number, maxLag: number, plan: PitchPlan): void;
  pitchWorkBytes(nWindow: number, maxLag: number, maxCandidates: number): number;
  pitchFrames(y: Ptr, n: number, dx: number, x1: number, t1: number, dt: number, nFrames: number,
    plan: PitchPlan, nWindow: number, maxLag: number, maximumLag: number, nPeriod: number,
    maxCandidates: number, floor: number, voicingThreshold: number, octaveCost: number, depth: number,
    freq: Ptr, strength: Ptr, nCand: Ptr, intensity: Ptr, work: Ptr): number;
  pitchPath(freq: Ptr, strength: Ptr, nCand: Ptr, intensity: Ptr, nFrames: number, maxCandidates: number,
    silenceThreshold: number, voicingThreshold: number, octaveCost: number, octaveJumpCost: number,
    voicedUnvoicedCost: number, ceiling: number, dt: number, delta: Ptr, psi: Ptr, f0: Ptr): void;
  gaussianWindow(n: number, out: FormantWindow): void;
  formantWorkBytes(nWindow: number, m: number): number;
  formantFrames(x: Ptr, n: number, dx: number, x1: number, t1: number, dt: number, nFrames: number,
    nWindow: number, m: number, preEmphasis: number, safetyMargin: number, maxFormants: number, window: FormantWindow,
    freq: Ptr, bw: Ptr, count: Ptr, work: Ptr): number;
}
