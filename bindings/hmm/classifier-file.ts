/**
 * The saved GMM-HMM recogniser (`speechcore hmm train --out model.json`): schema
 * "speechcore-hmm-classifier", the front end it was trained with, the scaler, the labels and one
 * GmmHmm per label. No Node imports: the CLI reads files with it (load-classifier.ts), the
 * browser page's worker parses fetched text.
 *
 * @module
 */
import { StandardScaler } from '../scaler.ts';
import type { Engine } from '../engine.ts';
import { formatError, openDocument } from '../io/document.ts';
import { GmmHmm } from './model.ts';
import { resolveFeatures, type FeatureSettings } from '../pipeline/front-end.ts';
import type { Algorithm, HmmConfig } from '../pipeline/hmm-fit.ts';

export { LAB_FEATURES, resolveFeatures, type FeatureSettings } from '../pipeline/front-end.ts';

export const CLASSIFIER_SCHEMA = 'speechcore-hmm-classifier';
export const CLASSIFIER_VERSION = 1;

/** A saved recogniser: front end, scaler, one GmmHmm per label. */
export interface ClassifierFile {
  schema: typeof CLASSIFIER_SCHEMA;
  version: typeof CLASSIFIER_VERSION;
  features: FeatureSettings & { sampleRate: number };
  scaler: { mean: number[]; scale: number[] };
  labels: number[];
  algorithm: Algorithm;
  config: HmmConfig;
  models: object[];
}

export function classifierFile(o: { features: FeatureSettings; sampleRate: number; scaler: StandardScaler; labels: number[];
  algorithm: Algorithm; config: HmmConfig; models: object[] }): ClassifierFile {
  return {
    schema: CLASSIFIER_SCHEMA, version: CLASSIFIER_VERSION,
    features: { ...o.features, sampleRate: o.sampleRate },
    scaler: { mean: Array.from(o.scaler.mean!), scale: Array.from(o.scaler.scale!) },
    labels: o.labels, algorithm: o.algorithm, config: o.config, models: o.models,
  };
}

export interface LoadedClassifier {
  features: FeatureSettings;
  sampleRate: number;
  scaler: StandardScaler;
  labels: number[];
  algorithm: Algorithm;
  /** The training configuration (GmmHmm's names, also for files that use the 0.1 ones), if the file has one. */
  config: HmmConfig | null;
  models: GmmHmm[];
}

/**
 * Parses and checks the text of a model file written by `speechcore hmm train`; `source` (a path
 * or URL) prefixes every message. Browser-safe: the page's worker calls it on fetched text.
 * @throws ModelFormatError naming the source and the problem (not JSON, other schema or version,
 *   inconsistent shapes, invalid model).
 */
export function parseClassifier(text: string, source: string, engine?: Engine): LoadedClassifier {
  const bad = formatError(source);
  const j = openDocument(text, source, CLASSIFIER_SCHEMA, CLASSIFIER_VERSION);
  let features: FeatureSettings;
  try {
    features = resolveFeatures(j.features ?? bad('"features" is missing'));
  } catch (e) {
    return bad(`features: ${(e as Error).message}`);
  }
  const sampleRate = j.features.sampleRate ?? 8000;
  if (!Number.isInteger(sampleRate) || sampleRate < 1) bad(`features.sampleRate=${sampleRate} must be an integer >= 1`);
  const D = features.nMfcc;
  const vec = (name: 'mean' | 'scale'): Float64Array => {
    const v = j.scaler?.[name];
    if (!Array.isArray(v) || v.length !== D || !v.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))) {
      bad(`scaler.${name} must be ${D} finite numbers`);
    }
    return Float64Array.from(v);
  };
  const scaler = new StandardScaler();
  scaler.mean = vec('mean');
  scaler.scale = vec('scale');
  if (scaler.scale.some((s) => !(s > 0))) bad('scaler.scale has a non-positive entry');
  const labels = j.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l: unknown) => Number.isInteger(l))) bad('labels must be a non-empty array of integers');
  if (!Array.isArray(j.models) || j.models.length !== labels.length) bad(`models must be an array of ${labels.length} models (one per label)`);
  const algorithm = j.algorithm ?? 'viterbi';
  if (algorithm !== 'viterbi' && algorithm !== 'forward') bad(`algorithm ${JSON.stringify(algorithm)} must be "viterbi" or "forward"`);
  const models = (j.models as unknown[]).map((m, i) => {
    let hmm: GmmHmm;
    try {
      hmm = GmmHmm.fromJSON(m, engine);
    } catch (e) {
      return bad(`models[${i}]: ${(e as Error).message}`);
    }
    if (hmm.nFeatures !== D) bad(`models[${i}] has ${hmm.nFeatures} features, the front end ${D}`);
    return hmm;
  });
  return { features, sampleRate, scaler, labels, algorithm, config: configOf(j.config), models };
}

/**
 * The file's `config` (informational: the models carry their own options) with GmmHmm's names.
 * Files written by speechcore 0.1 say `states`, `mixtures`, `covariance`; those read as `nStates`,
 * `nMix`, `covarianceType` (the new name wins when a file has both).
 */
export function configOf(config: unknown): HmmConfig | null {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return null;
  const { states, mixtures, covariance, ...rest } = config as Record<string, unknown>;
  return {
    ...(states !== undefined ? { nStates: states } : {}),
    ...(mixtures !== undefined ? { nMix: mixtures } : {}),
    ...(covariance !== undefined ? { covarianceType: covariance } : {}),
    ...rest,
  } as unknown as HmmConfig;
}
