/**
 * `speechcore pitch FILE.wav` and `speechcore formants FILE.wav`: Praat-style pitch and formant
 * tracks of one file as JSON, optionally with averages over a time span (a vowel).
 */
import { readFileSync } from 'node:fs';
import { decodeWav } from '../audio/wav.ts';
import { pitch, type PitchTrack } from '../features/pitch.ts';
import { formants } from '../features/formants.ts';
import { num, parse, UsageError } from './args.ts';
import type { Command } from './kit.ts';

const pitchUsage = `speechcore pitch FILE.wav [--floor 75] [--ceiling 600] [--time-step 0 (auto: 0.75/floor)]
  [--from S] [--to S] --format json
    → {"timeStep": s, "frames": [[t, f0 | null], ...]}   (null: unvoiced; Praat "To Pitch (ac)")
    with --from/--to: only frames with from ≤ t ≤ to, plus
      "span": {"from": S, "to": S}, "mean": {"f0": Hz | null}, "meanCounts": {"f0": voiced frames}`;

const formantsUsage = `speechcore formants FILE.wav [--max-formant 5500] [--n-formants 5] [--window-length 0.025]
  [--pre-emphasis 50] [--time-step 0 (auto: window-length/4)] [--from S] [--to S] [--voiced-only] --format json
    → {"timeStep": s, "frames": [[t, F1, F2, F3], ...]}   (Hz, null where missing; Praat "To Formant (burg)")
    with --from/--to: only frames with from ≤ t ≤ to, plus
      "span": {"from": S, "to": S}, "mean": {"F1": Hz | null, "F2": .., "F3": ..}, "meanCounts": {"F1": n, ...}
    --voiced-only: averages only over frames whose nearest pitch frame (default pitch settings) is voiced`;

type Values = Record<string, string | boolean | undefined>;

function readWav(file: string) {
  const wav = decodeWav(readFileSync(file), { file });
  return { y: wav.samples, sr: wav.sampleRate, duration: wav.samples.length / wav.sampleRate };
}

function checkFormat(values: Values): void {
  if ((values.format ?? 'json') !== 'json') throw new UsageError(`--format=${String(values.format)} must be json`);
}

function oneFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes one WAV file, got ${positionals.length}`);
  return positionals[0]!;
}

/** The --from/--to span, or null when neither is given; a missing end is the file's. */
function span(values: Values, duration: number): { from: number; to: number } | null {
  const from = num(values, 'from', false), to = num(values, 'to', false);
  if (from === undefined && to === undefined) return null;
  const s = { from: from ?? 0, to: to ?? duration };
  if (s.from < 0) throw new UsageError(`--from=${s.from} must be >= 0`);
  if (!(s.to > s.from)) throw new UsageError(`--to=${s.to} must be greater than --from=${s.from}`);
  return s;
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function runPitch(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    floor: { type: 'string' }, ceiling: { type: 'string' }, 'time-step': { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' },
  });
  const file = oneFile(positionals, 'pitch');
  checkFormat(values);
  const { y, sr, duration } = readWav(file);
  const s = span(values, duration);
  const track = pitch(y, { sr, floor: num(values, 'floor', false), ceiling: num(values, 'ceiling', false), timeStep: num(values, 'time-step', false) });
  const frames: Array<[number, number | null]> = [];
  const voiced: number[] = [];
  for (let i = 0; i < track.times.length; i++) {
    const t = track.times[i]!, f = track.f0[i]!;
    if (s && (t < s.from || t > s.to)) continue;
    frames.push([t, orNull(f)]);
    if (Number.isFinite(f)) voiced.push(f);
  }
  const out: Record<string, unknown> = { timeStep: track.timeStep, frames };
  if (s) Object.assign(out, { span: s, mean: { f0: mean(voiced) }, meanCounts: { f0: voiced.length } });
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Praat's rule for a formant frame: voiced when the pitch frame nearest to t is voiced. */
function voicedAt(track: PitchTrack, t: number): boolean {
  const i = Math.floor((t - track.times[0]!) / track.timeStep + 0.5);
  return i >= 0 && i < track.f0.length && Number.isFinite(track.f0[i]!);
}

function runFormants(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    'max-formant': { type: 'string' }, 'n-formants': { type: 'string' }, 'window-length': { type: 'string' },
    'pre-emphasis': { type: 'string' }, 'time-step': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    'voiced-only': { type: 'boolean' }, format: { type: 'string' },
  });
  const file = oneFile(positionals, 'formants');
  checkFormat(values);
  const { y, sr, duration } = readWav(file);
  const s = span(values, duration);
  const voicedOnly = values['voiced-only'] ?? false;
  if (voicedOnly && !s) throw new UsageError('--voiced-only applies to averages: give --from and/or --to');
  const f = formants(y, {
    sr, maxFormant: num(values, 'max-formant', false), nFormants: num(values, 'n-formants', false),
    windowLength: num(values, 'window-length', false), preEmphasis: num(values, 'pre-emphasis', false),
    timeStep: num(values, 'time-step', false),
  });
  const p = voicedOnly ? pitch(y, { sr }) : null;
  const K = f.maxFormants;
  const frames: Array<Array<number | null>> = [];
  const sums: number[][] = [[], [], []];
  for (let i = 0; i < f.times.length; i++) {
    const t = f.times[i]!;
    if (s && (t < s.from || t > s.to)) continue;
    const row: Array<number | null> = [t];
    for (let k = 0; k < 3; k++) row.push(k < K ? orNull(f.frequencies[i * K + k]!) : null);
    frames.push(row);
    if (s && (!p || voicedAt(p, t))) for (let k = 0; k < 3; k++) if (row[k + 1] !== null) sums[k]!.push(row[k + 1]!);
  }
  const out: Record<string, unknown> = { timeStep: f.timeStep, frames };
  if (s) {
    Object.assign(out, {
      span: s,
      mean: { F1: mean(sums[0]!), F2: mean(sums[1]!), F3: mean(sums[2]!) },
      meanCounts: { F1: sums[0]!.length, F2: sums[1]!.length, F3: sums[2]!.length },
    });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

export const pitchCommand: Command = {
  summary: "f0 track of one WAV file as Praat's To Pitch (ac) computes it",
  usage: pitchUsage,
  run: runPitch,
};

export const formantsCommand: Command = {
  summary: "F1-F3 track of one WAV file as Praat's To Formant (burg) computes it",
  usage: formantsUsage,
  run: runFormants,
};
