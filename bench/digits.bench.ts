/**
 * Suite `digits`: connected digits (ConnectedDigits: the digit loop, then each word recognised
 * again) with the shipped recogniser, lab/models/recognizer.json (`npm run model`: the lab split's
 * train subset plus flite's voices). Digit error rate = Σ edit distance / Σ digits (unit "DER").
 *
 * (a) `digits.val`: the insertion-penalty sweep on 200 strings built from the lab split's `val`
 *     recordings, the data the default (DEFAULT_INSERTION_PENALTY) was chosen on.
 * (b) `digits.test`: 300 strings of 1–7 digits from the `test` recordings (speakers seen in
 *     training, recordings not), one speaker per string, 0.15–0.6 s pauses of digital silence:
 *     the issue's target (DER ≤ 0.05), at the default, with and without the second pass.
 * (c) `digits.continuous`: no pauses. The test recordings back to back (FSDD's own
 *     leading/trailing silence stays); the lab's isolated digits back to back (speakers not in
 *     FSDD, 16 kHz); flite's four voices reading digit strings as one phrase (coarticulated;
 *     those voices' isolated digits are in the model's training data, these phrases are not);
 *     and the seed's onetwothree1.wav / onetwothree8.wav (people saying "one two three").
 * (d) `digits.time`: ms to decode one second of audio as a file.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, Suite } from './schema.ts';
import { single, summarize } from './timing.ts';
import { digitSequences, type DigitSequence } from './digit-sequences.ts';
import { resolveDataDir, DIGIT_WORDS } from '../bindings/audio/dataset.ts';
import { DatasetError } from '../bindings/errors.ts';
import { readAudio, readSubset } from '../bindings/pipeline/recognizer-data.ts';
import { findSplit } from '../bindings/pipeline/split-features.ts';
import { hasFlite, synthesize, FLITE_VOICES } from '../bindings/pipeline/tts.ts';
import { Recognizer } from '../bindings/recognizer/recognizer.ts';
import { ConnectedDigits, DEFAULT_INSERTION_PENALTY } from '../bindings/decoder/connected-digits.ts';
import { errorRate } from '../bindings/metrics.ts';
import { Rng } from '../bindings/rng.ts';

const MODEL = fileURLToPath(new URL('../lab/models/recognizer.json', import.meta.url));
const TARGET = { test: 0.05, continuous: 0.25 };
const PENALTIES = [0, 20, 40, 80, 150, 300];

/** DER of a decoder on sequences, and the ms it took per second of audio. */
function measure(d: ConnectedDigits, seqs: readonly { samples: Float32Array; sampleRate: number; digits: string }[]): { der: number; msPerS: number; hyps: string[] } {
  const t0 = performance.now();
  const hyps = seqs.map((s) => d.decode(s.samples, s.sampleRate).digits);
  const seconds = seqs.reduce((a, s) => a + s.samples.length / s.sampleRate, 0);
  return { der: errorRate(seqs.map((s) => s.digits), hyps), msPerS: (performance.now() - t0) / seconds, hyps };
}

/** flite voices reading digit strings as phrases ("four one seven"), 1–7 digits, seeded. */
function flitePhrases(count: number, seed: number): DigitSequence[] {
  const rng = new Rng(seed);
  const voices = Object.keys(FLITE_VOICES).filter((v) => v !== 'kal16');
  return Array.from({ length: count }, (_, i) => {
    const n = 1 + Math.floor(rng.next() * 7);
    const digits = Array.from({ length: n }, () => Math.floor(rng.next() * 10));
    const w = synthesize(digits.map((d) => DIGIT_WORDS[d]).join(' '), { voice: voices[i % voices.length]! });
    return { ...w, digits: digits.join(''), words: [] };
  });
}

export const digitsSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quick = options.quick ?? false;
  const dir = resolveDataDir(options.data);
  const split = findSplit(dir);
  if (!split) throw new DatasetError(`digits bench: no fsdd-split.json beside ${dir} (the lab's split is needed)`);
  const recognizer = Recognizer.fromJSON(readFileSync(MODEL, 'utf8'), { source: MODEL });
  const results: BenchResult[] = [];
  const lines: string[] = ['', `digits (model ${MODEL}; DER = edit distance / digits):`];

  const val = digitSequences(readSubset(dir, 'val', split).files, { count: quick ? 40 : 200, seed: 1 });
  const sweep = PENALTIES.map((p) => {
    const m = measure(ConnectedDigits.fromRecognizer(recognizer, { insertionPenalty: p }), val);
    results.push(single('digits.val', 'speechcore', { insertionPenalty: p, n: val.length }, 'DER', m.der));
    return `${p}: ${m.der.toFixed(4)}`;
  });
  lines.push(`  val strings (${val.length}), DER by insertion penalty: ${sweep.join(', ')} (default ${DEFAULT_INSERTION_PENALTY})`);

  const testFiles = readSubset(dir, 'test', split).files;
  const test = digitSequences(testFiles, { count: quick ? 40 : 300, seed: 2 });
  const decoder = ConnectedDigits.fromRecognizer(recognizer);
  const both = measure(decoder, test);
  const first = measure(ConnectedDigits.fromRecognizer(recognizer, { rescore: false }), test);
  results.push(single('digits.test', 'speechcore', { pauses: '0.15-0.6', n: test.length, secondPass: true }, 'DER', both.der));
  results.push(single('digits.test', 'speechcore', { pauses: '0.15-0.6', n: test.length, secondPass: false }, 'DER', first.der));
  const digitsTotal = test.reduce((a, s) => a + s.digits.length, 0);
  lines.push(`  test strings (${test.length}, ${digitsTotal} digits, 0.15-0.6 s pauses): DER ${both.der.toFixed(4)} (target <= ${TARGET.test}); first pass alone ${first.der.toFixed(4)}`);

  const backToBack = digitSequences(testFiles, { count: quick ? 20 : 100, seed: 3, pause: [0, 0] });
  const b2b = measure(decoder, backToBack);
  results.push(single('digits.continuous', 'speechcore', { data: 'fsdd-test back to back', n: backToBack.length }, 'DER', b2b.der));
  lines.push(`  FSDD test recordings back to back (${backToBack.length}): DER ${b2b.der.toFixed(4)}`);

  const isoDir = join(dirname(dirname(dir)), 'isolated-digits');
  if (existsSync(join(isoDir, 'digits'))) {
    const iso = readSubset(join(isoDir, 'digits'), 'test').files;
    const isoSeqs = digitSequences(iso, { count: quick ? 20 : 100, seed: 4, pause: [0, 0], edge: [0.2, 0.4] });
    const m = measure(decoder, isoSeqs);
    results.push(single('digits.continuous', 'speechcore', { data: 'isolated-digits back to back', n: isoSeqs.length }, 'DER', m.der));
    lines.push(`  the lab's isolated digits back to back (speakers not in FSDD, 16 kHz; ${isoSeqs.length}): DER ${m.der.toFixed(4)}`);
  }
  if (options.tts !== 'none' && hasFlite()) {
    const phrases = flitePhrases(quick ? 12 : 60, 5);
    const m = measure(decoder, phrases);
    results.push(single('digits.continuous', 'speechcore', { data: 'flite phrases', n: phrases.length }, 'DER', m.der));
    lines.push(`  flite's voices reading digit strings as phrases (${phrases.length}): DER ${m.der.toFixed(4)} (target for continuous speech <= ${TARGET.continuous})`);
  }
  for (const f of ['onetwothree1.wav', 'onetwothree8.wav']) {
    const path = join(isoDir, f);
    if (!existsSync(path)) continue;
    const a = readAudio(path);
    const got = decoder.decode(a.samples, a.sampleRate).digits;
    results.push(single('digits.onetwothree', 'speechcore', { file: f, digits: got }, 'DER', errorRate(['123'], [got])));
    lines.push(`  ${f}: "${got}" (target "123")`);
  }

  const perS = summarize(test.slice(0, 100).map((s) => {
    const t0 = performance.now();
    decoder.decode(s.samples, s.sampleRate);
    return (performance.now() - t0) / (s.samples.length / s.sampleRate);
  }));
  results.push({ name: 'digits.time', impl: 'speechcore', params: { unit: 'second of audio', sr: 8000 }, unit: 'ms', ...perS });
  lines.push(`  decoding a file: median ${perS.median.toFixed(1)} ms per second of audio (p10 ${perS.p10.toFixed(1)}, p90 ${perS.p90.toFixed(1)})`);
  log(lines.join('\n'));
  return results;
};
