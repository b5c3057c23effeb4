/**
 * The public API shared by every entry point (`speechcore` in Node and in browsers): nothing here
 * imports `node:*`. bindings/index.ts adds the Node-only helpers (folders, worker pools, files);
 * bindings/browser.ts is this list alone. Keeping one list is what stops the two entries drifting.
 *
 * Feature functions mirror librosa 0.10.1 (camelCased names, same defaults, `sr` required) and
 * return frame-major matrices ([frame][feature]); differences are documented where declared.
 *
 * @module
 */
export { init, createEngine, createEngineSync, getEngine, hostHasSimd, Engine, type EngineOptions } from './engine.ts';
export { ParameterError, WavFormatError, NumericalError, DatasetError, ModelFormatError } from './errors.ts';
export { type Matrix, matrix, transpose, toArrays } from './matrix.ts';
export { argmax, argmaxRows, argmaxColumns } from './argmax.ts';
export { Rng } from './rng.ts';
export { rfft, isFastSize, nextFastSize } from './features/fft.ts';
export { stft, spectrogram, type StftOptions } from './features/stft.ts';
export { melFilterbank, melSpectrogram, hzToMel, melToHz, melFrequencies, type MelOptions, type MelSpectrogramOptions } from './features/mel.ts';
export { powerToDb, type PowerToDbOptions } from './features/db.ts';
export { mfcc, mfccWithDeltas, mfsc, type MfccOptions } from './features/mfcc.ts';
export { createMfccStream, createMfscStream, type FeatureStream, type MfccStreamOptions } from './features/mfcc-stream.ts';
export { delta, type DeltaOptions } from './features/delta.ts';
export { zeroCrossingRate, type ZcrOptions } from './features/zcr.ts';
export { pitch, type PitchOptions, type PitchTrack } from './features/pitch.ts';
export { formants, FORMANT_SAFETY_MARGIN_HZ, type FormantOptions, type FormantTrack } from './features/formants.ts';
export { resample, type ResampleOptions, type ResType } from './features/resample.ts';
export { createResampleStream, type ResampleStream, type ResampleStreamOptions, type StreamResType } from './features/resample-stream.ts';
export { decodeWav, encodeWav, type DecodedWav, type DecodeWavOptions } from './audio/wav.ts';
export { GmmHmm, type GmmHmmOptions, type Decoded, type FitInfo, type Topology, type ScoreAlgorithm } from './hmm/model.ts';
export type { CovarianceType } from './hmm/gmm.ts';
export { HmmClassifier } from './hmm/classifier.ts';
export { StandardScaler } from './scaler.ts';
export { accuracy, confusionMatrix, editDistance, errorRate } from './metrics.ts';
export {
  parseClassifier, classifierFile, CLASSIFIER_SCHEMA, CLASSIFIER_VERSION, LAB_FEATURES, resolveFeatures,
  type ClassifierFile, type LoadedClassifier, type FeatureSettings,
} from './hmm/classifier-file.ts';
export { type Algorithm, type HmmConfig, type DigitResult, checkConfig, digitModel, fitDigit, classify, evaluate } from './pipeline/hmm-fit.ts';
export { type PackedSet, sequencesOf, labeledSequences } from './pipeline/packed-set.ts';
export { encodeNpy, encodeNpz } from './io/npy.ts';
export { cmvn, cmvnStats, applyCmvn, type CmvnStats } from './features/cmvn.ts';
export { vtlpWarp } from './features/mel.ts';
export { speedPerturb } from './augment/speed.ts';
export { addNoise, noise, type NoiseOptions, type NoiseColor } from './augment/noise.ts';
export { reverberate, type ReverbOptions } from './augment/reverb.ts';
export {
  Recognizer, recognizerText, RECOGNIZER_SCHEMA, RECOGNIZER_VERSION, type RecognizerJSON, type Recognition, type LabeledAudio,
} from './recognizer/recognizer.ts';
export { RECOGNIZER_FEATURES, resolveRecognizerFeatures, recognizerFrames, atModelRate, type RecognizerFeatures } from './recognizer/front-end.ts';
export { RECIPE, resolveRecipe, augmentedFrames, type Recipe } from './recognizer/recipe.ts';
export { trainRecognizer, type TrainOptions, type Trained, type DigitFitter } from './recognizer/train.ts';
export { WordLoop, type LoopWord, type LoopSegment } from './decoder/word-loop.ts';
export {
  ConnectedDigits, DEFAULT_INSERTION_PENALTY, type ConnectedDigitsOptions, type DigitsResult, type DigitWord,
} from './decoder/connected-digits.ts';
export { DigitStream, type DigitStreamOptions, type DigitStreamUpdate } from './decoder/digit-stream.ts';
