/**
 * Recognizer: a spoken-digit recogniser as one object and one file — its front end
 * (front-end.ts), one GmmHmm per digit (an HmmClassifier) and how it was trained. Samples at any
 * rate go in, a digit and per-digit scores come out. The same code runs in Node (the
 * `speechcore recognize` command) and in the browser page's worker. No Node imports.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';
import { formatError, openDocument } from '../io/document.ts';
import type { Engine } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import { argmax } from '../argmax.ts';
import { logSoftmax } from '../softmax.ts';
import { HmmClassifier, type HmmClassifierJSON, type ScoreAlgorithm } from '../hmm/classifier.ts';
import { atModelRate, recognizerFrames, resolveRecognizerFeatures, type RecognizerFeatures } from './front-end.ts';

export const RECOGNIZER_SCHEMA = 'speechcore-recognizer';
export const RECOGNIZER_VERSION = 1;

/** The file `speechcore train` writes (and Recognizer.toJSON returns). */
export interface RecognizerJSON {
  schema: typeof RECOGNIZER_SCHEMA;
  version: typeof RECOGNIZER_VERSION;
  features: RecognizerFeatures;
  /** How an utterance is scored against each digit's model. */
  algorithm: ScoreAlgorithm;
  classifier: HmmClassifierJSON;
  /** Provenance: recipe, data, seed, times (informational; not read back into behaviour). */
  training?: Record<string, unknown>;
  /** Set when the model was adapted to a speaker (Recognizer.enroll). */
  enrolment?: { utterances: number; tau: number };
}

/** One recognised utterance. */
export interface Recognition {
  /** The best-scoring label. */
  digit: number;
  /** Log-likelihood of the utterance under each label's model, in `labels` order (f64). */
  scores: Float64Array;
  /** Posterior over labels with a uniform prior (softmax of scores), in `labels` order. */
  probabilities: Float64Array;
  /** The VTLN warp the scores are at (1 without vtlnWarps). */
  warp: number;
}

/** A labelled recording for enrolment or training. */
export interface LabeledAudio {
  samples: Float32Array;
  sampleRate: number;
  digit: number;
}

export class Recognizer {
  private constructor(
    readonly features: RecognizerFeatures,
    readonly classifier: HmmClassifier,
    readonly algorithm: ScoreAlgorithm,
    readonly training: Record<string, unknown> | undefined,
    readonly enrolment: RecognizerJSON['enrolment'],
    private readonly engine: Engine | undefined,
  ) {}

  /** Wraps fitted per-label models (an HmmClassifier on recognizerFrames) with their front end. */
  static fromClassifier(classifier: HmmClassifier, o: { features?: Partial<RecognizerFeatures>; algorithm?: ScoreAlgorithm;
    training?: Record<string, unknown>; engine?: Engine } = {}): Recognizer {
    if (classifier.models.length === 0) throw new ParameterError('Recognizer: the classifier is not fitted');
    const features = resolveRecognizerFeatures(o.features);
    if (classifier.models[0]!.nFeatures !== 3 * features.nMfcc) {
      throw new ParameterError(`Recognizer: the models take ${classifier.models[0]!.nFeatures} features, the front end gives ${3 * features.nMfcc}`);
    }
    return new Recognizer(features, classifier, o.algorithm ?? 'viterbi', o.training, undefined, o.engine);
  }

  /**
   * Rebuilds a recogniser from its file: the parsed object or the text. Checks schema, version,
   * the front end, every model (shapes, finite values, probabilities) and that the two agree.
   * @param source names the file or URL in every message (default "recognizer").
   * @throws ModelFormatError naming the source and the first problem.
   */
  static fromJSON(json: unknown, o: { source?: string; engine?: Engine } = {}): Recognizer {
    const source = o.source ?? 'recognizer';
    const bad = formatError(source);
    const j = openDocument(json, source, RECOGNIZER_SCHEMA, RECOGNIZER_VERSION);
    let features: RecognizerFeatures;
    try {
      // A file without vtlnWarps (the first 0.3 files) scores at α = 1 only.
      features = resolveRecognizerFeatures({ vtlnWarps: null, ...(j.features ?? bad('"features" is missing')) });
    } catch (e) {
      return bad(`features: ${(e as Error).message}`);
    }
    const algorithm = j.algorithm;
    if (algorithm !== 'viterbi' && algorithm !== 'forward') bad(`algorithm ${JSON.stringify(algorithm)} must be "viterbi" or "forward"`);
    let classifier: HmmClassifier;
    try {
      classifier = HmmClassifier.fromJSON(j.classifier, o.engine);
    } catch (e) {
      return bad(`classifier: ${(e as Error).message}`);
    }
    classifier.models.forEach((m, i) => {
      if (m.nFeatures !== 3 * features.nMfcc) bad(`classifier model ${i} takes ${m.nFeatures} features, the front end gives ${3 * features.nMfcc}`);
    });
    const enrolment = j.enrolment && typeof j.enrolment === 'object' ? j.enrolment : undefined;
    return new Recognizer(features, classifier, algorithm, j.training, enrolment, o.engine);
  }

  /** Labels, in the order of `scores`. */
  get labels(): readonly number[] {
    return this.classifier.labels;
  }

  /** The frames this recogniser scores for mono samples at any rate, at mel warp α (default 1): [frames][3·nMfcc]. */
  frames(samples: Float32Array, sampleRate: number, vtlpAlpha = 1): Matrix {
    return recognizerFrames(samples, sampleRate, this.features, { vtlpAlpha, engine: this.engine });
  }

  /**
   * Recognises one utterance: mono samples at sampleRate Hz (resampled to the model's rate).
   * @example Recognizer.fromJSON(text).recognize(samples, 44100).digit
   */
  recognize(samples: Float32Array, sampleRate: number): Recognition {
    return this.recognizeMany([{ samples, sampleRate }])[0]!;
  }

  /** Recognises several utterances; their frames (at every VTLN warp) go to wasm once. */
  recognizeMany(utterances: readonly { samples: Float32Array; sampleRate: number }[]): Recognition[] {
    return this.warpedScores(utterances).map(({ scores, warp }) => {
      const probabilities = logSoftmax(scores).map(Math.exp);
      return { digit: this.labels[argmax(scores)]!, scores, probabilities, warp };
    });
  }

  /**
   * Per utterance, the scores at the warp chosen by `pick` (default: the warp whose best label
   * scores highest, i.e. the joint maximum over warps and labels).
   * @throws ParameterError naming the utterance: bad samples, or speech shorter than the chains.
   */
  private warpedScores(utterances: readonly { samples: Float32Array; sampleRate: number }[],
    pick: (perWarp: Float64Array[], i: number) => number = (perWarp) => argmax(Float64Array.from(perWarp, (s) => Math.max(...s)))):
    { scores: Float64Array; warp: number; frames: Matrix }[] {
    if (utterances.length === 0) return [];
    const warps = this.features.vtlnWarps ?? [1];
    const X = utterances.flatMap((u, i) => {
      try {
        // Resampled once, then framed at every warp (recognizerFrames would resample per call).
        const y = atModelRate(u.samples, u.sampleRate, this.features, this.engine);
        return warps.map((a) => this.frames(y, this.features.sampleRate, a));
      } catch (e) {
        if (e instanceof ParameterError) throw new ParameterError(`utterance ${i}: ${e.message}`);
        throw e;
      }
    });
    const S = this.classifier.models[0]!.nStates;
    const all = this.classifier.scores(X, this.algorithm);
    return utterances.map((_, i) => {
      const perWarp = all.slice(i * warps.length, (i + 1) * warps.length);
      // No path through any model: the speech is shorter than a chain (one frame per state).
      if (perWarp.every((s) => s.every((v) => v === -Infinity))) {
        throw new ParameterError(`utterance ${i}: ${X[i * warps.length]!.rows} frames of speech; the ${S}-state models need at least ${S}`);
      }
      const w = pick(perWarp, i);
      return { scores: perWarp[w]!, warp: warps[w]!, frames: X[i * warps.length + w]! };
    });
  }

  /**
   * Adapts the models to one speaker from a few labelled utterances (MAP adaptation of the
   * Gaussian means, GmmHmm.adaptMeans): each digit's model moves towards that speaker's frames
   * of that digit; digits without utterances stay. Returns a new recogniser.
   * @param o.tau prior weight in frames (default 10): larger trusts the speaker-independent model more.
   */
  enroll(utterances: readonly LabeledAudio[], o: { tau?: number; nIter?: number } = {}): Recognizer {
    if (utterances.length === 0) throw new ParameterError('enroll: no utterances');
    utterances.forEach((u, i) => {
      if (!this.labels.includes(u.digit)) throw new ParameterError(`enroll: utterance ${i} has digit ${u.digit}, which the model does not know (${this.labels.join(', ')})`);
    });
    // Each utterance at the warp under which its own digit's model scores it best.
    const chosen = this.warpedScores(utterances, (perWarp, i) => argmax(Float64Array.from(perWarp, (s) => s[this.labels.indexOf(utterances[i]!.digit)]!)));
    const byLabel = new Map<number, Matrix[]>();
    chosen.forEach(({ frames }, i) => byLabel.set(utterances[i]!.digit, [...(byLabel.get(utterances[i]!.digit) ?? []), frames]));
    const clf = new HmmClassifier({ engine: this.engine });
    clf.labels = this.labels.slice();
    clf.models = this.classifier.models.map((m, k) => {
      const mine = byLabel.get(this.labels[k]!);
      return mine ? m.adaptMeans(mine, o) : m;
    });
    const tau = o.tau ?? 10;
    const before = this.enrolment?.utterances ?? 0;
    return new Recognizer(this.features, clf, this.algorithm, this.training, { utterances: before + utterances.length, tau }, this.engine);
  }

  /** The recogniser's file as an object (JSON.stringify it to save); fromJSON reads it back. */
  toJSON(): RecognizerJSON {
    return {
      schema: RECOGNIZER_SCHEMA, version: RECOGNIZER_VERSION, features: { ...this.features }, algorithm: this.algorithm,
      classifier: this.classifier.toJSON(),
      ...(this.training ? { training: this.training } : {}),
      ...(this.enrolment ? { enrolment: this.enrolment } : {}),
    };
  }
}

/**
 * The recogniser's file as `speechcore train` writes it: toJSON's object with every non-integer
 * rounded to seven significant digits (float32's precision; the frames are f32), 40 % smaller.
 */
export function recognizerText(r: Recognizer): string {
  return JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v));
}
