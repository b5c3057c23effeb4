/**
 * The page's endpointer (web/endpoint.ts) and trimming, in Node on synthetic streams: an utterance
 * under way when recording starts is skipped, not cut; the kept span covers the next utterance
 * with its pre- and post-roll; silence, endless noise and endless speech end with their own
 * outcome; the floor follows a noisy room; speechSpan trims as librosa.effects.trim does.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Endpointer, levelDb, speechSpan, type EndpointOutcome } from '../lab/web/endpoint.ts';
import { Rng } from '../bindings/rng.ts';

const SR = 16000;
const rng = new Rng(7);

/** Noise at `db` dBFS RMS (uniform), n samples. */
function noise(n: number, db: number): Float32Array {
  const a = 10 ** (db / 20) * Math.sqrt(3);
  return Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * a);
}
/** A vowel-like burst: 150 Hz harmonics at `db` dBFS RMS, n samples. */
function voice(n: number, db: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) for (let h = 1; h <= 8; h++) y[i] += Math.sin((2 * Math.PI * 150 * h * i) / SR) / h;
  const g = 10 ** (db / 20) / (levelDb(y) === -200 ? 1 : 10 ** (levelDb(y) / 20));
  return y.map((v) => v * g);
}
const cat = (...parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const s = (sec: number) => Math.round(sec * SR);

/** Feeds `y` in 128-sample render quanta until the endpointer finishes; then stop(). */
function run(y: Float32Array, o: { silenceTimeoutS?: number; maxSpeechS?: number } = {}): EndpointOutcome {
  const ep = new Endpointer({ sampleRate: SR, ...o });
  for (let i = 0; i < y.length && ep.state !== 'done'; i += 128) ep.push(y.subarray(i, i + 128));
  return ep.stop();
}

test('an utterance under way at the start is skipped; the next one is kept whole with pre- and post-roll', () => {
  const floor = -70;
  const y = cat(voice(s(0.3), -20), noise(s(0.6), floor), voice(s(0.5), -22), noise(s(1.0), floor));
  const r = run(y);
  assert.is(r.kind, 'utterance');
  if (r.kind !== 'utterance') return;
  // The second burst spans 0.9–1.4 s: kept from 0.2 s before to ~0.15 s after.
  assert.ok(Math.abs(r.startS - 0.7) <= 0.021, `start ${r.startS}`);
  assert.ok(r.endS >= 1.4 && r.endS <= 1.4 + 0.15 + 0.021, `end ${r.endS}`);
  assert.is(r.samples.length, Math.round((r.endS - r.startS) * SR));
});

test('a soft start does not count as the noise floor (no onset in the middle of a word)', () => {
  // Recording starts in a quiet stretch of speech (−45 dBFS), then the loud part: still one word under way.
  const y = cat(voice(s(0.15), -45), voice(s(0.3), -18), noise(s(0.5), -80), voice(s(0.4), -20), noise(s(0.8), -80));
  const r = run(y);
  assert.is(r.kind, 'utterance');
  if (r.kind === 'utterance') assert.ok(Math.abs(r.startS - (0.95 - 0.2)) <= 0.021, `start ${r.startS}`);
});

test('digital silence ends as silent after the timeout; so does quiet room noise', () => {
  for (const y of [new Float32Array(s(3)), noise(s(3), -65)]) {
    const r = run(y, { silenceTimeoutS: 1.5 });
    assert.is(r.kind, 'silent');
    if (r.kind === 'silent') assert.ok(Math.abs(r.afterS - 1.5) < 0.03, `after ${r.afterS}`);
  }
});

test('a room louder than the minimum threshold is learnt (floor rises), then speech is found', () => {
  const y = cat(noise(s(3.5), -42), voice(s(0.5), -12), noise(s(1), -42));
  const r = run(y, { silenceTimeoutS: 8 });
  assert.is(r.kind, 'utterance', JSON.stringify(r));
});

test('endless loud sound: noisy (never quiet) or too long (speech that does not stop)', () => {
  assert.is(run(voice(s(3), -20), { silenceTimeoutS: 1 }).kind, 'noisy');
  const r = run(cat(noise(s(0.5), -80), voice(s(4), -20)), { maxSpeechS: 2 });
  assert.is(r.kind, 'too-long');
});

test('stop(): keeps an utterance in progress, else reports silence', () => {
  const ep = new Endpointer({ sampleRate: SR });
  ep.push(cat(noise(s(0.4), -80), voice(s(0.3), -20)));
  assert.is(ep.state, 'speech');
  assert.is(ep.stop().kind, 'utterance');
  const quiet = new Endpointer({ sampleRate: SR });
  quiet.push(noise(s(0.5), -80));
  assert.is(quiet.stop().kind, 'silent');
});

test('speechSpan keeps the frames within topDb of the loudest', () => {
  const y = cat(new Float32Array(1000), noise(800, -70), voice(2400, -20), noise(800, -70), new Float32Array(500));
  const [a, b] = speechSpan(y, 240, 120, 40);
  assert.ok(a >= 1000 + 800 - 240 && a <= 1800, `start ${a}`);
  assert.ok(b >= 4200 && b <= 4200 + 240, `end ${b}`);
  assert.equal(speechSpan(new Float32Array(100), 240, 120), [0, 100]);
  assert.equal(speechSpan(new Float32Array(1000), 240, 120), [0, 1000]);
});

test.run();
