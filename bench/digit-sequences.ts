/**
 * Digit strings made of isolated-digit recordings, the test material for connected-digit
 * decoding: each sequence is one speaker's recordings of 1–7 digits (as in a PIN or a phone
 * number), joined by pauses of digital silence drawn from a range (0 for back-to-back), with
 * silence before and after. Deterministic for a seed.
 *
 * @module
 */
import { Rng } from '../bindings/rng.ts';
import { ParameterError } from '../bindings/errors.ts';
import type { LabeledAudio } from '../bindings/recognizer/recognizer.ts';

/** A built sequence: the audio, the digits it says, and where each digit's recording sits (s). */
export interface DigitSequence {
  samples: Float32Array;
  sampleRate: number;
  digits: string;
  words: { digit: number; start: number; end: number }[];
}

export interface SequenceOptions {
  count: number;
  seed: number;
  /** Digits per sequence, inclusive range (default [1, 7]). */
  length?: [number, number];
  /** Pause between digits, seconds, inclusive range (default [0.15, 0.6]). */
  pause?: [number, number];
  /** Silence before the first and after the last digit, seconds (default [0.1, 0.4]). */
  edge?: [number, number];
}

/** `count` sequences from recordings of one rate, each from one speaker (files grouped by `speaker`). */
export function digitSequences(files: readonly (LabeledAudio & { speaker: string })[], o: SequenceOptions): DigitSequence[] {
  if (files.length === 0) throw new ParameterError('digitSequences: no recordings');
  const sr = files[0]!.sampleRate;
  if (files.some((f) => f.sampleRate !== sr)) throw new ParameterError('digitSequences: the recordings must share one rate');
  const [lo, hi] = o.length ?? [1, 7];
  const [p0, p1] = o.pause ?? [0.15, 0.6];
  const [e0, e1] = o.edge ?? [0.1, 0.4];
  const rng = new Rng(o.seed);
  const uniform = (a: number, b: number) => a + (b - a) * rng.next();
  const bySpeaker = new Map<string, LabeledAudio[]>();
  for (const f of files) bySpeaker.set(f.speaker, [...(bySpeaker.get(f.speaker) ?? []), f]);
  const speakers = [...bySpeaker.keys()].sort();
  const out: DigitSequence[] = [];
  for (let i = 0; i < o.count; i++) {
    const mine = bySpeaker.get(speakers[Math.floor(rng.next() * speakers.length)]!)!;
    const n = lo + Math.floor(rng.next() * (hi - lo + 1));
    const picks = Array.from({ length: n }, () => mine[Math.floor(rng.next() * mine.length)]!);
    const gaps = [uniform(e0, e1), ...picks.slice(1).map(() => uniform(p0, p1)), uniform(e0, e1)].map((s) => Math.round(s * sr));
    const total = gaps.reduce((a, b) => a + b, 0) + picks.reduce((a, p) => a + p.samples.length, 0);
    const samples = new Float32Array(total);
    const words: DigitSequence['words'] = [];
    let at = gaps[0]!;
    picks.forEach((p, k) => {
      samples.set(p.samples, at);
      words.push({ digit: p.digit, start: at / sr, end: (at + p.samples.length) / sr });
      at += p.samples.length + gaps[k + 1]!;
    });
    out.push({ samples, sampleRate: sr, digits: picks.map((p) => String(p.digit)).join(''), words });
  }
  return out;
}
