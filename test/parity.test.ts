/**
 * Parity with librosa 0.10.1 on every fixture in shared/reference/librosa-0.10.1/index.json: one
 * test per (fixture, output), shapes equal and the error within the tolerance table of
 * test/helpers/fixtures.ts. The same parity runs through the CLI (`node dist/cli.js features`) for
 * a few fixtures that together cover every --kind and the htk / norm / lifter / pad-mode flags.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { melFilterbank } from '../bindings/features/mel.ts';
import {
  cliArgs, compare, computeOutput, fromLibrosa, inputSignal, loadFeatureFixture, loadFilterbankFixture, loadIndex,
  toleranceKind, TOLERANCES, type Comparison, type FeatureFixture, type ToleranceKind,
} from './helpers/fixtures.ts';

const index = loadIndex();

/** Worst error per tolerance kind, printed once after the suite. */
type Worst = Map<ToleranceKind, Comparison & { where: string }>;

function record(worst: Worst, kind: ToleranceKind, c: Comparison, where: string): void {
  const prev = worst.get(kind);
  const score = (x: Comparison) => (x.allowed > 0 ? x.maxAbs / x.allowed : x.maxAbs);
  if (!prev || score(c) > score(prev)) worst.set(kind, { ...c, where });
}

function report(title: string, worst: Worst): void {
  const lines = [...worst].map(([kind, c]) => {
    const t = TOLERANCES[kind];
    const rel = c.refMax > 0 ? ` (${(c.maxAbs / c.refMax).toExponential(2)} × max)` : '';
    const bound = t.mode === 'exact' ? 'exact' : `≤ ${c.allowed.toExponential(2)} (${t.mode === 'relMax' ? `${t.value} × max` : 'abs'})`;
    return `  ${kind.padEnd(10)} ${c.maxAbs.toExponential(2)}${rel}  bound ${bound}  at ${c.where}`;
  });
  console.log(`\n${title}: worst error per kind\n${lines.join('\n')}`);
}

function check(c: Comparison, label: string, refShape: number[], gotShape: number[]): void {
  assert.ok(c.shapeOk, `${label}: shape ${JSON.stringify(gotShape)} != librosa ${JSON.stringify(refShape)}`);
  assert.ok(c.ok, `${label}: max abs error ${c.maxAbs} > allowed ${c.allowed} at [frame ${c.at[0]}][feature ${c.at[1]}] (ref max ${c.refMax})`);
}

// ---- the library ---------------------------------------------------------------------------------

const Parity = suite('parity');
const worst: Worst = new Map();

Parity('index lists every fixture once', () => {
  assert.is(index.fixtures.length, index.n_fixtures);
  assert.is(new Set(index.fixtures.map((f) => f.file)).size, index.fixtures.length);
  assert.ok(index.fixtures.some((f) => f.kind === 'filterbank') && index.fixtures.some((f) => f.kind === 'features'));
});

for (const entry of index.fixtures) {
  if (entry.kind === 'filterbank') {
    Parity(`${entry.id} weights`, () => {
      const fx = loadFilterbankFixture(entry);
      const p = fx.params;
      const fb = melFilterbank({ sr: p.sr, nFft: p.n_fft, nMels: p.n_mels, fmin: p.fmin, fmax: p.fmax, htk: p.htk, norm: p.norm ?? null });
      const c = compare(fx.weights, fb, 'filterbank');
      record(worst, 'filterbank', c, entry.id);
      check(c, entry.id, entry.shapes['weights']!, [fb.rows, fb.cols]);
      for (const r of fx.emptyRows) assert.ok(fb.data.subarray(r * fb.cols, (r + 1) * fb.cols).every((v) => v === 0), `${entry.id}: row ${r} should be empty`);
    });
    continue;
  }
  if (entry.kind !== 'features') throw new Error(`${entry.file}: unknown fixture kind ${entry.kind}`);

  // Loaded lazily (on the first test of the fixture) and shared by its tests.
  let cache: { fx: FeatureFixture; y: Float32Array } | null = null;
  const get = () => {
    if (!cache) {
      const fx = loadFeatureFixture(entry);
      cache = { fx, y: inputSignal(fx) };
    }
    return cache;
  };

  Parity(`${entry.id} y`, () => {
    const { fx, y } = get();
    assert.is(y.length, fx.y.length, `${entry.id}: decodeWav gave ${y.length} samples, librosa.load ${fx.y.length}`);
    let bad = -1;
    for (let i = 0; i < y.length && bad < 0; i++) if (!Object.is(y[i], fx.y[i])) bad = i;
    assert.is(bad, -1, `${entry.id}: sample ${bad} is ${y[bad]}, librosa.load gives ${fx.y[bad]}`);
    record(worst, 'y', { maxAbs: 0, refMax: 1, allowed: 0, at: [0, 0], ok: true, shapeOk: true }, entry.id);
  });

  for (const name of entry.outputs ?? []) {
    Parity(`${entry.id} ${name}`, () => {
      const { fx, y } = get();
      if (name in fx.errors) {
        assert.not.ok(fx.outputs.has(name), `${entry.id}: ${name} has both an output and an error`);
        return;
      }
      const ref = fx.outputs.get(name);
      assert.ok(ref, `${entry.id}: index lists output ${name} but the fixture has none`);
      assert.equal(ref!.librosaShape, entry.shapes[name], `${entry.id} ${name}: fixture shape vs index shape`);
      const got = computeOutput(fx, name, y);
      const kind = toleranceKind(name);
      const c = compare(ref!, got, kind);
      record(worst, kind, c, `${entry.id} ${name} [frame ${c.at[0]}][${c.at[1]}]`);
      check(c, `${entry.id} ${name}`, [ref!.rows, ref!.cols], [got.rows, got.cols]);
    });
  }
}

Parity.after(() => report('librosa parity (library)', worst));
Parity.run();

// ---- the CLI -------------------------------------------------------------------------------------

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Fixtures run through the CLI: every --kind, 8 and 16 kHz, htk + norm none, lifter, reflect. */
const CLI_FIXTURES = ['0_george_0.fsdd-seed', '0_george_0.htk', '3_nicolas_19.lifter22', '0_george_0.fsdd-reflect', 'eight9.lab-16k'];
const KIND_OF: Record<string, string> = { mfcc6: 'mfcc', mfcc13: 'mfcc', mfsc13: 'mfsc' };

const Cli = suite('parity via CLI');
const cliWorst: Worst = new Map();

Cli('dist/cli.js exists (build it with npm run build:js)', () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: the CLI parity tests below cannot pass until it is built`);
});

for (const id of CLI_FIXTURES) {
  const entry = index.fixtures.find((f) => f.id === id);
  if (!entry) throw new Error(`CLI fixture ${id} is not in index.json`);
  let fx: FeatureFixture | null = null;
  for (const name of entry.outputs ?? []) {
    Cli(`cli ${id} ${name}`, () => {
      fx ??= loadFeatureFixture(entry);
      const ref = fx.outputs.get(name)!;
      const args = cliArgs(fx, name);
      assert.ok(existsSync(CLI), `${CLI} is missing`);
      let stdout: string;
      try {
        stdout = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e: any) {
        return assert.unreachable(`node dist/cli.js ${args.join(' ')} exited ${e.status}: ${String(e.stderr || e.message).trim()}`);
      }
      const out = JSON.parse(stdout);
      assert.is(out.kind, KIND_OF[name] ?? name, 'kind');
      assert.is(out.sr, fx.sr, 'sr');
      assert.equal(out.shape, ref.librosaShape, `${id} ${name}: CLI shape [rows, cols] in librosa orientation`);
      assert.is(out.data.length, out.shape[0], 'data rows');
      const got = fromLibrosa(out.data, entry.dtypes?.[name] ?? 'float32');
      const kind = toleranceKind(name);
      const c = compare(ref, got, kind);
      record(cliWorst, kind, c, `${id} ${name}`);
      check(c, `cli ${id} ${name}`, ref.librosaShape, got.librosaShape);
    });
  }
}

Cli('cli accepts --sr equal to the WAV rate (documented flag) and gives the same numbers', () => {
  const entry = index.fixtures.find((f) => f.id === 'eight9.lab-16k')!;
  const fx = loadFeatureFixture(entry);
  const args = [...cliArgs(fx, 'mfcc13'), '--sr', String(fx.sr)];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    return assert.unreachable(`node dist/cli.js ${args.join(' ')} exited ${e.status}: ${String(e.stderr || e.message).trim()}`);
  }
  const out = JSON.parse(stdout);
  assert.is(out.sr, fx.sr);
  const c = compare(fx.outputs.get('mfcc13')!, fromLibrosa(out.data, 'float32'), 'mfcc');
  check(c, 'cli --sr mfcc13', fx.outputs.get('mfcc13')!.librosaShape, [out.shape[0], out.shape[1]]);
});

Cli.after(() => {
  if (cliWorst.size) report('librosa parity (CLI)', cliWorst);
});
Cli.run();
