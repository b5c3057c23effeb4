/**
 * speechcore: the public API. Feature functions mirror librosa 0.10.1 (camelCased names, same
 * defaults, `sr` required) and return frame-major matrices ([frame][feature]).
 */
export { init, createEngine, createEngineSync, getEngine, hostHasSimd, Engine, type EngineOptions } from './engine.ts';
export { ParameterError, WavFormatError, NumericalError, DatasetError } from './errors.ts';
export { type Matrix, transpose, toArrays } from './matrix.ts';
export { rfft, isFastSize, nextFastSize } from './features/fft.ts';
export { stft, spectrogram, type StftOptions } from './features/stft.ts';
export { melFilterbank, melSpectrogram, hzToMel, melToHz, melFrequencies, type MelOptions, type MelSpectrogramOptions } from './features/mel.ts';
export { powerToDb, type PowerToDbOptions } from './features/db.ts';
export { mfcc, mfccWithDeltas, mfsc, type MfccOptions } from './features/mfcc.ts';
export { delta, type DeltaOptions } from './features/delta.ts';
export { zeroCrossingRate, type ZcrOptions } from './features/zcr.ts';
export { decodeWav, encodeWav, type DecodedWav } from './audio/wav.ts';
export { resolveDataDir, listFsdd, listIsolatedDigits, loadSplit, applySplit } from './audio/dataset.ts';
export { GmmHmm, type GmmHmmOptions, type Sequence, type FitInfo, type Topology } from './hmm/model.ts';
export { HmmClassifier, type ScoreAlgorithm } from './hmm/classifier.ts';
export { StandardScaler } from './classic/scaler.ts';
export { accuracy, confusionMatrix } from './classic/metrics.ts';
export { ModelFormatError } from './errors.ts';
export { pitch, type PitchOptions, type PitchTrack } from './features/pitch.ts';
export { formants, FORMANT_SAFETY_MARGIN_HZ, type FormantOptions, type FormantTrack } from './features/formants.ts';
export { resample, type ResampleOptions } from './features/resample.ts';
export { GaussianNB, type GaussianNBOptions } from './classic/naive-bayes.ts';
export { LibraryGaussianNB, KNN, LinearSVC, type KNNOptions, type LinearSVCOptions } from './classic/library.ts';
export { MLPClassifier, type MLPOptions } from './classic/mlp.ts';
export { PCA, type PCAOptions } from './classic/pca.ts';
export { stratifiedSplit, trainTestSplit, type SplitOptions } from './classic/split.ts';
export { evaluateClassifiers, labClassifiers, type ClassifierResult, type EvaluateOptions } from './classic/evaluate.ts';
export type { Classifier } from './classic/estimator.ts';
export { loadIsolatedDigits, parseDigitName, resolveDigitsDir, type DigitUtterance } from './analysis/digits.ts';
export { frameFeatures, frameMfsc, utteranceVector, featureNames, type FeatureSet } from './analysis/features.ts';
export { correlationMatrix, correlationPairs, mfccHistograms, pcaSummary, utteranceMatrix } from './analysis/inspect.ts';
export { fetchFsdd, FSDD, type FetchFsddOptions, type FetchFsddResult } from './data/fetch.ts';
export {
  initNn, SequenceClassifier, SequenceRegressor, layoutBatch, formatTiming, sineCosinePairs,
  type Batching, type BatchLayout, type SequenceClassifierOptions, type LabeledSequences, type FitOptions, type History,
  type EpochInfo, type Evaluation, type TrainingTiming, type CellKind,
} from './nn/index.ts';
