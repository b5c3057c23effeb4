/**
 * The training recipe: which perturbed copies of every training utterance the models see
 * (speed perturbation, vocal-tract-length perturbation, additive noise, synthetic rooms) and the
 * digit models' size. Deterministic for a seed. No Node imports.
 *
 * @module
 */
import { checkChoice, checkInt, checkNumber } from '../features/options.ts';
import type { CovarianceType } from '../hmm/gmm.ts';
import { ParameterError } from '../errors.ts';
import { Rng } from '../rng.ts';
import type { Matrix } from '../matrix.ts';
import type { Engine } from '../engine.ts';
import { speedPerturb } from '../augment/speed.ts';
import { addNoise } from '../augment/noise.ts';
import { reverberate } from '../augment/reverb.ts';
import { atModelRate, recognizerFrames, type RecognizerFeatures } from './front-end.ts';
import type { LabeledAudio } from './recognizer.ts';

export interface Recipe {
  /** Speed factors; every utterance is used at each (Kaldi's 0.9, 1.0, 1.1). */
  speeds: number[];
  /** VTLP: each copy's mel warp α is drawn from 1 ± vtlp in steps of 0.02 (0: off). */
  vtlp: number;
  /** Extra copies per utterance with white or pink noise at an SNR drawn in snrDb (0: none). */
  noiseCopies: number;
  snrDb: [number, number];
  /** Extra copies per utterance in a synthetic room with RT60 drawn in rt60 seconds (0: none). */
  reverbCopies: number;
  rt60: [number, number];
  /** Left-right GMM-HMM per digit: states, Gaussians per state, their covariance, EM iterations. */
  nStates: number;
  nMix: number;
  covarianceType: CovarianceType;
  nIter: number;
  tol: number;
  minCovar: number;
}

/** The recommended recipe (measured: README "Speaker-independent recognition"). */
export const RECIPE: Readonly<Recipe> = Object.freeze({
  speeds: [0.9, 1, 1.1], vtlp: 0.1, noiseCopies: 1, snrDb: [10, 30] as [number, number], reverbCopies: 1, rt60: [0.2, 0.6] as [number, number],
  nStates: 8, nMix: 8, covarianceType: 'diag', nIter: 20, tol: 1e-2, minCovar: 1e-3,
});

/** A recipe with the defaults, each field checked (ParameterError naming it). */
export function resolveRecipe(r: Partial<Recipe> = {}): Recipe {
  const x = { ...RECIPE, ...r };
  const range = (name: string, v: unknown, lo: number, hi: number): [number, number] => {
    if (!Array.isArray(v) || v.length !== 2) throw new ParameterError(`${name} must be [low, high]`);
    const a = checkNumber(`${name}[0]`, v[0], lo, hi), b = checkNumber(`${name}[1]`, v[1], a, hi);
    return [a, b];
  };
  if (!Array.isArray(x.speeds) || x.speeds.length === 0) throw new ParameterError('speeds must be a non-empty list of factors');
  return {
    speeds: x.speeds.map((s, i) => checkNumber(`speeds[${i}]`, s, 0.5, 2)),
    vtlp: checkNumber('vtlp', x.vtlp, 0, 0.3),
    noiseCopies: checkInt('noiseCopies', x.noiseCopies, 0),
    snrDb: range('snrDb', x.snrDb, -20, 100),
    reverbCopies: checkInt('reverbCopies', x.reverbCopies, 0),
    rt60: range('rt60', x.rt60, 0.01, 5),
    nStates: checkInt('nStates', x.nStates, 1),
    nMix: checkInt('nMix', x.nMix, 1),
    covarianceType: checkChoice('covarianceType', x.covarianceType, ['diag', 'full'] as const),
    nIter: checkInt('nIter', x.nIter, 1),
    tol: checkNumber('tol', x.tol, 0),
    minCovar: checkNumber('minCovar', x.minCovar, 0, Infinity, true),
  };
}

/** α in 1 ± vtlp, on the 0.02 grid (each α caches one mel plan). */
function drawAlpha(rng: Rng, vtlp: number): number {
  if (vtlp === 0) return 1;
  const steps = Math.round(vtlp / 0.02);
  return Math.round((1 + 0.02 * (rng.int(2 * steps + 1) - steps)) * 100) / 100;
}

/**
 * The training frames of one utterance under a recipe: one copy per speed (each with its own VTLP
 * warp), then the noisy and reverberant copies (of the unperturbed speed, with a warp each).
 * Draws from `rng` in a fixed order, so a seed gives the same copies.
 */
export function augmentedFrames(u: LabeledAudio, recipe: Recipe, f: RecognizerFeatures, rng: Rng, engine?: Engine): Matrix[] {
  const out: Matrix[] = [];
  const sr = f.sampleRate;
  const y = atModelRate(u.samples, u.sampleRate, f, engine);
  const frames = (x: Float32Array) => recognizerFrames(x, sr, f, { vtlpAlpha: drawAlpha(rng, recipe.vtlp), engine });
  for (const factor of recipe.speeds) out.push(frames(factor === 1 ? y : speedPerturb(y, { sr, factor, engine })));
  for (let k = 0; k < recipe.noiseCopies; k++) {
    const snrDb = recipe.snrDb[0] + (recipe.snrDb[1] - recipe.snrDb[0]) * rng.next();
    out.push(frames(addNoise(y, { snrDb, color: rng.next() < 0.5 ? 'white' : 'pink', rng })));
  }
  for (let k = 0; k < recipe.reverbCopies; k++) {
    const rt60 = recipe.rt60[0] + (recipe.rt60[1] - recipe.rt60[0]) * rng.next();
    out.push(frames(reverberate(y, { sr, rt60, drrDb: 10 * rng.next(), rng })));
  }
  return out;
}
