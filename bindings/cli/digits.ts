/**
 * `speechcore digits`: connected digits in recordings ("one two three" → 123) with a
 * `speechcore train` recogniser or a `speechcore hmm train` model, through the digit loop
 * (decoder/connected-digits.ts). Files at any rate are resampled to the model's.
 */
import { getEngine } from '../engine.ts';
import { ConnectedDigits, type DigitsResult } from '../decoder/connected-digits.ts';
import { Recognizer, RECOGNIZER_SCHEMA } from '../recognizer/recognizer.ts';
import { CLASSIFIER_SCHEMA, parseClassifier } from '../hmm/classifier-file.ts';
import { readAudio } from '../pipeline/recognizer-data.ts';
import { nodeFs } from '../io/node.ts';
import { ModelFormatError, ParameterError } from '../errors.ts';
import { parse, UsageError } from './args.ts';
import type { Command } from './kit.ts';
import { writeFileAtomic } from '../io/atomic.ts';

export const digitsCommand: Command = {
  summary: 'decodes connected digits ("one two three" -> 123) in WAV files with a `train` or `hmm train` model',
  usage: 'speechcore digits --model MODEL FILE.wav... [--json OUT] [--insertion-penalty 80] [--no-rescore]',
  run: runDigits,
};

const out = (s = '') => process.stdout.write(s + '\n');

/** The decoder for a model file of either kind, told apart by its schema. */
export function loadDigitDecoder(path: string, o: { insertionPenalty?: number; rescore?: boolean } = {}): ConnectedDigits {
  let text: string;
  try {
    text = nodeFs().readFileSync(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const engine = getEngine();
  let schema: unknown;
  try {
    schema = JSON.parse(text)?.schema;
  } catch (e) {
    throw new ModelFormatError(`${path}: is not valid JSON (${(e as Error).message})`);
  }
  if (schema === CLASSIFIER_SCHEMA) return ConnectedDigits.fromClassifier(parseClassifier(text, path, engine), { ...o, engine });
  if (schema !== RECOGNIZER_SCHEMA) {
    throw new ModelFormatError(`${path}: schema is ${JSON.stringify(schema)}, expected "${RECOGNIZER_SCHEMA}" (speechcore train) or "${CLASSIFIER_SCHEMA}" (speechcore hmm train)`);
  }
  return ConnectedDigits.fromRecognizer(Recognizer.fromJSON(text, { source: path, engine }), { ...o, engine });
}

async function runDigits(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const { values, positionals } = parse(argv, {
    model: { type: 'string' }, json: { type: 'string' }, 'insertion-penalty': { type: 'string' }, 'no-rescore': { type: 'boolean' },
  });
  if (!values.model) throw new UsageError('digits: --model MODEL is required');
  if (positionals.length === 0) throw new UsageError('digits: give one or more WAV files');
  let insertionPenalty: number | undefined;
  if (values['insertion-penalty'] !== undefined) {
    insertionPenalty = values['insertion-penalty'].trim() === '' ? NaN : Number(values['insertion-penalty']);
    if (!(insertionPenalty >= 0)) throw new UsageError(`--insertion-penalty=${values['insertion-penalty']} must be a number >= 0`);
  }
  const decoder = loadDigitDecoder(values.model, { insertionPenalty, rescore: !values['no-rescore'] });
  const files: Array<{ file: string; sampleRate: number; seconds: number } & DigitsResult> = [];
  for (const path of positionals) {
    const a = readAudio(path);
    let r: DigitsResult;
    try {
      r = decoder.decode(a.samples, a.sampleRate);
    } catch (e) {
      if (e instanceof ParameterError) throw new ParameterError(`${path}: ${e.message}`);
      throw e;
    }
    files.push({ file: path, sampleRate: a.sampleRate, seconds: a.samples.length / a.sampleRate, ...r });
    out(`${path}\t${r.digits}\t${r.words.map((w) => `${w.digit} ${w.start.toFixed(2)}-${w.end.toFixed(2)}s`).join(', ')}`);
  }
  if (values.json) {
    const round = (v: number) => Number(v.toFixed(4));
    writeFileAtomic(values.json, JSON.stringify({
      model: values.model, insertionPenalty: decoder.insertionPenalty,
      files: files.map((f) => ({
        file: f.file, digits: f.digits, sampleRate: f.sampleRate, seconds: round(f.seconds),
        words: f.words.map((w) => ({ digit: w.digit, start: round(w.start), end: round(w.end), score: round(w.score), confidence: w.confidence === null ? null : round(w.confidence) })),
      })),
      seconds: (performance.now() - t0) / 1000,
    }, null, 2) + '\n');
  }
}
