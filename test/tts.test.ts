/**
 * The synthetic training voices: Debian's flite speaks the ten digit words (`synthesizeDigits`),
 * labelled, at flite's own rates, audible, the same for a seed, and nothing left on disk.
 * Needs flite (apt-get install flite; .ci/run installs it).
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasFlite, synthesizeDigits } from '../bindings/pipeline/tts.ts';
import { init } from '../bindings/engine.ts';

await init();

test('flite speaks every digit in each voice asked for, deterministically, leaving no files', () => {
  assert.ok(hasFlite(), 'flite is missing: apt-get install flite (.ci/run does)');
  const before = readdirSync(tmpdir()).filter((n) => n.startsWith('speechcore-tts-')).length;
  const a = synthesizeDigits({ takes: 1, voices: ['kal', 'slt'], seed: 5 });
  assert.is(a.length, 20);
  assert.equal(a.map((u) => u.digit), [...Array(10).keys(), ...Array(10).keys()]);
  assert.equal([...new Set(a.map((u) => u.sampleRate))].sort(), [16000, 8000]);
  for (const u of a) {
    const peak = u.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const seconds = u.samples.length / u.sampleRate;
    assert.ok(peak > 0.05 && seconds > 0.2 && seconds < 2, `digit ${u.digit}: peak ${peak}, ${seconds} s`);
  }
  const b = synthesizeDigits({ takes: 1, voices: ['kal', 'slt'], seed: 5 });
  a.forEach((u, i) => assert.equal(u.samples, b[i]!.samples, `take ${i} is the same for the seed`));
  const c = synthesizeDigits({ takes: 1, voices: ['slt'], seed: 6 });
  assert.ok(c.some((u, i) => u.samples.length !== a[10 + i]!.samples.length), 'another seed draws other pitch and rate');
  assert.is(readdirSync(tmpdir()).filter((n) => n.startsWith('speechcore-tts-')).length, before, 'the temporary folder is removed');
});

test.run();
