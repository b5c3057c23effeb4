/**
 * Every ParameterError the public API throws, in one list (librosa's test_failures.py): each
 * invalid parameter gives a ParameterError whose message names the parameter and the value
 * (`nFft=0`), nothing crashes the engine, nothing returns NaN instead of throwing. Found by
 * grepping bindings/ for `ParameterError` and the `check*` helpers of bindings/features/options.ts.
 *
 * Not reachable here: engine.ts `simd=true but this host has no WebAssembly SIMD` (needs a host
 * without SIMD; every Node ≥ 16 has it).
 *
 * Plus a few malformed WAVs through decodeWav → WavFormatError (test/wav.test.ts has the rest).
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  delta, getEngine, melFilterbank, melSpectrogram, mfcc, mfsc, ParameterError, powerToDb, rfft, spectrogram, stft,
  WavFormatError, zeroCrossingRate, type Matrix,
} from '../bindings/index.ts';
import { decodeWav, encodeWav } from '../bindings/audio/wav.ts';
import { randomSignal, rng, SEED } from './helpers/fixtures.ts';

const y = randomSignal(2400, rng(SEED));
const SR = 8000;
const B = { sr: SR, nFft: 240, hopLength: 120 } as const;
const bad = <T>(v: unknown) => v as T;
/** MfccOptions types `sr` as required even on the S= path, where it is unused; pass one to typecheck. */
const SR_S = 8000;

/** [what is called, the call, a substring the message must contain (the parameter and its value)]. */
type Case = [string, () => unknown, string];

/** Functions that frame a signal: they share resolveFraming's checks. */
const FRAMED: Array<[string, (o: any) => unknown]> = [
  ['stft', (o) => stft(y, o)],
  ['spectrogram', (o) => spectrogram(y, o)],
  ['melSpectrogram', (o) => melSpectrogram(y, { sr: SR, ...o })],
  ['mfcc', (o) => mfcc(y, { sr: SR, nMfcc: 13, ...o })],
  ['mfsc', (o) => mfsc(y, { sr: SR, ...o })],
];

const FRAMING: Array<[object, string]> = [
  [{ nFft: 0 }, 'nFft=0'],
  [{ nFft: 1 }, 'nFft=1'],
  [{ nFft: -240 }, 'nFft=-240'],
  [{ nFft: 240.5 }, 'nFft=240.5'],
  [{ nFft: NaN }, 'nFft=NaN'],
  [{ nFft: '240' }, 'nFft=240'],
  [{ nFft: 3 ** 19 }, 'nFft=1162261467'], // 19 radix-3 passes: more than the FFT plan holds
  [{ nFft: 240, hopLength: 0 }, 'hopLength=0'],
  [{ nFft: 240, hopLength: -120 }, 'hopLength=-120'],
  [{ nFft: 240, hopLength: 1.5 }, 'hopLength=1.5'],
  [{ nFft: 240, hopLength: Infinity }, 'hopLength=Infinity'],
  [{ nFft: 240, winLength: 0 }, 'winLength=0'],
  [{ nFft: 240, winLength: 241 }, 'winLength=241'],
  [{ nFft: 240, winLength: 100.5 }, 'winLength=100.5'],
  [{ nFft: 240, padMode: 'edge' }, 'padMode=edge'],
  [{ nFft: 240, padMode: 'wrap' }, 'padMode=wrap'],
  [{ nFft: 240, window: 'blackman' }, 'window=blackman'],
  [{ nFft: 240, window: new Float32Array(10) }, 'window has 10 points but winLength=240'],
];

/** Signal checks, for every function that takes one. */
const SIGNAL_TAKERS: Array<[string, (y: any) => unknown, string]> = [
  ['stft', (s) => stft(s, B), 'y'],
  ['spectrogram', (s) => spectrogram(s, B), 'y'],
  ['melSpectrogram', (s) => melSpectrogram(s, B), 'y'],
  ['mfcc', (s) => mfcc(s, { ...B, nMfcc: 13 }), 'y'],
  ['mfsc', (s) => mfsc(s, B), 'y'],
  ['zeroCrossingRate', (s) => zeroCrossingRate(s), 'y'],
  ['rfft', (s) => rfft(s), 'x'],
];
const withNaN = y.slice(0, 240);
withNaN[3] = NaN;
const withInf = y.slice(0, 240);
withInf[0] = -Infinity;
const SIGNALS: Array<[unknown, (name: string) => string]> = [
  [Array.from(y.subarray(0, 240)), (n) => `${n} must be a Float32Array, got Array`],
  [Float64Array.from(y.subarray(0, 240)), (n) => `${n} must be a Float32Array, got Float64Array`],
  [null, (n) => `${n} must be a Float32Array, got null`],
  [undefined, (n) => `${n} must be a Float32Array, got undefined`],
  [new Float32Array(0), (n) => `${n} is empty`],
  [withNaN, (n) => `${n}[3]=NaN`],
  [withInf, (n) => `${n}[0]=-Infinity`],
];

/** The mel parameters, for every function that builds a filterbank. */
const MEL_TAKERS: Array<[string, (o: any) => unknown, string]> = [
  ['melFilterbank', (o) => melFilterbank({ ...B, ...o }), 'norm'],
  ['melSpectrogram', (o) => melSpectrogram(y, { ...B, ...o }), 'norm'],
  ['mfcc', (o) => mfcc(y, { ...B, nMfcc: 13, ...o, norm: undefined, melNorm: o.norm }), 'melNorm'],
  ['mfsc', (o) => mfsc(y, { ...B, ...o }), 'norm'],
];
const MEL: Array<[object, (normName: string) => string]> = [
  [{ sr: 0 }, () => 'sr=0'],
  [{ sr: -8000 }, () => 'sr=-8000'],
  [{ sr: NaN }, () => 'sr=NaN'],
  [{ sr: Infinity }, () => 'sr=Infinity'],
  [{ sr: undefined }, () => 'sr=undefined'],
  [{ sr: '8000' }, () => 'sr=8000'],
  [{ nMels: 0 }, () => 'nMels=0'],
  [{ nMels: 12.5 }, () => 'nMels=12.5'],
  [{ fmin: -1 }, () => 'fmin=-1'],
  [{ fmin: NaN }, () => 'fmin=NaN'],
  [{ fmax: -5 }, () => 'fmax=-5'],
  [{ fmax: Infinity }, () => 'fmax=Infinity'],
  [{ fmin: 200, fmax: 100 }, () => 'fmax=100 must be greater than fmin=200'],
  [{ fmin: 4000 }, () => 'fmax=4000 must be greater than fmin=4000'],
  [{ norm: 0 }, (n) => `${n}=0`],
  [{ norm: -1 }, (n) => `${n}=-1`],
  [{ norm: 'l2' }, (n) => `${n}=l2`],
  [{ norm: 'ortho' }, (n) => `${n}=ortho`],
];

const logMel: Matrix = mfsc(y, { ...B, nMels: 13 });
const negative = new Float32Array([1, 2, -1, 3]);
const powerNaN = new Float32Array([1, NaN]);
const powerInf = new Float32Array([1, 2, 3, Infinity]);

const OTHER: Case[] = [
  // spectrogram / melSpectrogram power
  ['spectrogram power', () => spectrogram(y, { ...B, power: bad(3) }), 'power=3'],
  ['spectrogram power', () => spectrogram(y, { ...B, power: bad(0) }), 'power=0'],
  ['melSpectrogram power', () => melSpectrogram(y, { ...B, power: bad(3) }), 'power=3'],
  ['melSpectrogram power', () => melSpectrogram(y, { ...B, power: bad(1.5) }), 'power=1.5'],
  ['melFilterbank nFft', () => melFilterbank(bad({ sr: SR })), 'nFft=undefined'],
  ['melFilterbank nFft', () => melFilterbank({ sr: SR, nFft: 1 }), 'nFft=1'],

  // powerToDb (and the same options through mfsc, whose check runs inside an arena scope)
  ...(['powerToDb', 'mfsc'] as const).flatMap((fn): Case[] => {
    const call = (o: object) => () => (fn === 'mfsc' ? mfsc(y, { ...B, ...o }) : powerToDb(logMel, o));
    return [
      [`${fn} amin`, call({ amin: 0 }), 'amin=0'],
      [`${fn} amin`, call({ amin: -1e-10 }), 'amin=-1e-10'],
      [`${fn} amin`, call({ amin: 1e-40 }), 'amin=1e-40'],
      [`${fn} amin`, call({ amin: NaN }), 'amin=NaN'],
      [`${fn} topDb`, call({ topDb: -1 }), 'topDb=-1'],
      [`${fn} topDb`, call({ topDb: NaN }), 'topDb=NaN'],
      [`${fn} topDb`, call({ topDb: Infinity }), 'topDb=Infinity'],
      [`${fn} ref`, call({ ref: 0 }), 'ref=0'],
      [`${fn} ref`, call({ ref: -1 }), 'ref=-1'],
      [`${fn} ref`, call({ ref: 'min' }), 'ref=min'],
      [`${fn} ref`, call({ ref: NaN }), 'ref=NaN'],
    ];
  }),
  ['powerToDb S', () => powerToDb(bad([1, 2, 3])), 'S must be a Float32Array'],
  ['powerToDb S', () => powerToDb(bad({ data: [1, 2], rows: 1, cols: 2 })), 'S must be a Float32Array'],
  ['powerToDb S', () => powerToDb(new Float32Array(0)), 'S is empty'],
  ['powerToDb S', () => powerToDb(negative), 'S[2]=-1'],
  ['powerToDb S', () => powerToDb(powerNaN), 'S[1]=NaN'],
  ['powerToDb S', () => powerToDb({ data: powerInf, rows: 2, cols: 2 }), 'S[3]=Infinity'],

  // mfcc: nMfcc, DCT options, S
  ['mfcc nMfcc', () => mfcc(y, { ...B, nMfcc: 0 }), 'nMfcc=0'],
  ['mfcc nMfcc', () => mfcc(y, { ...B, nMfcc: 2.5 }), 'nMfcc=2.5'],
  ['mfcc nMfcc', () => mfcc(y, { ...B, nMfcc: 129 }), 'nMfcc=129 must be <= nMels=128'],
  ['mfcc nMfcc', () => mfcc(y, { ...B, nMels: 10 }), 'nMfcc=20 must be <= nMels=10'],
  ['mfcc(S) nMfcc', () => mfcc(null, { sr: SR_S, S: logMel, nMfcc: 14 }), 'nMfcc=14 must be <= nMels=13'],
  ['mfcc(S) nMfcc', () => mfcc(null, { sr: SR_S, S: logMel, nMfcc: 0 }), 'nMfcc=0'],
  ['mfcc dctType', () => mfcc(y, { ...B, nMfcc: 13, dctType: bad(4) }), 'dctType=4'],
  ['mfcc dctType', () => mfcc(null, { sr: SR_S, S: logMel, nMfcc: 13, dctType: bad(0) }), 'dctType=0'],
  ['mfcc dctType 1 + ortho', () => mfcc(y, { ...B, nMfcc: 13, dctType: 1 }), "dctType=1 with norm='ortho'"],
  ['mfcc dctType 1, one band', () => mfcc(null, { sr: SR_S, S: { data: new Float32Array(3), rows: 3, cols: 1 }, nMfcc: 1, dctType: 1, norm: null }), 'nMels=1'],
  ['mfcc norm (DCT)', () => mfcc(y, { ...B, nMfcc: 13, norm: bad('l2') }), 'norm=l2'],
  ['mfcc(S) norm (DCT)', () => mfcc(null, { sr: SR_S, S: logMel, nMfcc: 13, norm: bad('slaney') }), 'norm=slaney'],
  ['mfcc lifter', () => mfcc(y, { ...B, nMfcc: 13, lifter: -1 }), 'lifter=-1'],
  ['mfcc lifter', () => mfcc(null, { sr: SR_S, S: logMel, nMfcc: 13, lifter: NaN }), 'lifter=NaN'],
  ['mfcc lifter', () => mfcc(y, { ...B, nMfcc: 13, lifter: Infinity }), 'lifter=Infinity'],
  ['mfcc(S) S', () => mfcc(null, { sr: SR_S, S: { data: new Float32Array(5), rows: 2, cols: 3 }, nMfcc: 2 }), 'got 2x3 with 5 values'],
  ['mfcc(S) S', () => mfcc(null, { sr: SR_S, S: { data: new Float32Array(0), rows: 0, cols: 13 }, nMfcc: 2 }), 'got 0x13 with 0 values'],
  ['mfcc(S) S', () => mfcc(null, { sr: SR_S, S: bad({ data: [1, 2, 3], rows: 1, cols: 3 }), nMfcc: 2 }), 'got 1x3 with 3 values'],

  // delta
  ['delta width', () => delta(logMel, { width: 1 }), 'width=1'],
  ['delta width', () => delta(logMel, { width: 2 }), 'width=2'],
  ['delta width', () => delta(logMel, { width: 4 }), 'width=4 must be odd'],
  ['delta width', () => delta(logMel, { width: 9.5 }), 'width=9.5'],
  ['delta width', () => delta(logMel, { width: NaN }), 'width=NaN'],
  ['delta order', () => delta(logMel, { order: 0 }), 'order=0'],
  ['delta order', () => delta(logMel, { order: 1.5 }), 'order=1.5'],
  ['delta order', () => delta(logMel, { order: -1 }), 'order=-1'],
  ['delta order', () => delta(logMel, { width: 3, order: 3 }), 'order=3 must be less than width=3'],
  ['delta X', () => delta(bad({ data: [1, 2], rows: 1, cols: 2 })), 'X must be a non-empty Matrix'],
  ['delta X', () => delta({ data: new Float32Array(0), rows: 0, cols: 13 }), 'X must be a non-empty Matrix'],
  ['delta X', () => delta({ data: new Float32Array(5), rows: 2, cols: 3 }), 'X must be a non-empty Matrix'],
  ['delta X', () => delta(bad(null)), 'X must be a non-empty Matrix'],

  // zeroCrossingRate
  ['zeroCrossingRate frameLength', () => zeroCrossingRate(y, { frameLength: 0 }), 'frameLength=0'],
  ['zeroCrossingRate frameLength', () => zeroCrossingRate(y, { frameLength: 240.5 }), 'frameLength=240.5'],
  ['zeroCrossingRate hopLength', () => zeroCrossingRate(y, { hopLength: 0 }), 'hopLength=0'],
  ['zeroCrossingRate hopLength', () => zeroCrossingRate(y, { hopLength: -1 }), 'hopLength=-1'],
  ['zeroCrossingRate threshold', () => zeroCrossingRate(y, { threshold: -1 }), 'threshold=-1'],
  ['zeroCrossingRate threshold', () => zeroCrossingRate(y, { threshold: NaN }), 'threshold=NaN'],

  // rfft size
  ['rfft n', () => rfft(new Float32Array(1)), 'n=1'],

  // encodeWav
  ['encodeWav sampleRate', () => encodeWav(y, 0), 'sampleRate=0'],
  ['encodeWav sampleRate', () => encodeWav(y, 8000.5), 'sampleRate=8000.5'],
  ['encodeWav sampleRate', () => encodeWav(y, 2 ** 32), 'sampleRate=4294967296'],
  ['encodeWav bitsPerSample', () => encodeWav(y, SR, { bitsPerSample: bad(8) }), 'bitsPerSample=8'],
  ['encodeWav bitsPerSample', () => encodeWav(y, SR, { float: true, bitsPerSample: 16 }), 'bitsPerSample=16 must be 32 when float=true'],
  ['encodeWav channels', () => encodeWav(y, SR, { channels: 0 }), 'channels=0'],
  ['encodeWav channels', () => encodeWav(y.subarray(0, 7), SR, { channels: 2 }), 'channels=2'],
  ['encodeWav samples', () => encodeWav(withNaN, SR), 'samples[3]=NaN'],
];

const CASES: Case[] = [
  ...FRAMED.flatMap(([fn, call]) => FRAMING.map(([o, msg]): Case => [`${fn} ${JSON.stringify(o, (_, v) => (v instanceof Float32Array ? `Float32Array(${v.length})` : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v))}`, () => call(o), msg])),
  ...SIGNAL_TAKERS.flatMap(([fn, call, name]) => SIGNALS.map(([s, msg], i): Case => [`${fn} signal #${i}`, () => call(s), msg(name)])),
  ...MEL_TAKERS.flatMap(([fn, call, normName]) => MEL.map(([o, msg]): Case => [`${fn} ${JSON.stringify(o).replace('"norm"', `"${normName}"`)}`, () => call(o), msg(normName)])),
  ...OTHER,
];

/** Anything non-finite in whatever a call returned (it should have thrown instead). */
function describeReturn(v: unknown): string {
  const data = (v as Matrix)?.data ?? v;
  if (ArrayBuffer.isView(data)) {
    const a = data as unknown as ArrayLike<number>;
    let nan = 0;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) nan++;
    return `${a.length} values, ${nan} non-finite`;
  }
  return String(v);
}

const Validation = suite('ParameterError');
const seen = new Set<string>();

for (const [label, call, expected] of CASES) {
  let name = `${label}: ${expected}`;
  while (seen.has(name)) name += ' ';
  seen.add(name);
  Validation(name, () => {
    let error: unknown;
    let returned: unknown;
    try {
      returned = call();
    } catch (e) {
      error = e;
    }
    if (error === undefined) assert.unreachable(`${label}: returned (${describeReturn(returned)}) instead of throwing ParameterError '${expected}'`);
    assert.instance(error, ParameterError, `${label}: threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
    assert.is((error as Error).name, 'ParameterError');
    const message = (error as Error).message;
    assert.ok(message.includes(expected), `${label}: message '${message}' should contain '${expected}'`);
  });
}

Validation('the engine still works after every error, with the same results', () => {
  const fresh = mfcc(y, { ...B, nMfcc: 13 });
  const engine = getEngine();
  // Every case again, back to back, then the same call.
  for (const [, call] of CASES) {
    try {
      call();
    } catch {
      /* expected */
    }
  }
  const again = mfcc(y, { ...B, nMfcc: 13 });
  assert.equal(Array.from(again.data), Array.from(fresh.data));
  assert.ok(again.data.every(Number.isFinite));
  assert.is(engine, getEngine());
});

Validation.run();

// ---- WavFormatError -------------------------------------------------------------------------------

const Wav = suite('WavFormatError');

const good = encodeWav(y.subarray(0, 100), SR);
const patch = (at: number, bytes: number[]) => {
  const b = good.slice();
  b.set(bytes, at);
  return b;
};
const WAVS: Array<[string, Uint8Array, string]> = [
  ['empty', new Uint8Array(0), 'empty input'],
  ['truncated header', good.subarray(0, 10), 'truncated header'],
  ['RIFX magic', patch(0, [0x52, 0x49, 0x46, 0x58]), "magic is 'RIFX'"],
  ['not WAVE', patch(8, [0x41, 0x56, 0x49, 0x20]), "form type is 'AVI '"],
  ['mu-law at 16 bits', patch(20, [7, 0]), 'mu-law'],
  ['ADPCM codec', patch(20, [2, 0]), 'Microsoft ADPCM'],
  ['no data chunk', good.subarray(0, 36), 'missing data chunk'],
  ['bit depth 12', patch(34, [12, 0]), 'bit depth 12'],
];

for (const [label, bytes, expected] of WAVS) {
  Wav(label, () => {
    try {
      decodeWav(bytes, { file: 'bad.wav' });
    } catch (e) {
      assert.instance(e, WavFormatError);
      assert.ok((e as Error).message.startsWith('bad.wav: '), (e as Error).message);
      assert.ok((e as Error).message.includes(expected), `'${(e as Error).message}' should contain '${expected}'`);
      return;
    }
    assert.unreachable(`${label}: decoded`);
  });
}

Wav('the unpatched file decodes (the cases above fail for their patch alone)', () => {
  assert.is(decodeWav(good).samples.length, 100);
});

Wav.run();
