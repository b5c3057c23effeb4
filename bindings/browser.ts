/**
 * speechcore for browsers (and any host without Node's built-ins): the public API of index.ts
 * minus the dataset helpers that read folders, plus the saved-recogniser parser. Nothing here
 * imports `node:*`, so esbuild bundles it with `platform: 'browser'` (dist/speechcore.browser.js).
 *
 * Call `await init()` first: in a browser the engine is fetched and compiled with
 * `WebAssembly.compileStreaming` from the folder given (`init({ wasm: new URL('./', import.meta.url) })`,
 * which must serve build/speechcore.wasm and build/speechcore-scalar.wasm as application/wasm), or
 * built from bytes the page already holds (`init({ wasm: bytes })`; dist/speechcore.browser.inline.js
 * does this with both builds inlined).
 *
 * The sequence models (bindings/nn, TensorFlow.js) are not included: a page imports them lazily.
 *
 * @module
 */
export { init, createEngine, createEngineSync, getEngine, hostHasSimd, Engine, type EngineOptions } from './engine.ts';
export { ParameterError, WavFormatError, NumericalError, DatasetError, ModelFormatError } from './errors.ts';
export { type Matrix, transpose, toArrays } from './matrix.ts';
export { rfft, isFastSize, nextFastSize } from './features/fft.ts';
export { stft, spectrogram, type StftOptions } from './features/stft.ts';
export { melFilterbank, melSpectrogram, hzToMel, melToHz, melFrequencies, type MelOptions, type MelSpectrogramOptions } from './features/mel.ts';
export { powerToDb, type PowerToDbOptions } from './features/db.ts';
export { mfcc, mfccWithDeltas, mfsc, type MfccOptions } from './features/mfcc.ts';
export { delta, type DeltaOptions } from './features/delta.ts';
export { zeroCrossingRate, type ZcrOptions } from './features/zcr.ts';
export { pitch, type PitchOptions, type PitchTrack } from './features/pitch.ts';
export { formants, type FormantOptions, type FormantTrack } from './features/formants.ts';
export { resample, type ResampleOptions, type ResType } from './features/resample.ts';
export { decodeWav, encodeWav, type DecodedWav, type DecodeWavOptions } from './audio/wav.ts';
export { GmmHmm, type GmmHmmOptions, type Sequence, type FitInfo, type Topology } from './hmm/model.ts';
export { HmmClassifier, type ScoreAlgorithm } from './hmm/classifier.ts';
export { StandardScaler } from './classic/scaler.ts';
export { accuracy, confusionMatrix } from './classic/metrics.ts';
export {
  parseClassifier, classifierFile, CLASSIFIER_SCHEMA, CLASSIFIER_VERSION, LAB_FEATURES,
  type ClassifierFile, type LoadedClassifier, type FeatureSettings,
} from './pipeline/classifier-file.ts';
