/**
 * Synthetic training voices: the ten digit words spoken by Debian's flite (its five built-in
 * voices: kal, kal16, awb, rms, slt), each take with its own seeded mean pitch and speaking rate.
 * Generated at training time into a temporary folder that is removed afterwards; no audio is
 * stored. espeak-ng (and anything built on it) is deliberately not used.
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../audio/wav.ts';
import { DIGIT_WORDS } from '../audio/dataset.ts';
import { DatasetError } from '../errors.ts';
import { checkInt } from '../features/options.ts';
import { Rng } from '../rng.ts';
import type { LabeledAudio } from '../recognizer/recognizer.ts';

/** flite's built-in voices and the typical mean pitch of each, Hz (the centre of the drawn range). */
export const FLITE_VOICES: Readonly<Record<string, number>> = { kal: 105, kal16: 105, awb: 105, rms: 105, slt: 170 };

/** Whether `flite` runs here (Debian: apt-get install flite). */
export function hasFlite(): boolean {
  return spawnSync('flite', ['-lv'], { stdio: 'ignore' }).status === 0;
}

export interface SynthOptions {
  /** Takes of every digit per voice (default 20), each with its own pitch and rate. */
  takes?: number;
  /** Seed of the pitch and rate draws (default 0). */
  seed?: number;
  voices?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/**
 * The digits spoken by flite: takes × voices × 10 utterances (16 kHz, or 8 kHz for kal), labelled.
 * Mean pitch is drawn in [0.8, 1.3] × the voice's own and the duration stretch in [0.85, 1.25].
 * @throws DatasetError when flite is missing or fails.
 */
export function synthesizeDigits(o: SynthOptions = {}): LabeledAudio[] {
  const takes = checkInt('takes', o.takes ?? 20, 1);
  const voices = o.voices ?? Object.keys(FLITE_VOICES);
  if (!hasFlite()) throw new DatasetError('synthetic voices need flite (Debian: apt-get install flite); train without --tts to skip them');
  const rng = new Rng(o.seed ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'speechcore-tts-'));
  const out: LabeledAudio[] = [];
  const total = takes * voices.length * DIGIT_WORDS.length;
  try {
    for (const voice of voices) {
      const f0 = FLITE_VOICES[voice] ?? 120;
      for (let k = 0; k < takes; k++) {
        for (let digit = 0; digit < DIGIT_WORDS.length; digit++) {
          const pitch = f0 * (0.8 + 0.5 * rng.next()), stretch = 0.85 + 0.4 * rng.next();
          const w = synthesize(DIGIT_WORDS[digit]!, { voice, pitch, stretch, dir });
          out.push({ ...w, digit });
          o.onProgress?.(out.length, total);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * One text spoken by one flite voice (e.g. "four one seven" for continuous digits), mono at the
 * voice's rate. pitch: mean F0 in Hz (default the voice's); stretch: duration factor (default 1).
 * dir: a scratch folder (default: a temporary one, removed after).
 * @throws DatasetError when flite fails.
 */
export function synthesize(text: string, o: { voice: string; pitch?: number; stretch?: number; dir?: string }): { samples: Float32Array; sampleRate: number } {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'speechcore-tts-'));
  const file = join(dir, 'take.wav');
  const pitch = o.pitch ?? FLITE_VOICES[o.voice] ?? 120;
  try {
    execFileSync('flite', ['-voice', o.voice, '--setf', `int_f0_target_mean=${pitch.toFixed(1)}`,
      '--setf', `duration_stretch=${(o.stretch ?? 1).toFixed(3)}`, '-t', text, '-o', file], { stdio: 'ignore' });
    const w = decodeWav(readFileSync(file), { file: `flite ${o.voice} "${text}"` });
    return { samples: w.samples, sampleRate: w.sampleRate };
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`flite -voice ${o.voice} failed on "${text}": ${(e as Error).message}`);
  } finally {
    if (!o.dir) rmSync(dir, { recursive: true, force: true });
  }
}
