/**
 * `speechcore/nn`: sequence models (LSTM/GRU/RNN classifiers and regressors, packed or padded
 * batches) on TensorFlow.js's wasm backend, the only folder that imports `@tensorflow/*`.
 * `@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-wasm` are optional peers of the package:
 * importing this entry without them throws one MissingPeerError naming both.
 *
 * @module
 */
import { assertPeers } from './backend.ts';

assertPeers();

export { initNn, getTf, ensureGradients, MissingPeerError, NN_PEERS, type NnInitOptions, type Tf } from './backend.ts';
export { layoutBatch, schedule, finalRow, fillRows, type Batching, type BatchLayout } from './batch.ts';
export { lstmParamShapes, initLstmParams, featureDim, type LstmSpec } from './stack.ts';
export { stackForward, fusedFeatures, type StackPass } from './fused.ts';
export { opsFeatures } from './ops.ts';
export { SequenceClassifier } from './classifier.ts';
export {
  type SequenceClassifierOptions, type LabeledSequences, type FitOptions, type History, type EpochInfo, type Evaluation,
  type RecurrentImpl,
} from './options.ts';
export { parseModelText, type ModelDocument } from './format.ts';
export { type TrainingTiming, type Quantiles, formatTiming } from './profile.ts';
export { SequenceRegressor, sineCosinePairs, splitPairs, type CellKind, type RegressorOptions, type RegressorFit } from './seq2seq.ts';
