/**
 * The GmmHmm model document (schema "speechcore-gmmhmm", version 1): what GmmHmm.toJSON writes and
 * GmmHmm.fromJSON reads, and the checks a document must pass before any number of it is used
 * (schema, version, options, shapes, finite values, stochastic rows, usable covariances). Plain
 * JSON, numbers as arrays; no Node imports (the browser page reads these inside classifier files).
 *
 * @module
 */
import { ModelFormatError } from '../errors.ts';
import { emissionTables, type CovarianceType, type GmmParams } from './gmm.ts';

export const GMMHMM_SCHEMA = 'speechcore-gmmhmm';
export const GMMHMM_VERSION = 1;

/** The fitted parameters a document carries besides the options. */
export interface GmmHmmParams {
  /** [S]. */
  startProb: Float64Array;
  /** [S][S]. */
  transMat: Float64Array;
  gmm: GmmParams;
  /** The training record (GmmHmm's FitInfo), stored as is; null when absent. */
  fitInfo: unknown;
}

/** The resolved options of a model, as the document stores them (GmmHmm's constructor options). */
export interface StoredOptions {
  nStates: number;
  nMix: number;
  covarianceType: CovarianceType;
  [key: string]: unknown;
}

/** The versioned, plain-JSON document of a fitted model. */
export function encodeGmmHmm(options: StoredOptions, p: GmmHmmParams): object {
  const g = p.gmm;
  return {
    schema: GMMHMM_SCHEMA, version: GMMHMM_VERSION,
    options,
    nFeatures: g.D,
    startProb: Array.from(p.startProb), transMat: Array.from(p.transMat),
    weights: Array.from(g.weights), means: Array.from(g.means), covars: Array.from(g.covars),
    fitInfo: p.fitInfo,
  };
}

/**
 * Checks a document and returns the model `build` makes from its options (build throws on bad
 * options; its message is reported as `options: …`) with the checked parameters.
 * @throws ModelFormatError naming the first problem.
 */
export function decodeGmmHmm<M extends { nStates: number; nMix: number; covarianceType: CovarianceType; name: string }>(
  json: unknown, build: (options: Record<string, unknown>) => M): { model: M; params: GmmHmmParams } {
  const j = json as Record<string, any>;
  const bad = (what: string) => new ModelFormatError(`model file: ${what}`);
  if (!j || typeof j !== 'object') throw bad('not a JSON object');
  if (j.schema !== GMMHMM_SCHEMA) throw bad(`schema is ${JSON.stringify(j.schema)}, expected "${GMMHMM_SCHEMA}"`);
  if (j.version !== GMMHMM_VERSION) throw bad(`version ${JSON.stringify(j.version)} is not supported (this build reads version ${GMMHMM_VERSION})`);
  if (!j.options || typeof j.options !== 'object') throw bad('options object is missing');
  let m: M;
  try {
    m = build(j.options);
  } catch (e) {
    throw bad(`options: ${(e as Error).message}`);
  }
  const S = m.nStates, M = m.nMix, D = j.nFeatures;
  if (!Number.isInteger(D) || D < 1) throw bad(`nFeatures=${D} must be an integer >= 1`);
  const arr = (name: string, n: number) => {
    const v = j[name];
    if (!Array.isArray(v) || v.length !== n) throw bad(`${name} must be an array of ${n} numbers, got ${Array.isArray(v) ? v.length : typeof v}`);
    // Check the raw values: Float64Array.from would turn null (how JSON writes NaN), "1", true, [1] into numbers.
    for (let i = 0; i < n; i++) {
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw bad(`${name}[${i}]=${typeof v[i] === "number" ? v[i] : JSON.stringify(v[i])} is not a finite number`);
    }
    return Float64Array.from(v);
  };
  const full = m.covarianceType === 'full';
  const startProb = arr('startProb', S), transMat = arr('transMat', S * S);
  const weights = arr('weights', S * M), means = arr('means', S * M * D), covars = arr('covars', full ? S * M * D * D : S * M * D);
  const stochastic = (name: string, a: Float64Array, rows: number, cols: number) => {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) { if (a[r * cols + c] < 0) throw bad(`${name} row ${r} has a negative entry`); s += a[r * cols + c]; }
      if (Math.abs(s - 1) > 1e-6) throw bad(`${name} row ${r} sums to ${s}, not 1`);
    }
  };
  stochastic('startProb', startProb, 1, S);
  stochastic('transMat', transMat, S, S);
  stochastic('weights', weights, S, M);
  const gmm: GmmParams = { S, M, D, covarianceType: m.covarianceType, weights, means, covars };
  try {
    emissionTables(gmm, m.name);
  } catch (e) {
    throw bad(`covariances: ${(e as Error).message}`);
  }
  return { model: m, params: { startProb, transMat, gmm, fitInfo: j.fitInfo ?? null } };
}
