// The ABI: every kernel the bindings may call. Re-exports only.
export { abiVersion, simdEnabled, heapBase } from "./abi";
export { rfftPlanBytes, rfftPlanInit, rfft, rfft4 } from "./dsp/fft";
export { padSignal, spectrogram, spectrogramWorkBytes, spectrogramScalar } from "./dsp/stft";
export { melApply } from "./dsp/mel";
export { powerToDbInPlace, clipBelow } from "./dsp/db";
export { dctFrames, dct2Frames } from "./dsp/dct";
export { savgolFrames } from "./dsp/delta";
export { zeroCrossings } from "./dsp/zcr";
export { gmmLogProbDiag, gmmLogProbFull, stateLogProb } from "./hmm/gmm";
export { forwardLog, backwardLog, posteriors } from "./hmm/fb";
export { viterbiLog } from "./hmm/viterbi";
export { accumulateGmm } from "./hmm/stats";
export { lstmForward, lstmBackward, lstmWorkBytes } from "./nn/lstm";
export { resampleSinc, resamplePoly } from "./dsp/resample";
export { autocorrelation, sincInterpolate, sincMaximum, sincMaximumAt, pitchPlanBytes, pitchPlanInit, pitchWorkBytes, pitchFrames, pitchPath } from "./dsp/pitch";
export { gaussianWindow, burg, burgWorkBytes, polyRoots, formantWorkBytes, formantFrames } from "./dsp/lpc";
