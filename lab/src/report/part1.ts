/**
 * Part 1 of the lab (steps 1–7) on the isolated digits: pitch and formants, parsing, MFCC,
 * histograms and correlations, utterance vectors, PCA, classifiers.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav, formants, pitch, powerToDb, spectrogram } from 'speechcore';
import { DIGIT_WORDS, loadIsolatedDigits, type DigitUtterance } from '../analysis/digits.ts';
import { frameFeatures } from '../analysis/features.ts';
import { correlationPairs, mfccHistograms, pcaSummary, utteranceMatrix } from '../analysis/inspect.ts';
import { evaluateClassifiers, type ClassifierResult } from '../classic/evaluate.ts';
import * as F from '../plots/figures.ts';
import { guarded, type ReportContext } from './context.ts';
import { esc, fmt, type Block, type Section } from './html.ts';

/** The lab's single-split test accuracies (step 7), in labClassifiers order. */
export const LAB_ACCURACY = [0.72, 0.72, 0.56, 0.86, 0.89];

/** Voiced runs of a pitch track (frame index ranges), longest first. */
function voicedRuns(f0: Float64Array, minFrames = 5): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= f0.length; i++) {
    const v = i < f0.length && Number.isFinite(f0[i]);
    if (v && start < 0) start = i;
    if (!v && start >= 0) { if (i - start >= minFrames) runs.push([start, i]); start = -1; }
  }
  return runs;
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

async function step1(ctx: ReportContext, dir: string): Promise<Block[]> {
  const blocks: Block[] = [];
  const files = [['onetwothree1.wav', 'male', 5000], ['onetwothree8.wav', 'female', 5500]] as const;
  const rows: (string | number)[][] = [];
  for (const [file, who, maxFormant] of files) {
    const path = join(dir, file);
    if (!existsSync(path)) { blocks.push({ kind: 'missing', what: file, why: `${path} does not exist` }); continue; }
    const w = decodeWav(readFileSync(path), { file: path });
    const nFft = 512, hop = Math.round(0.01 * w.sampleRate);
    const S = powerToDb(spectrogram(w.samples, { nFft, hopLength: hop }));
    const maxBin = Math.min(S.cols - 1, Math.round(maxFormant / (w.sampleRate / nFft)));
    const step = ctx.quick ? 3 : 2;
    const db: number[][] = [], times: number[] = [];
    for (let r = 0; r < S.rows; r += step) { db.push(Array.from(S.data.subarray(r * S.cols, r * S.cols + maxBin + 1))); times.push((r * hop) / w.sampleRate); }
    const freqs = Array.from({ length: maxBin + 1 }, (_, k) => (k * w.sampleRate) / nFft);
    let pitchTrack: [number, number | null][] | undefined, formantTrack: [number, ...(number | null)[]][] | undefined;
    {
      const pt = pitch(w.samples, { sr: w.sampleRate });
      const ft = formants(w.samples, { sr: w.sampleRate, maxFormant });
      pitchTrack = Array.from(pt.times, (t, i) => [t, Number.isFinite(pt.f0[i]) ? pt.f0[i] : null]);
      const F = (i: number, k: number) => { const v = ft.frequencies[i * ft.maxFormants + k]; return Number.isFinite(v) ? v : null; };
      formantTrack = Array.from(ft.times, (t, i) => [t, F(i, 0), F(i, 1), F(i, 2)]);
      // The three longest voiced runs in time order are the vowels of "one", "two", "three".
      const runs = voicedRuns(pt.f0).sort((a, b) => (b[1] - b[0]) - (a[1] - a[0])).slice(0, 3).sort((a, b) => a[0] - b[0]);
      runs.forEach(([a, b], k) => {
        const t0 = pt.times[a], t1 = pt.times[b - 1];
        const mid0 = t0 + 0.25 * (t1 - t0), mid1 = t1 - 0.25 * (t1 - t0);
        const inMid = Array.from(ft.times, (t, i) => i).filter((i) => ft.times[i] >= mid0 && ft.times[i] <= mid1);
        rows.push([`${file} (${who})`, ['one', 'two', 'three'][k] ?? `run ${k + 1}`, `${t0.toFixed(2)}–${t1.toFixed(2)}`,
          fmt(median(Array.from(pt.f0.subarray(a, b))), 0), ...[0, 1, 2].map((q) => fmt(median(inMid.map((i) => F(i, q) ?? NaN)), 0))]);
      });
    }
    blocks.push(await ctx.figure(`step1-${file.replace('.wav', '')}`, F.waveformSpectrogram({ title: `${file} (${who}): waveform, spectrogram, pitch and F1–F3`, sr: w.sampleRate, samples: w.samples, spectrogram: { db, times, freqs }, pitch: pitchTrack, formants: formantTrack }),
      `Step 1: ${file}. Spectrogram 0–${maxFormant} Hz (${nFft}-point FFT, 10 ms hop); dots: formants (Burg, max formant ${maxFormant} Hz), blue: pitch (autocorrelation, right axis).`));
    ctx.tick('step 1');
  }
  if (rows.length) {
    blocks.push({ kind: 'table', caption: 'Pitch and formants of the vowels (median over the voiced run; formants over its middle half)', head: ['file', 'word', 'span (s)', 'pitch (Hz)', 'F1 (Hz)', 'F2 (Hz)', 'F3 (Hz)'], rows });
    blocks.push({ kind: 'p', html: 'The lab read by hand in Praat: male pitch ≈ 130–135 Hz, /a/ F1 712, F2 1094, F3 2213 Hz; female pitch ≈ 178–188 Hz, /a/ F1 798, F2 1417, F3 2842 Hz.' });
  }
  return blocks;
}

export interface Part1Options {
  /** isolated-digits root (with digits/ and onetwothree*.wav) */
  dir: string;
  /** Digits for the histograms and correlations (default 3 and 8). */
  digits?: [number, number];
  speakers?: [number, number];
}

export interface Part1Result {
  sections: Section[];
  classifiers?: { features: string; results: ClassifierResult[] }[];
}

export async function part1(ctx: ReportContext, o: Part1Options): Promise<Part1Result> {
  const digits = o.digits ?? [3, 8], speakers = o.speakers ?? [1, 2];
  const sections: Section[] = [];
  sections.push(await guarded('step1', 'Step 1 — pitch and formants', () => step1(ctx, o.dir)));
  let utts: DigitUtterance[] = [];
  sections.push(await guarded('step2', 'Step 2 — parsing the isolated digits', async () => {
    const t0 = performance.now();
    utts = loadIsolatedDigits(o.dir);
    const ms = performance.now() - t0;
    ctx.tick('step 2');
    const rates = [...new Set(utts.map((u) => u.sr))];
    const byDigit = DIGIT_WORDS.map((w, d) => [w, d, utts.filter((u) => u.digit === d).length, [...new Set(utts.filter((u) => u.digit === d).map((u) => u.speaker))].length]).filter((r) => (r[2] as number) > 0);
    return [
      { kind: 'p', html: `${utts.length} wavs read and decoded in ${ms.toFixed(0)} ms; ${new Set(utts.map((u) => u.speaker)).size} speakers; sample rate ${rates.join(', ')} Hz; names like <code>eight13.wav</code> = digit word + speaker.` },
      { kind: 'table', head: ['word', 'digit', 'utterances', 'speakers'], rows: byDigit as (string | number)[][] },
    ];
  }));
  if (!utts.length) return { sections };
  sections.push(await guarded('step3', 'Step 3 — MFCC, Δ, ΔΔ', async () => {
    const t0 = performance.now();
    const frames = utts.map((u) => frameFeatures(u.samples, { sr: u.sr, file: u.path }).rows);
    const ms = performance.now() - t0;
    ctx.tick('step 3');
    return [{ kind: 'p', html: `13 MFCC (25 ms Hann window = ${Math.round(0.025 * utts[0].sr)} samples, 10 ms hop = ${Math.round(0.01 * utts[0].sr)}, 128 mel bands, librosa semantics) plus Δ and ΔΔ (Savitzky–Golay width 9): 39 features per frame. Frames per utterance: mean ${fmt(frames.reduce((a, b) => a + b, 0) / frames.length, 1)}, min ${Math.min(...frames)}, max ${Math.max(...frames)}. All ${utts.length} utterances in ${ms.toFixed(0)} ms.` }];
  }));
  sections.push(await guarded('step4', 'Step 4 — histograms and correlations', async () => {
    const hist = mfccHistograms(utts, digits, [0, 1]);
    const blocks: Block[] = [];
    const specs = [0, 1].map((c) => F.histogram({ title: `MFCC ${c + 1}`, xTitle: `MFCC ${c + 1}`, series: hist.filter((h) => h.coefficient === c).map((h) => ({ name: `${h.word} (${h.values.length} frames)`, values: h.values })) }));
    blocks.push(await ctx.figure('step4-histograms', F.grid(`MFCC 1 and 2 over all frames of "${DIGIT_WORDS[digits[0]]}" and "${DIGIT_WORDS[digits[1]]}"`, specs, 2), 'Step 4: histograms of the first two MFCCs for two digits.'));
    const pairs = correlationPairs(utts, digits, speakers);
    const mats = pairs.flatMap((p) => [
      F.matrixImage({ title: `${p.file} MFSC`, matrix: p.mfsc, domain: [-1, 1], size: 150 }),
      F.matrixImage({ title: `${p.file} MFCC`, matrix: p.mfcc, domain: [-1, 1], size: 150 }),
    ]);
    blocks.push(await ctx.figure('step4-correlations', F.grid('13×13 correlation matrices: MFSC (log mel) vs MFCC', mats, 4), 'Step 4: correlation of the 13 MFSCs and of the 13 MFCCs, per utterance.'));
    blocks.push({ kind: 'table', caption: 'Mean |r| off the diagonal', head: ['utterance', 'digit', 'speaker', 'MFSC', 'MFCC'], rows: pairs.map((p) => [p.file, p.digit, p.speaker, fmt(p.mfscMeanAbs), fmt(p.mfccMeanAbs)]) });
    blocks.push({ kind: 'p', html: 'Neighbouring mel bands move together (|r| near 1); the DCT decorrelates them, which is why MFCCs suit diagonal-covariance models.' });
    ctx.tick('step 4');
    return blocks;
  }));
  const { X, y } = utteranceMatrix(utts);
  const labels = [...new Set(y)].sort((a, b) => a - b).map(String);
  const lab = y.map(String);
  sections.push(await guarded('step5', 'Step 5 — utterance vectors', async () => {
    const b = await ctx.figure('step5-scatter', F.scatter2d({ title: 'First two dimensions of the utterance vectors', x: X.map((r) => r[0]), y: X.map((r) => r[1]), label: lab, labels, xTitle: 'mean MFCC 1', yTitle: 'mean MFCC 2' }), 'Step 5: mean of MFCC 1 vs mean of MFCC 2, a colour and marker per digit.');
    ctx.tick('step 5');
    return [{ kind: 'p', html: `Per utterance: mean and standard deviation over frames of the 39 features → ${X[0].length} numbers; ${X.length} vectors.` }, b];
  }));
  sections.push(await guarded('step6', 'Step 6 — PCA', async () => {
    const raw = pcaSummary(X, false), std = pcaSummary(X, true);
    const blocks: Block[] = [
      { kind: 'table', caption: 'Explained variance (ml-pca SVD of the centred vectors)', head: ['input', '2 components', '3 components', 'components for 95%'], rows: [
        ['raw vectors (as the lab)', `${fmt(100 * raw.two, 1)}%`, `${fmt(100 * raw.three, 1)}%`, raw.for95],
        ['standardised vectors', `${fmt(100 * std.two, 1)}%`, `${fmt(100 * std.three, 1)}%`, std.for95],
        ['lab', '71%', '82%', 8],
      ] },
      await ctx.figure('step6-pca2d', F.scatter2d({ title: 'PCA to 2 dimensions', x: raw.projection.map((p) => p[0]), y: raw.projection.map((p) => p[1]), label: lab, labels, xTitle: 'PC1', yTitle: 'PC2' }), 'Step 6: the utterance vectors on the first two principal components.'),
      await ctx.figure('step6-pca3d', F.scatter3d({ title: 'PCA to 3 dimensions', points: raw.projection, label: lab, labels, axisTitles: ['PC1', 'PC2', 'PC3'] }), 'Step 6: 3-D scatter as an orthographic projected view.'),
      await ctx.figure('step6-pca3d-pairs', F.pairwisePanels({ title: 'PCA to 3 dimensions, pairwise', points: raw.projection, label: lab, labels, axisTitles: ['PC1', 'PC2', 'PC3'] }), 'Step 6: the same three components as pairwise panels.'),
      await ctx.figure('step6-cumulative', F.cumulativeVariance({ title: 'Cumulative explained variance', series: [{ name: 'raw', cumulative: raw.cumulative }, { name: 'standardised', cumulative: std.cumulative }] }), 'Step 6: cumulative explained variance; dashed: 95%.'),
    ];
    ctx.tick('step 6');
    return blocks;
  }));
  const result: Part1Result = { sections, classifiers: [] };
  sections.push(await guarded('step7', 'Step 7 — classifiers', async () => {
    const splits = ctx.splits ?? (ctx.quick ? 5 : 20);
    const rows: (string | number)[][] = [], bars: { name: string; set: string; mean: number; std: number; target?: number }[] = [];
    let best: ClassifierResult | null = null;
    for (const features of ['mfcc', 'mfcc+zcr'] as const) {
      const m = features === 'mfcc' ? { X, y } : utteranceMatrix(utts, features);
      const { results } = evaluateClassifiers(m.X, m.y, { splits, seed: ctx.seed });
      result.classifiers!.push({ features, results });
      results.forEach((r, i) => {
        rows.push([r.name, features, fmt(r.mean), fmt(r.std), fmt(Math.min(...r.accuracies)), fmt(Math.max(...r.accuracies)), features === 'mfcc' ? fmt(LAB_ACCURACY[i], 2) : '', fmt(r.ms / splits, 1)]);
        bars.push({ name: r.name, set: features, mean: r.mean, std: r.std, target: features === 'mfcc' ? LAB_ACCURACY[i] : undefined });
        if (!best || r.mean > best.mean) best = r;
      });
      ctx.tick('step 7');
    }
    const b = best as ClassifierResult | null;
    return [
      { kind: 'p', html: `${splits} seeded stratified 70/30 splits (seeds ${ctx.seed}–${ctx.seed + splits - 1}), StandardScaler fitted on each training part. Features: the ${X[0].length} utterance numbers; the bonus adds the zero-crossing rate's mean and standard deviation.` },
      { kind: 'table', caption: 'Test accuracy over the splits', head: ['classifier', 'features', 'mean', 'std', 'min', 'max', 'lab (1 split)', 'ms / split'], rows },
      await ctx.figure('step7-accuracy', F.accuracyBars({ title: 'Test accuracy (mean ± std); black ticks: the lab', rows: bars }), 'Step 7: accuracy per classifier and feature set.'),
      ...(b ? [await ctx.figure('step7-confusion', F.matrixImage({ title: `${b.name}: confusion summed over ${splits} splits`, matrix: b.confusion, rowLabels: labels, colLabels: labels, xTitle: 'predicted', yTitle: 'true', scheme: 'blues', text: true }), `Step 7: confusion matrix of the best classifier (${esc(b.name)}).`)] : []),
    ];
  }));
  return result;
}
