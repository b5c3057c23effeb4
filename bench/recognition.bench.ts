/**
 * Suite `recognition`: the recommended recogniser (`speechcore train`'s recipe) on voices it has
 * never heard. Accuracies are single measurements (unit "accuracy", n = utterances); times are
 * medians.
 *
 * (a) `recognition.loso`: leave-one-speaker-out over FSDD's six speakers — train on every file of
 *     five (plus the synthetic flite voices when flite is installed), test on all 500 of the sixth.
 *     Per speaker, then mean and worst. Training seconds per fold (2 workers).
 * (b) `recognition.enrolment`: on each held-out speaker, MAP adaptation (Recognizer.enroll) with 1
 *     and 3 utterances per digit taken from that speaker's takes 45, 46, 47; all three (and the
 *     unadapted model) tested on the speaker's takes 0–44.
 * (c) `recognition.lab`: trained on the lab split's train (val for the report), tested once on its
 *     test subset (speakers seen in training), and on the lab's 133 isolated digits (other
 *     speakers, 16 kHz, resampled) when ../shared/data/isolated-digits is there.
 * (d) `recognition.time`: ms to recognise one utterance (decode excluded: resample if needed,
 *     features, 10 models), median over the held-out files; and the model file's size.
 *
 * No test speaker's recordings take part in training or in any choice of settings: the recipe is
 * fixed before the folds run (README, "Speaker-independent recognition", says how it was chosen).
 * --quick: two folds and two takes of TTS (a smoke run; its numbers are not the benchmark's).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import type { BenchResult, Suite } from './schema.ts';
import { single, summarize } from './timing.ts';
import { resolveDataDir } from '../bindings/audio/dataset.ts';
import { DatasetError } from '../bindings/errors.ts';
import { getEngine } from '../bindings/engine.ts';
import { HmmPool } from '../bindings/pipeline/hmm-pool.ts';
import { readFsdd, readSubset, type LabeledFile } from '../bindings/pipeline/recognizer-data.ts';
import { findSplit } from '../bindings/pipeline/split-features.ts';
import { hasFlite, synthesizeDigits } from '../bindings/pipeline/tts.ts';
import { trainRecognizer } from '../bindings/recognizer/train.ts';
import { recognizerText, type Recognizer } from '../bindings/recognizer/recognizer.ts';

const TARGET = { mean: 0.92, worst: 0.82, lab: 0.985, isolated: 0.9 };

const accuracyOf = (m: Recognizer, set: readonly LabeledFile[]) => m.recognizeMany(set).filter((r, i) => r.digit === set[i]!.digit).length / set.length;

export const recognitionSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quick = options.quick ?? false;
  const dir = resolveDataDir(options.data);
  const split = findSplit(dir);
  if (!split) throw new DatasetError(`recognition bench: no fsdd-split.json beside ${dir} (the lab's split is needed)`);
  const results: BenchResult[] = [];
  const all = readFsdd(dir);
  const speakers = [...new Set(all.map((u) => u.speaker))].sort();
  const flite = options.tts !== 'none' && hasFlite();
  const tts = flite ? synthesizeDigits({ takes: quick ? 2 : 20, seed: 0 }) : [];
  const ttsNote = flite ? `${tts.length} flite utterances` : options.tts === 'none' ? 'none (--tts none): FSDD only' : 'no flite: FSDD only';
  log(`recognition: ${all.length} FSDD files, ${speakers.length} speakers; synthetic voices: ${ttsNote}`);
  const pool = await HmmPool.create(2, getEngine());
  const fit = pool.fitDigits;
  const perUtt: number[] = [];
  let modelBytes = 0;
  const rows: string[] = [];
  try {
    const folds = quick ? speakers.slice(0, 2) : speakers;
    const loso: number[] = [];
    for (const s of folds) {
      const train = all.filter((u) => u.speaker !== s), held = all.filter((u) => u.speaker === s);
      const t0 = performance.now();
      const r = await trainRecognizer([...train, ...tts], { seed: 0, fit });
      const trainSeconds = (performance.now() - t0) / 1000;
      const m = r.recognizer;
      modelBytes = recognizerText(m).length + 1;
      for (const u of held.slice(0, quick ? 20 : 100)) {
        const t1 = performance.now();
        m.recognize(u.samples, u.sampleRate);
        perUtt.push(performance.now() - t1);
      }
      const acc = accuracyOf(m, held);
      loso.push(acc);
      results.push(single('recognition.loso', 'speechcore', { speaker: s, tts: flite }, 'accuracy', acc));
      results.push(single('recognition.train', 'speechcore', { speaker: s, tts: flite, workers: 2 }, 's', trainSeconds));
      // Enrolment: takes 45.. of the held-out speaker adapt; takes 0–44 test.
      const rest = held.filter((u) => u.index < 45);
      const base = accuracyOf(m, rest);
      const enrolled = [1, 3].map((k) => accuracyOf(m.enroll(held.filter((u) => u.index >= 45 && u.index < 45 + k)), rest));
      results.push(single('recognition.enrolment', 'speechcore', { speaker: s, perDigit: 0 }, 'accuracy', base));
      enrolled.forEach((a, i) => results.push(single('recognition.enrolment', 'speechcore', { speaker: s, perDigit: [1, 3][i]! }, 'accuracy', a)));
      rows.push(`${s.padEnd(10)} ${acc.toFixed(4)}   train ${trainSeconds.toFixed(1)} s   enrolment on takes 0-44: ${base.toFixed(4)} -> 1/digit ${enrolled[0]!.toFixed(4)}, 3/digit ${enrolled[1]!.toFixed(4)}`);
      log(`  held out ${rows[rows.length - 1]}`);
    }
    const mean = loso.reduce((a, b) => a + b, 0) / loso.length, worst = Math.min(...loso);
    results.push(single('recognition.loso.mean', 'speechcore', { folds: loso.length, tts: flite }, 'accuracy', mean));
    results.push(single('recognition.loso.worst', 'speechcore', { folds: loso.length, tts: flite }, 'accuracy', worst));

    const labTrain = readSubset(dir, 'train', split).files, labVal = readSubset(dir, 'val', split).files, labTest = readSubset(dir, 'test', split).files;
    const t0 = performance.now();
    const lab = await trainRecognizer([...labTrain, ...tts], { seed: 0, val: labVal, fit });
    const labSeconds = (performance.now() - t0) / 1000;
    const labAcc = accuracyOf(lab.recognizer, labTest);
    results.push(single('recognition.lab', 'speechcore', { subset: 'test', tts: flite }, 'accuracy', labAcc));
    results.push(single('recognition.train', 'speechcore', { split: 'lab', tts: flite, workers: 2 }, 's', labSeconds));
    const isoDir = join(dirname(dirname(dir)), 'isolated-digits');
    let isoAcc: number | null = null;
    if (existsSync(isoDir)) {
      const iso = readSubset(isoDir, 'test').files;
      isoAcc = accuracyOf(lab.recognizer, iso);
      results.push(single('recognition.isolated', 'speechcore', { n: iso.length, tts: flite }, 'accuracy', isoAcc));
    }
    const t = summarize(perUtt);
    results.push({ name: 'recognition.time', impl: 'speechcore', params: { unit: 'utterance', sr: 8000 }, unit: 'ms', ...t });
    results.push(single('recognition.model', 'speechcore', {}, 'KB', modelBytes / 1024));

    const out = [
      '', `recognition (synthetic voices: ${ttsNote}); leave-one-speaker-out, accuracy on all 500 files of the held-out speaker:`,
      ...rows.map((r) => `  ${r}`),
      `  mean ${mean.toFixed(4)} (target >= ${TARGET.mean}), worst ${worst.toFixed(4)} (target >= ${TARGET.worst})`,
      `lab split: val ${lab.valAccuracy!.toFixed(4)}, test ${labAcc.toFixed(4)} (target >= ${TARGET.lab}); trained in ${labSeconds.toFixed(1)} s`,
      isoAcc === null ? 'isolated digits: not found' : `lab's isolated digits (other speakers, 16 kHz): ${isoAcc.toFixed(4)} (target >= ${TARGET.isolated})`,
      `recognition of one utterance: median ${t.median.toFixed(2)} ms (p10 ${t.p10.toFixed(2)}, p90 ${t.p90.toFixed(2)}); model file ${(modelBytes / 1024).toFixed(0)} KB`,
    ];
    log(out.join('\n'));
  } finally {
    await pool.close();
  }
  return results;
};
