/**
 * `speechcore train` and `speechcore recognize`: the speaker-independent digit recogniser
 * (recognizer/). train writes one versioned model file (front end + models + provenance);
 * recognize prints a digit per file, or evaluates a subset of a dataset.
 */
import { getEngine } from '../engine.ts';
import { resolveDataDir } from '../audio/dataset.ts';
import { Recognizer, recognizerText, type LabeledAudio } from '../recognizer/recognizer.ts';
import { trainRecognizer } from '../recognizer/train.ts';
import type { Recipe } from '../recognizer/recipe.ts';
import type { RecognizerFeatures } from '../recognizer/front-end.ts';
import { HmmPool } from '../pipeline/hmm-pool.ts';
import { evaluate } from '../pipeline/hmm-fit.ts';
import { fileName, readAudio, readSubset } from '../pipeline/recognizer-data.ts';
import { hasFlite, synthesizeDigits } from '../pipeline/tts.ts';
import { nodeFs } from '../io/node.ts';
import { ModelFormatError, ParameterError } from '../errors.ts';
import { intFlag, parse, UsageError } from './args.ts';
import type { Command } from './kit.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { progressBar } from './progress.ts';
import { confusionText } from './hmm.ts';

export const trainCommand: Command = {
  summary: 'trains the recommended speaker-independent digit recogniser on a split; writes one model file',
  usage: 'speechcore train --data DIR [--split FILE] --out MODEL [--json OUT] [--seed 0] [--tts auto|flite|none] [--tts-takes 20] [--recipe JSON] [--workers 2]',
  run: runTrain,
};

export const recognizeCommand: Command = {
  summary: 'recognises digits with a `speechcore train` model: one per file, or accuracy on a subset of a dataset',
  usage: `speechcore recognize --model MODEL FILE.wav... [--json OUT]
  speechcore recognize --model MODEL --data DIR [--split FILE] [--subset test|val|train] [--json OUT]`,
  run: runRecognize,
};

const out = (s = '') => process.stdout.write(s + '\n');

/** Synthetic voices for `--tts`: auto uses flite when it is installed. */
function ttsVoices(mode: 'auto' | 'flite' | 'none', takes: number, seed: number): { audio: LabeledAudio[]; used: string } {
  if (mode === 'none' || (mode === 'auto' && !hasFlite())) return { audio: [], used: mode === 'auto' ? 'none (flite not installed)' : 'none' };
  const bar = progressBar('flite voices');
  const audio = synthesizeDigits({ takes, seed, onProgress: (d, t) => bar.update(d, t) });
  bar.finish();
  return { audio, used: `flite (${audio.length} utterances: 5 voices x ${takes} takes x 10 digits)` };
}


async function runTrain(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values } = parse(argv, {
    data: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' }, json: { type: 'string' }, seed: { type: 'string' },
    tts: { type: 'string' }, 'tts-takes': { type: 'string' }, workers: { type: 'string' }, recipe: { type: 'string' },
  }, false);
  let recipe: Partial<Recipe> = {};
  if (values.recipe !== undefined) {
    try {
      recipe = JSON.parse(values.recipe);
    } catch (e) {
      throw new UsageError(`--recipe must be a JSON object of recipe fields (${(e as Error).message})`);
    }
    if (!recipe || typeof recipe !== 'object' || Array.isArray(recipe)) throw new UsageError('--recipe must be a JSON object of recipe fields');
  }
  // Front-end settings may ride along as {"features": {...}}.
  const { features, ...rest } = recipe as Partial<Recipe> & { features?: Partial<RecognizerFeatures> };
  if (!values.out) throw new UsageError('train: --out MODEL is required');
  const seed = intFlag(values, 'seed', 0, 0);
  const workers = intFlag(values, 'workers', 2);
  const takes = intFlag(values, 'tts-takes', 20);
  const tts = (values.tts ?? 'auto') as 'auto' | 'flite' | 'none';
  if (!['auto', 'flite', 'none'].includes(tts)) throw new UsageError(`--tts=${values.tts} must be auto, flite or none`);
  const dir = resolveDataDir(values.data);
  const { files: train, split } = readSubset(dir, 'train', values.split);
  if (!split) throw new UsageError(`train: ${dir} is not an FSDD folder with a split; training needs one (--data, --split)`);
  const { files: val } = readSubset(dir, 'val', split);
  const synth = ttsVoices(tts, takes, seed);
  out(`training on ${train.length} recordings of ${dir} (${split}) + synthetic voices: ${synth.used}; validating on ${val.length}`);
  const bar = progressBar('augment');
  const pool = await HmmPool.create(workers, getEngine());
  let r: Awaited<ReturnType<typeof trainRecognizer>>;
  try {
    r = await trainRecognizer([...train, ...synth.audio], {
      seed, val, recipe: rest, features, fit: pool.fitDigits,
      provenance: { data: fileName({ path: dir }), split: fileName({ path: split }), tts: synth.used, date: new Date().toISOString() },
      onProgress: (d, t) => bar.update(d, t),
    });
  } finally {
    bar.finish();
    await pool.close();
  }
  const text = recognizerText(r.recognizer);
  writeFileAtomic(values.out, text + '\n');
  const wallSeconds = (performance.now() - t0) / 1000;
  out(`${r.sequences} training sequences (augmented) in ${r.seconds.augment.toFixed(1)} s, 10 digit models fitted in ${r.seconds.fit.toFixed(1)} s; ` +
    `val accuracy ${r.valAccuracy!.toFixed(4)}; wrote ${values.out} (${(text.length / 1024).toFixed(0)} KB); total ${wallSeconds.toFixed(1)} s`);
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      model: values.out, valAccuracy: r.valAccuracy, nTrain: train.length, nSynthetic: synth.audio.length, sequences: r.sequences,
      tts: synth.used, seconds: { ...r.seconds, wall: wallSeconds }, modelBytes: text.length + 1,
    }, null, 2) + '\n');
  }
}

function loadRecognizer(path: string): Recognizer {
  let text: string;
  try {
    text = nodeFs().readFileSync(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return Recognizer.fromJSON(text, { source: path, engine: getEngine() });
}

async function runRecognize(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values, positionals } = parse(argv, {
    model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string' }, subset: { type: 'string' }, json: { type: 'string' },
  });
  if (!values.model) throw new UsageError('recognize: --model MODEL is required');
  if (values.data === undefined && positionals.length === 0) throw new UsageError('recognize: give WAV files, or --data DIR to evaluate a subset');
  if (values.data !== undefined && positionals.length) throw new UsageError('recognize: give WAV files or --data, not both');
  const subset = (values.subset ?? 'test') as 'train' | 'val' | 'test';
  if (!['train', 'val', 'test'].includes(subset)) throw new UsageError(`--subset=${values.subset} must be test, val or train`);
  const model = loadRecognizer(values.model);
  if (positionals.length) {
    const t1 = performance.now();
    const rows = positionals.map((path) => {
      const a = readAudio(path);
      let r: ReturnType<Recognizer['recognize']>;
      try {
        r = model.recognize(a.samples, a.sampleRate);
      } catch (e) {
        if (e instanceof ParameterError) throw new ParameterError(`${path}: ${e.message.replace(/^utterance 0: /, '')}`);
        throw e;
      }
      out(`${path}\t${r.digit}`);
      return { file: path, digit: r.digit, scores: Array.from(r.scores), sampleRate: a.sampleRate };
    });
    if (values.json) writeFileAtomic(values.json, JSON.stringify({ model: values.model, labels: model.labels, files: rows, seconds: (performance.now() - t1) / 1000 }, null, 2) + '\n');
    return;
  }
  const dir = resolveDataDir(values.data);
  const { files, split } = readSubset(dir, subset, values.split);
  const t1 = performance.now();
  let recs: ReturnType<Recognizer['recognizeMany']>;
  try {
    recs = model.recognizeMany(files);
  } catch (e) {
    const m = e instanceof ParameterError ? /^utterance (\d+): (.*)$/s.exec(e.message) : null;
    if (m) throw new ParameterError(`${files[Number(m[1])]!.path}: ${m[2]}`);
    throw e;
  }
  const seconds = (performance.now() - t1) / 1000;
  const labels = [...model.labels];
  const e = evaluate(files.map((f) => f.digit), recs.map((r) => r.digit), labels);
  out(`${values.model}: ${split ? `${subset} of ${split}` : dir} accuracy ${e.accuracy.toFixed(4)} (${files.length} utterances; ` +
    `recognition ${(1000 * seconds / Math.max(1, files.length)).toFixed(2)} ms per utterance, wall ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
  out(`\nconfusion (rows true, columns predicted):\n${confusionText(e.confusion, labels)}`);
  if (values.json) {
    writeFileAtomic(values.json, JSON.stringify({
      model: values.model, data: dir, split, subset: split ? subset : null, accuracy: e.accuracy, n: files.length, labels, confusion: e.confusion,
      secondsPerUtterance: seconds / Math.max(1, files.length),
      files: files.map((f, i) => ({ file: fileName(f), truth: f.digit, digit: recs[i]!.digit, scores: Array.from(recs[i]!.scores) })),
    }, null, 2) + '\n');
  }
}
