/**
 * Connected digits: the word loop against a brute-force search over every word string up to
 * length 3 on tiny models; the insertion penalty; silence and noise alone decode to ""; digit
 * strings built from FSDD test recordings; the stream (chunking does not change its finals, a
 * final equals decoding the same audio as a file, partials come before finals, the contract's
 * errors). Random inputs come from the seeded rng (SPEECHCORE_SEED).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConnectedDigits, HmmClassifier, ParameterError, Recognizer, StandardScaler, WordLoop, decodeWav, editDistance, errorRate, mfcc, resample,
  type LoopWord,
} from '../bindings/index.ts';
import { digitSequences } from '../bench/digit-sequences.ts';
import { readSubset } from '../bindings/pipeline/recognizer-data.ts';
import { rng, SEED } from './helpers/fixtures.ts';
import { sharedDir } from './helpers/shared.ts';

const note = `(SPEECHCORE_SEED=${SEED})`;
const MODEL = new URL('../lab/models/recognizer.json', import.meta.url);
const recognizer = Recognizer.fromJSON(readFileSync(MODEL, 'utf8'), { source: 'lab/models/recognizer.json' });
const decoder = ConnectedDigits.fromRecognizer(recognizer);
const FSDD = join(sharedDir, 'data/fsdd/recordings');
const SPLIT = join(sharedDir, 'data/fsdd-split.json');

// ---- the search ---------------------------------------------------------------------------------------

const Loop = suite('word loop = brute force');

/** A two-state left-right word (at least two frames long) with a random self-loop. */
function word(next: () => number, logEntry: number): LoopWord {
  const a = 0.2 + 0.6 * next();
  return {
    logStart: Float64Array.of(0, -Infinity),
    logTrans: Float64Array.of(Math.log(a), Math.log(1 - a), -Infinity, 0),
    logEnd: Float64Array.of(-Infinity, 0),
    logEntry,
  };
}

/** Best score of word string `seq` over T frames: Viterbi on the words' chains joined end to start. */
function stringScore(words: LoopWord[], seq: number[], logB: Float64Array, T: number, N: number, offsets: number[]): number {
  // States of the joined chain: (position in seq, state in that word).
  const states = seq.flatMap((w, p) => Array.from({ length: words[w]!.logStart.length }, (_, s) => ({ p, w, s })));
  let v = states.map(({ p, w, s }) => (p === 0 ? words[w]!.logEntry + words[w]!.logStart[s]! + logB[offsets[w]! + s]! : -Infinity));
  for (let t = 1; t < T; t++) {
    v = states.map(({ p, w, s }) => {
      let best = -Infinity;
      states.forEach((from, i) => {
        let tr = -Infinity;
        const S = words[from.w]!.logStart.length;
        if (from.p === p) tr = words[w]!.logTrans[from.s * S + s]!;
        else if (from.p === p - 1) tr = words[from.w]!.logEnd[from.s]! + words[w]!.logEntry + words[w]!.logStart[s]!;
        best = Math.max(best, v[i]! + tr);
      });
      return best + logB[t * N + offsets[w]! + s]!;
    });
  }
  return Math.max(...states.map(({ p, w, s }, i) => (p === seq.length - 1 ? v[i]! + words[w]!.logEnd[s]! : -Infinity)));
}

Loop('every string of up to 3 words, 3 two-state words, 6 and 7 frames: same best string and score (200 lattices)', () => {
  const next = rng(SEED + 21);
  for (let trial = 0; trial < 200; trial++) {
    const words = [0, 1, 2].map(() => word(next, -3 * next()));
    const T = 6 + (trial % 2), N = 6, offsets = [0, 2, 4];
    const logB = Float64Array.from({ length: T * N }, () => -5 * next());
    const loop = new WordLoop(words);
    loop.advance(logB, T);
    const got = loop.best();
    let best = -Infinity, bestSeq: number[] = [];
    const strings: number[][] = [];
    for (const a of [0, 1, 2]) {
      strings.push([a]);
      for (const b of [0, 1, 2]) {
        strings.push([a, b]);
        for (const c of [0, 1, 2]) strings.push([a, b, c]);
      }
    }
    for (const s of strings) {
      const v = stringScore(words, s, logB, T, N, offsets);
      if (v > best) { best = v; bestSeq = s; }
    }
    assert.ok(Math.abs(got.score - best) < 1e-9, `trial ${trial}: loop ${got.score}, brute force ${best} ${note}`);
    assert.equal(got.words.map((w) => w.word), bestSeq, `trial ${trial}: the best string ${note}`);
    // Segments tile the frames and their scores add up to the path's, with the entry penalties.
    let at = 0, sum = 0;
    for (const w of got.words) {
      assert.is(w.start, at, `trial ${trial}: words are contiguous`);
      at = w.end + 1;
      sum += w.score + words[w.word]!.logEntry;
    }
    assert.is(at, T, 'the last word ends at the last frame');
    assert.ok(Math.abs(sum - got.score) < 1e-9, 'word scores + penalties = path score');
  }
});

Loop('more penalty, never more words (random lattices and a real digit string)', () => {
  const next = rng(SEED + 22);
  for (let trial = 0; trial < 50; trial++) {
    const base = [0, 1, 2, 3].map(() => word(next, 0));
    const T = 40, logB = Float64Array.from({ length: T * 8 }, () => -5 * next());
    let prev = Infinity;
    for (const p of [0, 1, 2, 5, 10, 50]) {
      const loop = new WordLoop(base.map((w) => ({ ...w, logEntry: -p })));
      loop.advance(logB, T);
      const n = loop.best().words.length;
      assert.ok(n <= prev, `trial ${trial}: penalty ${p} gave ${n} words, less penalty ${prev} ${note}`);
      prev = n;
    }
  }
  const [seq] = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 1, seed: SEED, length: [6, 6], pause: [0, 0.05] });
  let prev = Infinity;
  for (const p of [0, 20, 80, 300, 3000]) {
    const n = ConnectedDigits.fromRecognizer(recognizer, { insertionPenalty: p, rescore: false }).decode(seq!.samples, 8000).words.length;
    assert.ok(n <= prev, `penalty ${p}: ${n} digits, after ${prev} with less`);
    prev = n;
  }
  assert.ok(prev <= 2, `a prohibitive penalty leaves at most a digit or two, got ${prev}`);
});

Loop('bad loops are refused', () => {
  assert.throws(() => new WordLoop([]), (e: unknown) => e instanceof ParameterError);
  const w = word(rng(1), 0);
  assert.throws(() => new WordLoop([{ ...w, logEnd: Float64Array.of(0) }]), (e: unknown) => e instanceof ParameterError && /word 0/.test(e.message));
});

// ---- recordings ---------------------------------------------------------------------------------------

const Files = suite('connected digits in recordings');

Files('silence, steady noise and a tone decode to ""', () => {
  const next = rng(SEED + 23);
  assert.is(decoder.decode(new Float32Array(16000), 8000).digits, '', 'digital silence');
  const noise = Float32Array.from({ length: 16000 }, () => 0.01 * (2 * next() - 1));
  assert.is(decoder.decode(noise, 8000).digits, '', 'white noise');
  assert.is(decoder.decode(noise, 8000).words.length, 0);
  const tone = Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  assert.is(decoder.decode(tone, 8000).digits, '', 'a steady 440 Hz tone');
});

Files('digit strings of FSDD test recordings with 0.15–0.6 s pauses: DER <= 0.1 on 12 strings', () => {
  const seqs = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 12, seed: SEED });
  const hyps = seqs.map((s) => decoder.decode(s.samples, s.sampleRate));
  const der = errorRate(seqs.map((s) => s.digits), hyps.map((h) => h.digits));
  assert.ok(der <= 0.1, `DER ${der.toFixed(3)}: ${seqs.map((s, i) => `${s.digits}->${hyps[i]!.digits}`).join(' ')} ${note}`);
  // Each recognised word lies over the recording of a digit (its middle inside it).
  seqs.forEach((s, i) => {
    if (hyps[i]!.digits !== s.digits) return;
    hyps[i]!.words.forEach((w, k) => {
      const mid = (w.start + w.end) / 2;
      assert.ok(mid >= s.words[k]!.start && mid <= s.words[k]!.end, `${s.digits} word ${k}: ${w.start}-${w.end} s vs ${s.words[k]!.start}-${s.words[k]!.end} s`);
      assert.ok(w.confidence !== null && w.confidence > 0 && w.confidence <= 1, 'a confidence from the second pass');
      assert.ok(Number.isFinite(w.score));
    });
  });
});

Files('any rate: a 16 kHz copy decodes like the 8 kHz original', () => {
  const [seq] = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 1, seed: SEED + 1, length: [4, 4] });
  const a = decoder.decode(seq!.samples, 8000);
  const b = decoder.decode(resample(seq!.samples, { origSr: 8000, targetSr: 16000, resType: 'kaiser_best' }), 16000);
  assert.is(b.digits, a.digits);
  assert.is(a.digits, seq!.digits);
});

Files('an hmm train model (MFCC, global scaler) decodes too', () => {
  const train = readSubset(FSDD, 'train', SPLIT).files.filter((f) => f.index % 4 === 0);
  // A small lab-style model trained here: 6 MFCC, scaler, 4-state left-right models.
  const X = train.map((f) => mfcc(f.samples, { sr: 8000, nMfcc: 6, nFft: 240, hopLength: 120, nMels: 128 }));
  const scaler = new StandardScaler().fit(X);
  const clf = new HmmClassifier({ nStates: 4, nMix: 2, topology: 'left-right', nIter: 5 }).fit(scaler.transform(X), Int32Array.from(train, (f) => f.digit));
  const d = ConnectedDigits.fromClassifier({ features: { nMfcc: 6, nFft: 240, hopLength: 120, nMels: 128 }, sampleRate: 8000, scaler, labels: clf.labels, algorithm: 'viterbi', config: null, models: clf.models });
  const seqs = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 5, seed: SEED + 2 });
  const der = errorRate(seqs.map((s) => s.digits), seqs.map((s) => d.decode(s.samples, 8000).digits));
  assert.ok(der <= 0.5, `a small hmm-train-style model: DER ${der.toFixed(3)} ${note}`);
  assert.is(d.decode(new Float32Array(8000), 8000).digits, '');
});

// ---- streams ------------------------------------------------------------------------------------------

const Stream = suite('digit stream');

Stream('random chunkings give the same finals; partials come first; the finals say the digits', () => {
  const seqs = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 2, seed: SEED + 3, length: [3, 4], pause: [0.5, 0.6] });
  const next = rng(SEED + 24);
  for (const s of seqs) {
    const up = resample(s.samples, { origSr: 8000, targetSr: 48000, resType: 'kaiser_best' });
    let reference: string | null = null;
    for (let trial = 0; trial < 3; trial++) {
      const st = decoder.stream({ sampleRate: 48000 });
      const finals: string[] = [];
      let sawPartial = false;
      for (let i = 0; i < up.length;) {
        const k = trial === 0 ? 128 : Math.floor(next() * 6000);
        const u = st.push(up.subarray(i, i + k));
        i += k;
        if (u.partial.digits && finals.length === 0) sawPartial = true;
        finals.push(...u.finals.map((f) => JSON.stringify(f)));
      }
      finals.push(...st.flush().map((f) => JSON.stringify(f)));
      const text = finals.join('\n');
      if (reference === null) reference = text;
      else assert.is(text, reference, `trial ${trial}: the chunking changed the finals ${note}`);
      assert.ok(sawPartial, 'a partial hypothesis appeared before the first final');
      const digits = finals.map((f) => JSON.parse(f).digits).join('');
      assert.ok(editDistance(digits, s.digits) <= 1, `${s.digits}: the finals say ${digits}`);
    }
  }
});

Stream('a final is what decoding the utterance as a file gives, word for word, times included', () => {
  const y = decodeWav(readFileSync(join(FSDD, '4_george_2.wav'))).samples;
  const padded = new Float32Array(y.length + 8000);
  padded.set(y, 2000);
  const st = decoder.stream({ sampleRate: 8000 });
  const finals = [...st.push(padded).finals, ...st.flush()];
  assert.is(finals.length, 1);
  assert.is(finals[0]!.digits, '4');
  // The utterance ends `endpoint` (0.2 s = 25 frames) after its last speech frame; its audio runs
  // from the stream's start to that frame's end: decode exactly that stretch.
  const hop = 80;
  const endFrame = Math.round(finals[0]!.words.at(-1)!.end * 8000 / hop);
  let best: ReturnType<typeof decoder.decode> | null = null;
  for (let f = endFrame; f < endFrame + 60 && !best; f++) {
    const whole = decoder.decode(padded.subarray(0, Math.min(padded.length, f * hop)), 8000);
    if (JSON.stringify(whole) === JSON.stringify(finals[0])) best = whole;
  }
  assert.ok(best, `no stretch of the audio from 0 decodes to the final ${JSON.stringify(finals[0])}`);
});

Stream('second and later utterances: times from the start of the stream', () => {
  const seqs = digitSequences(readSubset(FSDD, 'test', SPLIT).files, { count: 1, seed: SEED + 5, length: [3, 3], pause: [0.8, 0.9] });
  const s = seqs[0]!;
  const st = decoder.stream({ sampleRate: 8000 });
  const finals = [...st.push(s.samples).finals, ...st.flush()].filter((f) => f.digits);
  assert.is(finals.length, 3, `three pauses of 0.8 s, three utterances: ${finals.map((f) => f.digits).join('|')}`);
  finals.forEach((f, k) => {
    const w = f.words[0]!, mid = (w.start + w.end) / 2;
    assert.ok(mid >= s.words[k]!.start && mid <= s.words[k]!.end, `utterance ${k}: ${w.start.toFixed(2)}-${w.end.toFixed(2)} s over the recording at ${s.words[k]!.start.toFixed(2)}-${s.words[k]!.end.toFixed(2)} s`);
  });
});

Stream('memory stays bounded in silence and noise; a talker in a noisy room still gets a final', () => {
  const next = rng(SEED + 25);
  const st = decoder.stream({ sampleRate: 8000 });
  for (let k = 0; k < 60; k++) assert.not.ok(st.push(Float32Array.from({ length: 8000 }, () => 0.001 * (2 * next() - 1))).speech, 'noise is not speech');
  assert.ok(st.buffered <= 2.1, `after a minute of noise the stream holds ${st.buffered.toFixed(2)} s`);
  // Noise whose frames sit ~20 dB below the speech's loudest frame: less than trimDb (30 dB), so
  // only the floor margin (isSpeech) lets the pause after the digit count as one.
  const y = decodeWav(readFileSync(join(FSDD, '7_jackson_3.wav'))).samples;
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  const room = (n: number) => Float32Array.from({ length: n }, () => 0.03 * peak * (2 * next() - 1));
  const noisy = room(y.length);
  noisy.forEach((v, i) => (noisy[i] = v + y[i]!));
  const t = decoder.stream({ sampleRate: 8000 });
  const first = t.push(room(8000));
  assert.not.ok(first.speech, 'the room alone is not speech');
  const during = t.push(noisy);
  const finals = [...first.finals, ...during.finals, ...t.push(room(8000)).finals];
  assert.ok(finals.some((f) => f.digits.length > 0), 'the pause after speech in noise ends the utterance before flush');
});

Stream('contract: empty chunks, flush twice, push after flush, bad samples, silence', () => {
  const st = decoder.stream({ sampleRate: 44100 });
  assert.equal(st.push(new Float32Array(0)).partial.digits, '');
  assert.is(st.push(new Float32Array(44100)).finals.length, 0, 'silence: no utterance');
  assert.equal(st.flush(), []);
  assert.equal(st.flush(), [], 'second flush');
  assert.throws(() => st.push(new Float32Array(1)), (e: unknown) => e instanceof ParameterError && /after flush/.test(e.message));
  const t = decoder.stream({ sampleRate: 8000 });
  assert.throws(() => t.push(Float32Array.of(0, Infinity)), (e: unknown) => e instanceof ParameterError && /chunk\[1\]/.test(e.message));
  assert.throws(() => decoder.stream({ sampleRate: 0 }), (e: unknown) => e instanceof ParameterError && /sampleRate/.test(e.message));
  assert.throws(() => decoder.stream({ sampleRate: 8000, endpoint: -1 }), (e: unknown) => e instanceof ParameterError && /endpoint/.test(e.message));
});

Loop.run();
Files.run();
Stream.run();
