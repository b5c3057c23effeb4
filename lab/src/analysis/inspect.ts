/**
 * Lab steps 4–6 on the isolated digits: MFCC histograms for two digits, MFSC vs MFCC correlation
 * matrices for two utterances of each of two digits by two speakers, per-utterance vectors and
 * their PCA (explained variance, components for a variance target).
 *
 * @module
 */
import { DatasetError, ParameterError, type Matrix } from 'speechcore';
import { PCA } from '../classic/pca.ts';
import type { DigitUtterance } from './digits.ts';
import { frameFeatures, frameMfsc, utteranceVector, type FeatureSet } from './features.ts';

/** Pearson correlation between the columns of a frame-major matrix, [cols][cols]. */
export function correlationMatrix(m: Matrix): number[][] {
  const { rows, cols, data } = m;
  if (rows < 2) throw new ParameterError(`correlationMatrix needs at least 2 frames, got ${rows}`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c] / rows;
  const cov = Array.from({ length: cols }, () => new Float64Array(cols));
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const di = data[r * cols + i] - mean[i];
      for (let j = i; j < cols; j++) cov[i][j] += di * (data[r * cols + j] - mean[j]);
    }
  }
  return Array.from({ length: cols }, (_, i) => Array.from({ length: cols }, (_, j) => {
    const [a, b] = i <= j ? [i, j] : [j, i];
    const d = Math.sqrt(cov[i][i] * cov[j][j]);
    return d > 0 ? cov[a][b] / d : i === j ? 1 : 0;
  }));
}

/** Mean |r| over the off-diagonal entries: how correlated the coefficients are. */
export function meanAbsOffDiagonal(c: number[][]): number {
  let s = 0, n = 0;
  for (let i = 0; i < c.length; i++) for (let j = 0; j < c.length; j++) if (i !== j) { s += Math.abs(c[i][j]); n++; }
  return n ? s / n : 0;
}

export interface HistogramSet {
  digit: number;
  word: string;
  /** Coefficient index, 0-based (MFCC 1 is index 0). */
  coefficient: number;
  /** Every frame's value over all utterances of the digit. */
  values: number[];
}

/** Step 4: values of MFCC `coefficients` over every frame of every utterance of each digit. */
export function mfccHistograms(utts: readonly DigitUtterance[], digits: readonly number[], coefficients: readonly number[] = [0, 1]): HistogramSet[] {
  const out: HistogramSet[] = [];
  for (const d of digits) {
    const mine = utts.filter((u) => u.digit === d);
    if (mine.length === 0) throw new DatasetError(`no utterance of digit ${d} in the folder`);
    const frames = mine.map((u) => frameFeatures(u.samples, { sr: u.sr, file: u.path }));
    for (const c of coefficients) {
      const values: number[] = [];
      for (const f of frames) for (let r = 0; r < f.rows; r++) values.push(f.data[r * f.cols + c]);
      out.push({ digit: d, word: mine[0].word, coefficient: c, values });
    }
  }
  return out;
}

export interface CorrelationPair {
  file: string;
  digit: number;
  speaker: number;
  mfsc: number[][];
  mfcc: number[][];
  mfscMeanAbs: number;
  mfccMeanAbs: number;
}

/**
 * Step 4: for each digit × speaker, the 13 MFSC (log-mel) and 13 MFCC correlation matrices of one
 * utterance (2 digits × 2 speakers = the lab's four utterances).
 * @throws DatasetError when a digit has no utterance by a speaker.
 */
export function correlationPairs(utts: readonly DigitUtterance[], digits: readonly number[], speakers: readonly number[]): CorrelationPair[] {
  const out: CorrelationPair[] = [];
  for (const d of digits) {
    for (const s of speakers) {
      const u = utts.find((x) => x.digit === d && x.speaker === s);
      if (!u) throw new DatasetError(`no utterance of digit ${d} by speaker ${s}`);
      const mfsc = correlationMatrix(frameMfsc(u.samples, { sr: u.sr, file: u.path }));
      const f = frameFeatures(u.samples, { sr: u.sr, file: u.path });
      const mfcc13 = { data: new Float32Array(f.rows * 13), rows: f.rows, cols: 13 };
      for (let r = 0; r < f.rows; r++) mfcc13.data.set(f.data.subarray(r * f.cols, r * f.cols + 13), r * 13);
      const mfcc = correlationMatrix(mfcc13);
      out.push({ file: u.file, digit: d, speaker: s, mfsc, mfcc, mfscMeanAbs: meanAbsOffDiagonal(mfsc), mfccMeanAbs: meanAbsOffDiagonal(mfcc) });
    }
  }
  return out;
}

export interface PcaSummary {
  /** Standardised before the PCA or raw (the lab's figures are on the raw vectors). */
  scaled: boolean;
  ratio: number[];
  cumulative: number[];
  /** Cumulative ratio with 2 and 3 components. */
  two: number;
  three: number;
  /** Components for 95% of the variance. */
  for95: number;
  /** Projections on the first 3 components, [n][3]. */
  projection: number[][];
}

/** Step 6: PCA of the per-utterance vectors. */
export function pcaSummary(X: number[][], scaled = false): PcaSummary {
  let rows = X;
  if (scaled) {
    const D = X[0].length, n = X.length;
    const mean = Array.from({ length: D }, (_, j) => X.reduce((a, r) => a + r[j], 0) / n);
    const sd = mean.map((m, j) => Math.sqrt(X.reduce((a, r) => a + (r[j] - m) ** 2, 0) / n) || 1);
    rows = X.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
  }
  const p = new PCA().fit(rows);
  const cum = p.cumulativeVarianceRatio;
  return { scaled, ratio: p.explainedVarianceRatio, cumulative: cum, two: cum[1], three: cum[2], for95: p.componentsFor(0.95), projection: p.transform(rows, 3) };
}

/** Step 5: per-utterance vectors (78, or 80 with zcr) and their labels. */
export function utteranceMatrix(utts: readonly DigitUtterance[], features: FeatureSet = 'mfcc'): { X: number[][]; y: number[] } {
  return {
    X: utts.map((u) => utteranceVector(u.samples, { sr: u.sr, features, file: u.path })),
    y: utts.map((u) => u.digit),
  };
}
