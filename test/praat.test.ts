/**
 * Pitch and formants against Praat 6.3.07's own tracks (shared/reference/praat-6.3, see its README),
 * through the API and the CLI, plus synthetic signals with known answers, bad input, silence, the
 * SIMD and scalar builds, the resampler, and arena reuse.
 *
 * Targets (issue 5, item 1):
 *   pitch    voicing decisions agree with Praat on ≥ 95% of frames; on frames voiced in both,
 *            median |Δf0|/f0 ≤ 1% and 95th percentile ≤ 3%;
 *   formants median relative error of F1, F2, F3 ≤ 5% on voiced frames (the fixture's `voiced`).
 * Frame counts and frame times must equal Praat's exactly.
 */

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEngineSync, getEngine, hostHasSimd, ParameterError, type Engine } from '../bindings/index.ts';
import { decodeWav } from '../bindings/audio/wav.ts';
import { pitch, type PitchTrack } from '../bindings/features/pitch.ts';
import { formants, type FormantTrack } from '../bindings/features/formants.ts';
import { resample } from '../bindings/features/resample.ts';
import { sharedDir } from './helpers/shared.ts';

const PRAAT_DIR = join(sharedDir, 'reference/praat-6.3/');
const STEMS = ['onetwothree1', 'onetwothree8'] as const;

const TARGET = { voicingAgreement: 0.95, medianDf0: 0.01, p95Df0: 0.03, formantMedian: 0.05 } as const;

interface PitchFixture {
  input: { path: string; sha256: string; sr: number; n_samples: number };
  time_step_s: number; pitch_floor_hz: number; pitch_ceiling_hz: number;
  n_frames: number; t1_s: number; frames: Array<[number, number | null]>; mean_f0_hz_voiced: number;
}
interface FormantFixture {
  input: { path: string; sha256: string; sr: number };
  max_formant_hz: number; time_step_s: number; n_frames: number; t1_s: number;
  frames: Array<[number, number | null, number | null, number | null]>; n_formants: number[]; voiced: boolean[];
  n_voiced_frames: number; mean_voiced_hz: { F1: number; F2: number; F3: number };
  mean_voiced_counts: { F1: number; F2: number; F3: number };
}

const load = <T>(file: string): T => JSON.parse(readFileSync(join(PRAAT_DIR, file), 'utf8')) as T;

function wavOf(input: { path: string; sha256: string }): { y: Float32Array; sr: number; path: string } {
  const path = join(sharedDir, input.path);
  const bytes = readFileSync(path);
  assert.is(createHash('sha256').update(bytes).digest('hex'), input.sha256, `${input.path}: not the file the fixture was made from`);
  const wav = decodeWav(bytes, { file: path });
  return { y: wav.samples, sr: wav.sampleRate, path };
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q, lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/** A relative error as a percentage, with 3 significant digits when it is tiny. */
const pct = (v: number) => `${100 * v >= 0.01 || v === 0 ? (100 * v).toFixed(4) : (100 * v).toPrecision(3)}%`;

// ---- parity with Praat --------------------------------------------------------------------------

interface PitchStats { frames: number; agreement: number; bothVoiced: number; median: number; p95: number; max: number }

function pitchStats(fx: PitchFixture, got: PitchTrack): PitchStats {
  let agree = 0;
  const rel: number[] = [];
  fx.frames.forEach(([, ref], i) => {
    const g = got.f0[i]!;
    if ((ref !== null) === Number.isFinite(g)) agree++;
    if (ref !== null && Number.isFinite(g)) rel.push(Math.abs(g - ref) / ref);
  });
  rel.sort((a, b) => a - b);
  return { frames: fx.n_frames, agreement: agree / fx.n_frames, bothVoiced: rel.length, median: quantile(rel, 0.5), p95: quantile(rel, 0.95), max: rel.at(-1) ?? NaN };
}

interface FormantStats { voicedFrames: number; median: number[]; p95: number[]; count: number[] }

function formantStats(fx: FormantFixture, got: FormantTrack): FormantStats {
  const out: FormantStats = { voicedFrames: 0, median: [], p95: [], count: [] };
  for (let k = 0; k < 3; k++) {
    const rel: number[] = [];
    fx.frames.forEach((row, i) => {
      const ref = row[k + 1];
      if (!fx.voiced[i] || ref === null) return;
      const g = got.frequencies[i * got.maxFormants + k]!;
      rel.push(Number.isFinite(g) ? Math.abs(g - ref) / ref : Infinity); // a missing formant is an error
    });
    rel.sort((a, b) => a - b);
    out.median.push(quantile(rel, 0.5));
    out.p95.push(quantile(rel, 0.95));
    out.count.push(rel.length);
  }
  out.voicedFrames = fx.voiced.filter(Boolean).length;
  return out;
}

const Parity = suite('Praat 6.3 parity');
const report: string[] = [];

for (const stem of STEMS) {
  Parity(`${stem}: pitch frames, times and voicing/f0 targets`, () => {
    const fx = load<PitchFixture>(`${stem}.pitch.json`);
    const { y, sr } = wavOf(fx.input);
    const got = pitch(y, { sr, timeStep: 0, floor: fx.pitch_floor_hz, ceiling: fx.pitch_ceiling_hz });
    assert.is(got.f0.length, fx.n_frames, 'number of frames');
    assert.is(got.times[0], fx.t1_s, 'first frame time t1');
    assert.is(got.timeStep, fx.time_step_s, 'time step');
    fx.frames.forEach(([t], i) => assert.is(got.times[i], t, `frame ${i} time`));
    const s = pitchStats(fx, got);
    report.push(`  ${stem} pitch: voicing agreement ${pct(s.agreement)} of ${s.frames} frames (target ≥ 95%); ` +
      `|Δf0|/f0 on ${s.bothVoiced} frames voiced in both: median ${pct(s.median)} (≤ 1%), p95 ${pct(s.p95)} (≤ 3%), max ${pct(s.max)}`);
    assert.ok(s.agreement >= TARGET.voicingAgreement, `${stem}: voicing agreement ${pct(s.agreement)} < 95%`);
    assert.ok(s.median <= TARGET.medianDf0, `${stem}: median |Δf0| ${pct(s.median)} > 1%`);
    assert.ok(s.p95 <= TARGET.p95Df0, `${stem}: p95 |Δf0| ${pct(s.p95)} > 3%`);
  });

  Parity(`${stem}: formant frames, times and F1–F3 targets on voiced frames`, () => {
    const fx = load<FormantFixture>(`${stem}.formant.json`);
    const { y, sr } = wavOf(fx.input);
    const got = formants(y, { sr, maxFormant: fx.max_formant_hz, nFormants: 5, windowLength: 0.025, preEmphasis: 50 });
    assert.is(got.count.length, fx.n_frames, 'number of frames');
    assert.is(got.times[0], fx.t1_s, 'first frame time t1');
    assert.is(got.timeStep, fx.time_step_s, 'time step');
    fx.frames.forEach(([t], i) => assert.is(got.times[i], t, `frame ${i} time`));
    const s = formantStats(fx, got);
    report.push(`  ${stem} formants (max ${fx.max_formant_hz} Hz), ${s.voicedFrames} voiced frames: median |ΔF|/F ` +
      `F1 ${pct(s.median[0]!)}, F2 ${pct(s.median[1]!)}, F3 ${pct(s.median[2]!)} (≤ 5%); ` +
      `p95 ${pct(s.p95[0]!)}, ${pct(s.p95[1]!)}, ${pct(s.p95[2]!)}`);
    for (let k = 0; k < 3; k++) {
      assert.is(s.count[k], fx.mean_voiced_counts[`F${k + 1}` as 'F1'], `F${k + 1}: voiced frames compared`);
      assert.ok(s.median[k]! <= TARGET.formantMedian, `${stem}: F${k + 1} median error ${pct(s.median[k]!)} > 5%`);
    }
  });
}

Parity('report', () => {
  console.log(`Praat 6.3 parity (targets from issue 5):\n${report.join('\n')}`);
});

Parity.run();

// ---- the CLI ------------------------------------------------------------------------------------

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, stdout: String(err.stdout), stderr: String(err.stderr) };
  }
}

const Cli = suite('CLI pitch / formants');

Cli('dist/cli.js exists (build it with npm run build:js)', () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
});

Cli('pitch --format json gives {timeStep, frames: [[t, f0|null]]} equal to the API', () => {
  const fx = load<PitchFixture>('onetwothree1.pitch.json');
  const { y, sr, path } = wavOf(fx.input);
  const r = cli(['pitch', path, '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { timeStep: number; frames: Array<[number, number | null]> };
  assert.equal(Object.keys(out), ['timeStep', 'frames']);
  const api = pitch(y, { sr });
  assert.is(out.timeStep, api.timeStep);
  assert.is(out.frames.length, api.f0.length);
  out.frames.forEach(([t, f], i) => {
    assert.is(t, api.times[i]);
    assert.is(f, Number.isFinite(api.f0[i]!) ? api.f0[i] : null, `frame ${i}`);
  });
});

Cli('pitch --from/--to: frames in the span and their voiced mean', () => {
  const fx = load<PitchFixture>('onetwothree8.pitch.json');
  const { path } = wavOf(fx.input);
  const whole = JSON.parse(cli(['pitch', path, '--from', '0', '--format', 'json']).stdout);
  // The whole file: the mean over voiced frames is Praat's "Get mean" (the fixture records it).
  assert.ok(Math.abs(whole.mean.f0 - fx.mean_f0_hz_voiced) / fx.mean_f0_hz_voiced < 1e-6, `mean f0 ${whole.mean.f0} vs ${fx.mean_f0_hz_voiced}`);
  assert.is(whole.meanCounts.f0, fx.frames.filter(([, f]) => f !== null).length);
  const part = JSON.parse(cli(['pitch', path, '--from', '0.3', '--to', '0.6', '--format', 'json']).stdout);
  assert.equal(part.span, { from: 0.3, to: 0.6 });
  assert.ok(part.frames.every(([t]: [number]) => t >= 0.3 && t <= 0.6));
  const voiced = part.frames.filter(([, f]: [number, number | null]) => f !== null).map(([, f]: [number, number]) => f);
  assert.is(part.meanCounts.f0, voiced.length);
  assert.ok(Math.abs(part.mean.f0 - voiced.reduce((a: number, b: number) => a + b, 0) / voiced.length) < 1e-9);
});

Cli('formants --format json gives {timeStep, frames: [[t, F1, F2, F3]]}; --voiced-only averages match the fixture', () => {
  const fx = load<FormantFixture>('onetwothree1.formant.json');
  const { path } = wavOf(fx.input);
  const r = cli(['formants', path, '--max-formant', String(fx.max_formant_hz), '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(Object.keys(out), ['timeStep', 'frames']);
  assert.is(out.frames.length, fx.n_frames);
  assert.ok(out.frames.every((row: unknown[]) => row.length === 4));
  const m = JSON.parse(cli(['formants', path, '--max-formant', String(fx.max_formant_hz), '--from', '0', '--voiced-only', '--format', 'json']).stdout);
  for (const k of ['F1', 'F2', 'F3'] as const) {
    assert.is(m.meanCounts[k], fx.mean_voiced_counts[k], `${k}: voiced frames averaged (Praat's nearest-pitch-frame rule)`);
    const rel = Math.abs(m.mean[k] - fx.mean_voiced_hz[k]) / fx.mean_voiced_hz[k];
    assert.ok(rel < 0.005, `${k}: voiced mean ${m.mean[k]} vs Praat ${fx.mean_voiced_hz[k]} (${pct(rel)})`);
  }
});

Cli('errors: one line naming the flag or parameter, non-zero exit', () => {
  const wav = join(sharedDir, 'data/isolated-digits/onetwothree1.wav');
  const cases: Array<[string[], number, string]> = [
    [['pitch'], 2, 'pitch takes one WAV file'],
    [['pitch', wav, '--floor', 'abc'], 2, '--floor=abc'],
    [['pitch', wav, '--floor', '300', '--ceiling', '200'], 1, 'ceiling=200 must be greater than floor=300'],
    [['pitch', wav, '--from', '0.5', '--to', '0.2'], 2, '--to=0.2'],
    [['pitch', wav, '--format', 'csv'], 2, '--format=csv'],
    [['formants', wav, '--max-formant', '9000'], 1, 'maxFormant=9000'],
    [['formants', wav, '--voiced-only'], 2, '--voiced-only'],
    [['formants', '/nonexistent.wav'], 1, '/nonexistent.wav'],
  ];
  for (const [args, status, text] of cases) {
    const r = cli(args);
    assert.is(r.status, status, `${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    assert.ok(r.stderr.includes(text), `${args.join(' ')}: stderr ${JSON.stringify(r.stderr)} lacks ${JSON.stringify(text)}`);
    assert.not.ok(r.stderr.includes('    at '), 'no stack trace without --debug');
  }
});

Cli.run();

// ---- synthetic signals --------------------------------------------------------------------------

const SR = 16000;

function tone(f: number, seconds = 1, amp = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(SR * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / SR + 0.1));
}

/** Differentiated Rosenberg glottal pulses at f0 (a voice-like source: harmonics falling ~12 dB/octave). */
function glottalTrain(f0: number, seconds = 1): Float32Array {
  const n = Math.round(SR * seconds), y = new Float32Array(n);
  const T = SR / f0, open = 0.4 * T, close = 0.16 * T;
  for (let i = 0; i < n; i++) {
    const ph = i % T;
    y[i] = ph < open ? 0.5 * (1 - Math.cos((Math.PI * ph) / open)) : ph < open + close ? Math.cos((Math.PI * (ph - open)) / (2 * close)) : 0;
  }
  for (let i = n - 1; i > 0; i--) y[i]! -= y[i - 1]!;
  return y;
}

/** x through a two-pole resonance at F Hz with bandwidth B Hz (unit gain at DC). */
function resonate(x: Float32Array, F: number, B: number): Float32Array {
  const r = Math.exp((-Math.PI * B) / SR), a1 = 2 * r * Math.cos((2 * Math.PI * F) / SR), a2 = -r * r, g = 1 - a1 - a2;
  const y = new Float32Array(x.length);
  let y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = g * x[i]! + a1 * y1 + a2 * y2;
    y[i] = v; y2 = y1; y1 = v;
  }
  return y;
}

function normalise(x: Float32Array, peak = 0.5): Float32Array {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return x.map((v) => (v * peak) / m);
}

const median = (v: number[]) => quantile([...v].sort((a, b) => a - b), 0.5);

const Synth = suite('synthetic signals');

for (const f of [100, 200, 300]) {
  Synth(`a ${f} Hz tone: every frame voiced, f0 within 0.5%`, () => {
    const p = pitch(tone(f), { sr: SR });
    p.f0.forEach((v, i) => assert.ok(Math.abs(v - f) / f <= 0.005, `frame ${i}: f0 ${v}`));
  });
}

for (const f of [110, 150, 220]) {
  Synth(`a ${f} Hz glottal pulse train: every frame voiced, f0 within 0.5%`, () => {
    const p = pitch(glottalTrain(f), { sr: SR });
    p.f0.forEach((v, i) => assert.ok(Math.abs(v - f) / f <= 0.005, `frame ${i}: f0 ${v}`));
  });
}

Synth('pitch follows the time step and floor it is given', () => {
  const p = pitch(tone(200, 0.5), { sr: SR, timeStep: 0.005, floor: 100, ceiling: 500 });
  assert.is(p.timeStep, 0.005);
  assert.ok(p.f0.every((v) => Math.abs(v - 200) < 1));
  // 3 periods of 100 Hz = 30 ms window; frames centred: floor((0.5 − 0.03)/0.005) + 1.
  assert.is(p.f0.length, Math.floor((0.5 - 0.03) / 0.005) + 1);
});

Synth('a tone above the ceiling comes out at its sub-octave; veryAccurate (Gaussian window) still finds 200 Hz', () => {
  // Every second period of an 800 Hz tone matches too: with ceiling 600 Hz, 400 Hz is the best voiced
  // candidate (Praat does the same); nothing at or above the ceiling is ever reported.
  assert.ok(pitch(tone(800), { sr: SR }).f0.every((v) => Math.abs(v - 400) / 400 <= 0.005), '800 Hz tone with ceiling 600');
  const p = pitch(tone(200), { sr: SR, veryAccurate: true });
  assert.ok(p.f0.every((v) => Math.abs(v - 200) / 200 <= 0.005));
});

const VOWELS: Array<[string, number, number[]]> = [
  ['/a/-like, f0 100 Hz', 100, [700, 1220, 2600, 3500, 4500]],
  ['/i/-like, f0 120 Hz', 120, [300, 2300, 3000, 3700, 4600]],
  ['/a/-like, f0 200 Hz', 200, [800, 1400, 2800, 3900, 4800]],
];

for (const [name, f0, Fs] of VOWELS) {
  Synth(`a synthetic vowel (${name}): F1–F3 within 3% (median over frames)`, () => {
    let x = glottalTrain(f0);
    const B = [60, 90, 120, 150, 200];
    Fs.forEach((F, k) => (x = resonate(x, F, B[k]!)));
    const f = formants(normalise(x), { sr: SR, maxFormant: 5000 });
    for (let k = 0; k < 3; k++) {
      const est = median(Array.from({ length: f.count.length }, (_, i) => f.frequencies[i * f.maxFormants + k]!));
      assert.ok(Math.abs(est - Fs[k]!) / Fs[k]! <= 0.03, `F${k + 1}: ${est.toFixed(1)} Hz vs ${Fs[k]} Hz`);
    }
  });
}

Synth('silence: every pitch frame unvoiced, no formants, nothing NaN where a number is promised', () => {
  const z = new Float32Array(SR);
  const p = pitch(z, { sr: SR });
  assert.ok(p.f0.length > 0 && p.f0.every(Number.isNaN));
  assert.ok(p.times.every(Number.isFinite));
  const f = formants(z, { sr: SR });
  assert.ok(f.count.every((c) => c === 0));
  assert.ok(f.frequencies.every(Number.isNaN) && f.bandwidths.every(Number.isNaN));
  // Silence with one click: still no crash, the click's frames only.
  z[8000] = 0.5;
  assert.ok(pitch(z, { sr: SR }).f0.length === p.f0.length);
  assert.ok(formants(z, { sr: SR }).count.some((c) => c > 0));
});

Synth('a quiet stretch inside speech is unvoiced (silence threshold)', () => {
  const y = new Float32Array(SR);
  y.set(tone(150, 0.4), 0);
  y.set(tone(150, 0.4, 0.005), 0.6 * SR); // 1% of the peak: below the 3% silence threshold
  const p = pitch(y, { sr: SR });
  p.times.forEach((t, i) => {
    if (t > 0.05 && t < 0.35) assert.ok(Number.isFinite(p.f0[i]!), `loud frame at ${t}`);
    if (t > 0.65 && t < 0.95) assert.ok(Number.isNaN(p.f0[i]!), `quiet frame at ${t}`);
  });
});

Synth.run();

// ---- bad input ----------------------------------------------------------------------------------

const Bad = suite('bad input → ParameterError naming the parameter');
const y = tone(150, 0.5);
const bad = <T>(v: unknown) => v as T;

const BAD: Array<[string, () => unknown, string]> = [
  ['pitch empty', () => pitch(new Float32Array(0), { sr: SR }), 'y is empty'],
  ['pitch NaN', () => pitch(Float32Array.of(0, NaN, 0), { sr: SR }), 'y[1]=NaN'],
  ['pitch Float64Array', () => pitch(bad(new Float64Array(10)), { sr: SR }), 'y must be a Float32Array'],
  ['pitch no options', () => pitch(y, bad(undefined)), 'sr'],
  ['pitch sr missing', () => pitch(y, bad({})), 'sr=undefined'],
  ['pitch sr 0', () => pitch(y, { sr: 0 }), 'sr=0'],
  ['pitch floor 0', () => pitch(y, { sr: SR, floor: 0 }), 'floor=0'],
  ['pitch floor NaN', () => pitch(y, { sr: SR, floor: NaN }), 'floor=NaN'],
  ['pitch floor = ceiling', () => pitch(y, { sr: SR, floor: 200, ceiling: 200 }), 'ceiling=200 must be greater than floor=200'],
  ['pitch floor > ceiling', () => pitch(y, { sr: SR, floor: 300, ceiling: 200 }), 'ceiling=200 must be greater than floor=300'],
  ['pitch timeStep < 0', () => pitch(y, { sr: SR, timeStep: -0.01 }), 'timeStep=-0.01'],
  ['pitch maxCandidates 1', () => pitch(y, { sr: SR, maxCandidates: 1 }), 'maxCandidates=1'],
  ['pitch maxCandidates 2.5', () => pitch(y, { sr: SR, maxCandidates: 2.5 }), 'maxCandidates=2.5'],
  ['pitch voicingThreshold 2', () => pitch(y, { sr: SR, voicingThreshold: 2 }), 'voicingThreshold=2'],
  ['pitch silenceThreshold -1', () => pitch(y, { sr: SR, silenceThreshold: -1 }), 'silenceThreshold=-1'],
  ['pitch octaveCost -1', () => pitch(y, { sr: SR, octaveCost: -1 }), 'octaveCost=-1'],
  ['pitch octaveJumpCost Inf', () => pitch(y, { sr: SR, octaveJumpCost: Infinity }), 'octaveJumpCost=Infinity'],
  ['pitch voicedUnvoicedCost str', () => pitch(y, { sr: SR, voicedUnvoicedCost: bad('0.1') }), 'voicedUnvoicedCost=0.1'],
  ['pitch veryAccurate str', () => pitch(y, { sr: SR, veryAccurate: bad('yes') }), 'veryAccurate=yes'],
  ['pitch too short for the floor', () => pitch(tone(150, 0.03), { sr: SR }), 'floor=75'],
  ['pitch window too short at a low rate', () => pitch(new Float32Array(100), { sr: 100, floor: 60, ceiling: 70 }), 'floor=60'],
  ['formants empty', () => formants(new Float32Array(0), { sr: SR }), 'y is empty'],
  ['formants Inf', () => formants(Float32Array.of(Infinity), { sr: SR }), 'y[0]=Infinity'],
  ['formants sr missing', () => formants(y, bad({})), 'sr=undefined'],
  ['formants maxFormant > sr/2', () => formants(y, { sr: SR, maxFormant: 8500 }), 'maxFormant=8500 must be <= sr/2=8000'],
  ['formants maxFormant 0', () => formants(y, { sr: SR, maxFormant: 0 }), 'maxFormant=0'],
  ['formants nFormants 0', () => formants(y, { sr: SR, nFormants: 0 }), 'nFormants=0'],
  ['formants nFormants 2.3', () => formants(y, { sr: SR, nFormants: 2.3 }), 'nFormants=2.3'],
  ['formants windowLength 0', () => formants(y, { sr: SR, windowLength: 0 }), 'windowLength=0'],
  ['formants windowLength too short for the order', () => formants(y, { sr: SR, windowLength: 0.0002 }), 'windowLength=0.0002'],
  ['formants too short for the window', () => formants(tone(150, 0.04), { sr: SR }), 'windowLength=0.025'],
  ['formants timeStep < 0', () => formants(y, { sr: SR, timeStep: -1 }), 'timeStep=-1'],
  ['formants preEmphasis < 0', () => formants(y, { sr: SR, preEmphasis: -50 }), 'preEmphasis=-50'],
  ['resample origSr 0', () => resample(y, { origSr: 0, targetSr: 8000 }), 'origSr=0'],
  ['resample targetSr NaN', () => resample(y, { origSr: SR, targetSr: NaN }), 'targetSr=NaN'],
  ['resample to nothing', () => resample(Float32Array.of(1), { origSr: SR, targetSr: 1 }), 'leaves no samples'],
];

for (const [name, call, text] of BAD) {
  Bad(name, () => {
    try {
      call();
    } catch (e) {
      assert.instance(e, ParameterError, `${name}: ${(e as Error).message}`);
      assert.ok((e as Error).message.includes(text), `${name}: message ${JSON.stringify((e as Error).message)} lacks ${JSON.stringify(text)}`);
      return;
    }
    assert.unreachable(`${name}: no ParameterError`);
  });
}

Bad('the engine still works after every error', () => {
  assert.ok(pitch(tone(200), { sr: SR }).f0.every((v) => Math.abs(v - 200) < 1));
});

Bad.run();

// ---- builds, resampler, memory ------------------------------------------------------------------

const Engines = suite('SIMD and scalar builds, resampler, arena');

Engines('SIMD and scalar builds agree on both files', () => {
  if (!hostHasSimd()) return;
  const [scalar, simd] = [createEngineSync({ simd: false }), createEngineSync({ simd: true })];
  for (const stem of STEMS) {
    const fx = load<FormantFixture>(`${stem}.formant.json`);
    const { y, sr } = wavOf(fx.input);
    const run = (engine: Engine) => ({
      p: pitch(y, { sr, engine }),
      f: formants(y, { sr, maxFormant: fx.max_formant_hz, engine }),
    });
    const a = run(scalar), b = run(simd);
    a.p.f0.forEach((v, i) => {
      const w = b.p.f0[i]!;
      // Summation order differs between the builds; Brent's tolerance (1e-10 of the lag) then bounds the difference.
      assert.ok(Number.isNaN(v) ? Number.isNaN(w) : Math.abs(v - w) / v < 1e-8, `${stem} pitch frame ${i}: ${v} vs ${w}`);
    });
    assert.equal(a.f.count, b.f.count, `${stem}: formant counts`);
    a.f.frequencies.forEach((v, i) => {
      const w = b.f.frequencies[i]!;
      assert.ok(Number.isNaN(v) ? Number.isNaN(w) : Math.abs(v - w) / v < 1e-6, `${stem} formant ${i}: ${v} vs ${w}`);
    });
  }
});

Engines('resample: Praat geometry, passband gain 1, identity at equal rates', () => {
  const y16 = tone(1000, 1);
  const r = resample(y16, { origSr: SR, targetSr: 11000 });
  assert.is(r.length, 11000);
  // Output sample k sits at x1 + k/11000 with x1 = ½(1 − 10999/11000); input sample i at (i + ½)/16000.
  const x1 = 0.5 * (1 - 10999 / 11000);
  let worst = 0;
  for (let k = 1000; k < 10000; k++) {
    const t = x1 + k / 11000;
    worst = Math.max(worst, Math.abs(r[k]! - 0.5 * Math.sin(2 * Math.PI * 1000 * (t - 0.5 / SR) + 0.1)));
  }
  assert.ok(worst < 5e-4, `passband error ${worst}`);
  assert.equal(resample(y16, { origSr: SR, targetSr: SR }), y16);
  assert.is(resample(y16, { origSr: SR, targetSr: 44100 }).length, 44100);
});

Engines('repeated calls leave the arena where it was (plans are built once)', () => {
  const engine = getEngine();
  const x = glottalTrain(130, 0.5);
  pitch(x, { sr: SR, engine });
  formants(x, { sr: SR, engine });
  const mark = engine.arena.highWater;
  for (let i = 0; i < 20; i++) {
    pitch(x, { sr: SR, engine });
    formants(x, { sr: SR, engine });
  }
  assert.is(engine.arena.highWater, mark);
});

Engines.run();
