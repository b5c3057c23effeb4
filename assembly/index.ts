// The ABI: every kernel the bindings call (rfft4: the raw four-lane FFT bench/fft.bench.ts times)
// and the getters bindings/engine.ts checks at load. Re-exports only. Kernels that only the specs
// use are not listed: the specs import them from their own files.
export { abiVersion, padConstant, padReflect, padEdge, simdEnabled, heapBase } from "./abi";
export { rfftPlanBytes, rfftPlanInit, rfft, rfft4 } from "./dsp/fft";
export { padSignal, spectrogram, spectrogramWorkBytes } from "./dsp/stft";
export { powerToDbInPlace, clipBelow } from "./dsp/db";
export { melPlanBytes, melGroupInit } from "./dsp/mel";
export { dctFrames, dct2Frames } from "./dsp/dct";
export { savgolFrames } from "./dsp/delta";
export { zeroCrossings } from "./dsp/zcr";
export { gmmLogProbDiag, gmmLogProbFull, stateLogProb } from "./hmm/gmm";
export { forwardLog, backwardLog, posteriors } from "./hmm/fb";
export { viterbiLog } from "./hmm/viterbi";
export { accumulateGmm } from "./hmm/stats";
export { lstmForward, lstmBackward, lstmWorkBytes } from "./nn/lstm";
export { resampleSinc, resamplePoly } from "./dsp/resample";
export { pitchPlanBytes, pitchPlanInit, pitchWorkBytes, pitchFrames, pitchPath } from "./dsp/pitch";
export { gaussianWindow, formantWorkBytes, formantFrames } from "./dsp/lpc";
