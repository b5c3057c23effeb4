/**
 * speechcore for Node: the shared public API (bindings/api.ts) plus what needs Node's built-ins —
 * dataset folders and split files, feature extraction over worker threads, the HMM worker pool and
 * grid, model files on disk. Browsers get bindings/browser.ts (the `browser` export condition).
 *
 * @module
 */
export * from './api.ts';
export {
  resolveDataDir, listFsdd, listIsolatedDigits, loadSplit, applySplit, DIGIT_WORDS,
  type FsddUtterance, type IsolatedDigitUtterance, type Split,
} from './audio/dataset.ts';
export {
  extractFiles, ExtractPool, resolveExtract, featuresOf,
  type ExtractOptions, type ExtractedFile, type ExtractStats, type ResolvedExtract,
} from './pipeline/extract.ts';
export { findSplit, loadSplitFeatures, type SplitFeatures, type LoadOptions } from './pipeline/split-features.ts';
export { HmmPool, type FitJob, type JobOutcome } from './pipeline/hmm-pool.ts';
export { gridConfigs, runGrid, pickBest, type GridRow, type GridEntry, type GridOptions } from './pipeline/hmm-grid.ts';
export { loadClassifier } from './hmm/load-classifier.ts';
export { synthesizeDigits, hasFlite, FLITE_VOICES, type SynthOptions } from './pipeline/tts.ts';
export { readAudio, readFsdd, readSubset, type LabeledFile } from './pipeline/recognizer-data.ts';
