/**
 * The page's Web Worker: one wasm engine (DESIGN §2: one instance per worker), the saved HMM, and
 * the LSTM when the models folder has one. Every analysis runs here, off the page's thread:
 * decode (files) → resample to the model's rate (Kaiser polyphase) → MFCC → standardise → score
 * every digit model (→ LSTM). Sequence mode decodes connected digits (ConnectedDigits) over the
 * same models: a DigitStream fed the microphone's blocks as they arrive, or a whole dropped file.
 * Failures come back as sentences the page shows as they are.
 *
 * @module
 */
import {
  argmax, ConnectedDigits, decodeWav, HmmClassifier, init, LAB_FEATURES, mfcc, ModelFormatError, parseClassifier, Recognizer, resample, WavFormatError,
  type DecodedWav, type DigitsResult, type DigitStream, type Engine, type LoadedClassifier, type Matrix,
} from 'speechcore';
import type { Analysis, DigitsFileResult, FromWorker, HmmInfo, LstmState, ModelManifest, Timings, ToWorker } from './protocol.ts';
import type { LoadedLstm } from './lstm.ts';
import { speechSpan } from './endpoint.ts';

/** Longest audio analysed, s: one spoken digit is under 2 s; anything past this is not one. */
export const MAX_SECONDS = 10;
/** Longest file decoded as a digit sequence, s (a phone number read slowly is well under this). */
export const MAX_SEQUENCE_SECONDS = 60;
/** Shortest: a few frames. */
const MIN_SECONDS = 0.08;
/** Quieter than this (peak, dBFS) is silence. */
const SILENCE_PEAK_DB = -60;

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
const now = () => performance.now();
const base = new URL('./', self.location.href);

let engine: Engine;
/**
 * The digit models the page scores with: a speaker-independent recogniser (`speechcore train`,
 * preferred) or a lab HMM (`speechcore hmm train`), behind one face.
 */
interface Scorer {
  file: string;
  labels: number[];
  sampleRate: number;
  /** Framing, for trimming microphone recordings. */
  nFft: number;
  hopLength: number;
  /** States of the digit models (the fewest frames an utterance needs). */
  nStates: number;
  info: HmmInfo;
  /** The frames the models score, from samples at sampleRate. */
  features(y: Float32Array): Matrix;
  /** Log-likelihood per label. */
  score(m: Matrix): number[];
}

let hmm: Scorer | null = null;
/** The speaker-independent recogniser as loaded, and the utterances it has been adapted with. */
let baseRecognizer: Recognizer | null = null;
const enrolment: { samples: Float32Array; sampleRate: number; digit: number }[] = [];
let lstm: LoadedLstm | null = null;
let lstmState: LstmState = { state: 'absent' };
/** The last utterance at the model's rate (the bench's material). */
let lastUtterance: Float32Array | null = null;
/**
 * Connected-digit decoding over the loaded models: built on first use and again after enrolment,
 * so sequence mode hears the adapted voice too. `make` is null without a model.
 */
const sequence: { make: (() => ConnectedDigits) | null; decoder: ConnectedDigits | null } = { make: null, decoder: null };
/** The microphone's digit stream (sequence mode), keyed by the page's id for it. */
let live: { id: number; stream: DigitStream; last: number } | null = null;

const ready = start().catch((e) => post({ type: 'fatal', message: `The recogniser could not start: ${(e as Error).message}` }));

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  await ready;
  const m = ev.data;
  try {
    if (m.type === 'bench') return bench(m.id, m.seconds, m.repeats);
    if (m.type === 'enroll') return enroll(m.id, m.digit);
    if (m.type === 'digitsStart' || m.type === 'digitsChunk' || m.type === 'digitsStop') return digitsStream(m);
    if (m.type === 'digitsFile') {
      const r = digitsFile(m.id, m.name, m.bytes);
      return post(r, [r.waveform.buffer]);
    }
    const r = m.type === 'analyzeFile' ? analyzeFile(m.id, m.name, m.bytes) : analyzeSamples(m.id, m.name, m.samples, m.sampleRate, 0, [], true);
    post(r, [r.waveform.buffer, r.mfcc.buffer]);
  } catch (e) {
    // A stream that failed is gone: the blocks still queued for it are dropped (digitsStream).
    if ((m.type === 'digitsStart' || m.type === 'digitsChunk') && live?.id === m.id) live = null;
    post({ type: 'error', id: m.id, name: 'name' in m ? m.name : '', message: e instanceof UserError ? e.message : `Analysis failed: ${(e as Error).message}` });
  }
};

/** An error whose message is already a sentence for the page. */
class UserError extends Error {}

async function start(): Promise<void> {
  const t0 = now();
  engine = await init({ wasm: base });
  const t1 = now();
  let hmmProblem: string | null = null;
  let manifest: ModelManifest | null = null;
  try {
    const r = await fetch(new URL('models/index.json', base));
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    manifest = await r.json() as ModelManifest;
  } catch (e) {
    hmmProblem = `The server did not say which models it has (models/index.json: ${(e as Error).message}).`;
  }
  if (manifest) {
    const train = `Train one with \`speechcore train --data DIR --out ${manifest.dir}/recognizer.json\`, then reload.`;
    if (!manifest.exists) hmmProblem = `The models folder ${manifest.dir} does not exist. ${train}`;
    else if (!manifest.recognizer && !manifest.hmm) hmmProblem = `No recogniser in ${manifest.dir} (looked for recognizer.json, hmm.json or model.json). ${train}`;
    else hmmProblem = await loadHmm((manifest.recognizer ?? manifest.hmm)!, manifest.recognizer !== null);
  }
  const t2 = now();
  // Builds the plans (FFT, window, mel and DCT bases) and lets the JIT see the hot paths once.
  if (hmm) {
    const warm = new Float32Array(hmm.sampleRate);
    for (let i = 0; i < warm.length; i++) warm[i] = 0.1 * Math.sin(i * 0.3) * Math.sin(i * 0.0011);
    for (let k = 0; k < 3; k++) score(features(warm));
  }
  const t3 = now();
  if (manifest?.lstm) lstmState = { state: 'loading', file: manifest.lstm };
  post({
    type: 'ready', simd: engine.simd, hmm: hmm ? hmm.info : null, hmmProblem, lstm: lstmState,
    timings: { engineMs: t1 - t0, modelsMs: t2 - t1, warmupMs: t3 - t2 },
  });
  // After ready: the microphone rates' filter tables, then the LSTM (tfjs is large; the page works without it).
  // Lengths 64…76 reach both phase sets of each ratio (see kaiserPrepare); the longer runs get the
  // kernel past V8's baseline compiler before the first recording arrives.
  for (const sr of [48000, 44100]) {
    const o = { origSr: sr, targetSr: hmm?.sampleRate ?? 8000, resType: 'kaiser_best' } as const;
    for (let n = 64; n <= 76; n++) resample(new Float32Array(n), o);
    for (let k = 0; k < 3; k++) resample(new Float32Array(sr >> 1), o);
  }
  // Sequence mode's first stream would otherwise pay for compiling the streaming resampler, the
  // feature stream, the search and the second pass: a pause, a burst and a pause, through once.
  if (sequence.make) {
    const s = digitsDecoder().stream({ sampleRate: 48000 });
    const y = new Float32Array(48000);
    for (let i = 12000; i < 36000; i++) y[i] = 0.2 * Math.sin(i * 0.05) * Math.sin(i * 0.0004);
    for (let i = 0; i < y.length; i += 2048) s.push(y.subarray(i, i + 2048));
    s.flush();
  }
  // Not awaited: analyses go ahead (HMM only) while TensorFlow.js loads.
  if (manifest?.lstm) {
    const file = manifest.lstm;
    void loadLstmFile(file).then((state) => {
      lstmState = state;
      post({ type: 'lstm', lstm: lstmState });
    });
  }
}

async function loadHmm(file: string, speakerIndependent: boolean): Promise<string | null> {
  const url = new URL(`models/${file}`, base);
  let text: string;
  try {
    const r = await fetch(url);
    if (!r.ok) return `The model ${file} could not be fetched (HTTP ${r.status}).`;
    text = await r.text();
  } catch (e) {
    return `The model ${file} could not be fetched (${(e as Error).message}).`;
  }
  try {
    if (speakerIndependent) {
      const r = baseRecognizer = Recognizer.fromJSON(text, { source: file, engine });
      hmm = recognizerScorer(r, file);
      sequence.make = () => ConnectedDigits.fromRecognizer(r, { engine });
    } else {
      const c = parseClassifier(text, file, engine);
      hmm = labScorer(c, file);
      sequence.make = () => ConnectedDigits.fromClassifier(c, { engine });
    }
    return null;
  } catch (e) {
    const why = e instanceof ModelFormatError ? e.message : `${file}: ${(e as Error).message}`;
    const retrain = speakerIndependent ? `speechcore train ... --out ${file}` : `speechcore hmm train ... --out ${file}`;
    return `The model could not be loaded — it is missing parts or corrupt (${why}). Retrain it with \`${retrain}\`.`;
  }
}

/** `speechcore train`'s recogniser: its own front end (resampling aside: done before). */
function recognizerScorer(r: Recognizer, file: string): Scorer {
  const m0 = r.classifier.models[0]!;
  const info: HmmInfo = {
    file, kind: 'recognizer', labels: [...r.labels], nStates: m0.nStates, nMix: m0.nMix, covarianceType: m0.covarianceType,
    algorithm: r.algorithm, sampleRate: r.features.sampleRate, nMfcc: r.features.nMfcc,
  };
  return {
    file, labels: info.labels, sampleRate: r.features.sampleRate, nFft: r.features.nFft, hopLength: r.features.hopLength, nStates: m0.nStates, info,
    features: (y) => r.frames(y, r.features.sampleRate),
    score: (m) => Array.from(r.classifier.scores([m], r.algorithm)[0]!),
  };
}

/** The lab's HMM file: MFCC as at training (pipeline/extract.ts featuresOf), then its scaler. */
function labScorer(c: LoadedClassifier, file: string): Scorer {
  const classifier = new HmmClassifier({ engine });
  classifier.models = c.models;
  classifier.labels = c.labels;
  const m0 = c.models[0]!;
  const info: HmmInfo = {
    file, kind: 'hmm', labels: c.labels, nStates: m0.nStates, nMix: m0.nMix, covarianceType: m0.covarianceType,
    algorithm: c.algorithm, sampleRate: c.sampleRate, nMfcc: c.features.nMfcc,
  };
  return {
    file, labels: c.labels, sampleRate: c.sampleRate, nFft: c.features.nFft, hopLength: c.features.hopLength, nStates: m0.nStates, info,
    features: (y) => standardised(y, c),
    score: (m) => Array.from(classifier.scores([m], c.algorithm)[0]!),
  };
}

async function loadLstmFile(file: string): Promise<LstmState> {
  const t0 = now();
  try {
    const r = await fetch(new URL(`models/${file}`, base));
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const text = await r.text();
    const { loadLstm } = await import('./lstm.ts');
    lstm = await loadLstm(text, file, new URL('tfjs/', base).href, engine);
    return { state: 'ready', file, hidden: lstm.hidden, bidirectional: lstm.bidirectional, ms: now() - t0 };
  } catch (e) {
    lstm = null;
    return { state: 'failed', file, message: `The LSTM (${file}) is not available: ${(e as Error).message}` };
  }
}

// ---- digit sequences --------------------------------------------------------------------------------

function digitsDecoder(): ConnectedDigits {
  if (!sequence.make) throw new UserError('Sequence mode needs a digit model, and none is loaded (see above).');
  return sequence.decoder ??= sequence.make();
}

/** Sequence mode on the microphone: one DigitStream, answered block by block (protocol.ts DigitsUpdate). */
function digitsStream(m: Extract<ToWorker, { type: 'digitsStart' | 'digitsChunk' | 'digitsStop' }>): void {
  const t0 = now();
  if (m.type === 'digitsStart') {
    live = { id: m.id, stream: digitsDecoder().stream({ sampleRate: m.sampleRate, endpoint: m.endpoint }), last: -1 };
    post({ type: 'digits', id: m.id, index: -1, partial: { digits: '', words: [] }, finals: [], ms: now() - t0, done: false });
    return;
  }
  const s = live?.id === m.id ? live : null;
  if (m.type === 'digitsChunk') {
    // Blocks still queued after a stream failed or was replaced belong to a stream that is gone.
    if (!s) return;
    s.last = m.index;
    const u = s.stream.push(m.samples);
    post({ type: 'digits', id: m.id, index: m.index, partial: u.partial, finals: u.finals, ms: now() - t0, done: false });
    return;
  }
  if (s) live = null;
  let finals: DigitsResult[] = [];
  // The page waits for `done` whatever happened to the stream (it may never have started).
  try {
    if (s) finals = s.stream.flush();
  } finally {
    post({ type: 'digits', id: m.id, index: s?.last ?? -1, partial: { digits: '', words: [] }, finals, ms: now() - t0, done: true });
  }
}

/** Sequence mode on a file: every digit in it (both passes), at the models' rate. */
function digitsFile(id: number, name: string, bytes: ArrayBuffer): DigitsFileResult {
  const t0 = now();
  const wav = readWav(name, bytes, 'a WAV recording of spoken digits');
  const decodeMs = now() - t0;
  const notes: string[] = [];
  if (wav.channels > 1) notes.push(`${wav.channels} channels mixed to mono`);
  const durationS = wav.samples.length / wav.sampleRate;
  if (durationS > MAX_SEQUENCE_SECONDS) {
    throw new UserError(`“${name}” is ${durationS.toFixed(1)} s long; sequence mode decodes recordings up to ${MAX_SEQUENCE_SECONDS} s. Trim it and try again.`);
  }
  checkAudible(name, wav.samples, durationS);
  const decoder = digitsDecoder();
  let y = wav.samples;
  let resampleMs = 0;
  if (wav.sampleRate !== decoder.sampleRate) {
    const t1 = now();
    y = resample(y, { origSr: wav.sampleRate, targetSr: decoder.sampleRate, resType: 'kaiser_best' });
    resampleMs = now() - t1;
    notes.push(`resampled ${wav.sampleRate} → ${decoder.sampleRate} Hz`);
  }
  const t2 = now();
  const result = decoder.decode(y, decoder.sampleRate);
  const digitsMs = now() - t2;
  return {
    type: 'digitsFile', id, name, result, waveform: y === wav.samples ? y.slice() : y, sampleRate: decoder.sampleRate, origSampleRate: wav.sampleRate,
    durationS, timings: { decodeMs, resampleMs, digitsMs }, notes,
  };
}

// ---- analysis --------------------------------------------------------------------------------------

/** The WAV in `bytes`, or a UserError saying what the file is instead (`wanted`: what to drop). */
function readWav(name: string, bytes: ArrayBuffer, wanted: string): DecodedWav {
  try {
    return decodeWav(new Uint8Array(bytes));
  } catch (e) {
    if (!(e instanceof WavFormatError)) throw e;
    const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
    const magic = String.fromCharCode(...head);
    if (bytes.byteLength === 0) throw new UserError(`“${name}” is empty (0 bytes). Drop ${wanted}.`);
    if (magic !== 'RIFF') throw new UserError(`“${name}” is not a WAV file (it starts with ${JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '?'))}, not "RIFF"). Drop ${wanted.replace(/^a WAV/, 'a .wav')}.`);
    throw new UserError(`“${name}” is a WAV file this page cannot read: ${e.message}.`);
  }
}

/** Refuses clips too short to hold a word, and silent ones. */
function checkAudible(name: string, samples: Float32Array, durationS: number): void {
  if (durationS < MIN_SECONDS) throw new UserError(`“${name}” is only ${(durationS * 1000).toFixed(0)} ms long: too short to hold a spoken digit.`);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  const peakDb = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  if (peakDb < SILENCE_PEAK_DB) {
    throw new UserError(`“${name}” is silent (peak level ${Number.isFinite(peakDb) ? peakDb.toFixed(0) + ' dBFS' : '−∞ dBFS, all zeros'}): there is nothing to recognise.`);
  }
}

function analyzeFile(id: number, name: string, bytes: ArrayBuffer): Analysis {
  const t0 = now();
  const wav = readWav(name, bytes, 'a WAV recording of one spoken digit');
  const decodeMs = now() - t0;
  const notes: string[] = [];
  if (wav.channels > 1) notes.push(`${wav.channels} channels mixed to mono`);
  return analyzeSamples(id, name, wav.samples, wav.sampleRate, decodeMs, notes);
}

/**
 * Analyses one utterance. `trim` (microphone recordings): cut to the frames within 40 dB of the
 * loudest, as FSDD's files are, after resampling (endpoint.ts speechSpan); files are taken as they are.
 */
function analyzeSamples(id: number, name: string, samples: Float32Array, sampleRate: number, decodeMs: number, notes: string[], trim = false): Analysis {
  const durationS = samples.length / sampleRate;
  if (durationS > MAX_SECONDS) {
    throw new UserError(`“${name}” is ${durationS.toFixed(1)} s long; this page recognises one spoken digit, so it analyses clips up to ${MAX_SECONDS} s. Trim it and try again.`);
  }
  checkAudible(name, samples, durationS);
  const targetSr = hmm?.sampleRate ?? lstm?.sampleRate ?? 8000;
  let y = samples;
  let resampleMs = 0;
  if (sampleRate !== targetSr) {
    const t0 = now();
    y = resample(samples, { origSr: sampleRate, targetSr, resType: 'kaiser_best' });
    resampleMs = now() - t0;
    notes.push(`resampled ${sampleRate} → ${targetSr} Hz`);
  }
  if (trim) {
    const [a, b] = speechSpan(y, hmm?.nFft ?? 240, hmm?.hopLength ?? 120, 40);
    if (a > 0 || b < y.length) notes.push(`trimmed to ${((b - a) / targetSr).toFixed(2)} s of speech`);
    y = y.subarray(a, b);
  }
  const t1 = now();
  const feats = features(y);
  const t2 = now();
  let hmmOut: Analysis['hmm'] = null;
  let digit: number | null = null;
  if (hmm) {
    const logLik = score(feats);
    if (logLik.every((v) => v === -Infinity)) {
      throw new UserError(`“${name}” is too short for the models (${feats.rows} frames; the ${hmm.nStates}-state models need more).`);
    }
    digit = hmm.labels[argmax(logLik)]!;
    hmmOut = { labels: hmm.labels, logLik, frames: feats.rows };
  }
  const t3 = now();
  let lstmOut: Analysis['lstm'] = null;
  if (lstm) {
    try {
      lstmOut = lstm.predict(y, targetSr);
    } catch (e) {
      notes.push(`LSTM failed on this input: ${(e as Error).message}`);
    }
  } else if (lstmState.state === 'loading') notes.push('the LSTM is still loading');
  const t4 = now();
  lastUtterance = y;
  const timings: Timings = { decodeMs, resampleMs, featuresMs: t2 - t1, hmmMs: t3 - t2, lstmMs: t4 - t3 };
  return {
    type: 'result', id, name, digit, hmm: hmmOut, lstm: lstmOut, waveform: y.slice(), sampleRate: targetSr, origSampleRate: sampleRate,
    mfcc: feats.data, frames: feats.rows, nMfcc: feats.cols, durationS: y.length / targetSr, timings, notes,
  };
}

/** The model's front end; without a model, the lab's, standardised per utterance (for the picture only). */
function features(y: Float32Array): Matrix {
  return hmm ? hmm.features(y) : standardised(y, null);
}

/** MFCC of a lab HMM file's front end and its scaler, or (c null) the lab's standardised per utterance. */
function standardised(y: Float32Array, c: LoadedClassifier | null): Matrix {
  const f = c?.features ?? LAB_FEATURES;
  const m = mfcc(y, { sr: c?.sampleRate ?? 8000, nMfcc: f.nMfcc, nFft: f.nFft, hopLength: f.hopLength, nMels: f.nMels, engine });
  const D = m.cols;
  let mean: ArrayLike<number>, scale: ArrayLike<number>;
  if (c) {
    mean = c.scaler.mean!; scale = c.scaler.scale!;
  } else {
    const mu = new Float64Array(D), sd = new Float64Array(D);
    for (let k = 0; k < m.data.length; k++) mu[k % D] += m.data[k]! / m.rows;
    for (let k = 0; k < m.data.length; k++) sd[k % D] += (m.data[k]! - mu[k % D]!) ** 2 / m.rows;
    mean = mu; scale = sd.map((v) => Math.sqrt(v) || 1);
  }
  for (let k = 0; k < m.data.length; k++) m.data[k] = (m.data[k]! - mean[k % D]!) / scale[k % D]!;
  return m;
}

function score(m: Matrix): number[] {
  return hmm!.score(m);
}

/**
 * Adapts the recogniser to the person using the page (Recognizer.enroll: MAP adaptation of the
 * means) with every utterance labelled so far, always starting from the speaker-independent model.
 */
function enroll(id: number, digit: number | null): void {
  if (!baseRecognizer || !hmm) {
    post({ type: 'error', id, name: 'enroll', message: 'Teaching needs a recogniser made by `speechcore train` (recognizer.json); the lab HMM cannot be adapted here.' });
    return;
  }
  if (digit === null) enrolment.length = 0;
  else {
    if (!lastUtterance) {
      post({ type: 'error', id, name: 'enroll', message: 'Say or drop a digit first, then tell the page which digit it was.' });
      return;
    }
    enrolment.push({ samples: lastUtterance, sampleRate: hmm.sampleRate, digit });
  }
  const r = enrolment.length ? baseRecognizer.enroll(enrolment) : baseRecognizer;
  hmm = recognizerScorer(r, hmm.file);
  sequence.make = () => ConnectedDigits.fromRecognizer(r, { engine });
  sequence.decoder = null;
  post({ type: 'enrolled', id, utterances: enrolment.length, digits: [...new Set(enrolment.map((u) => u.digit))].sort((a, b) => a - b) });
}

function bench(id: number, seconds: number, repeats: number): void {
  if (!hmm) {
    post({ type: 'error', id, name: 'bench', message: 'No HMM is loaded: nothing to time.' });
    return;
  }
  const n = Math.round(seconds * hmm.sampleRate);
  const y = new Float32Array(n);
  const src = lastUtterance && lastUtterance.length ? lastUtterance : null;
  for (let i = 0; i < n; i++) y[i] = src ? src[i % src.length]! : 0.1 * Math.sin(i * 0.37) * Math.sin(i * 0.0013);
  const mic = new Float32Array(Math.round(seconds * 48000));
  for (let i = 0; i < mic.length; i++) mic[i] = y[Math.floor(i / 6) % n]!;
  // Without cross-origin isolation, performance.now() is coarsened to 0.1 ms in workers: each
  // sample is the mean of BATCH back-to-back runs.
  const BATCH = 10;
  const featuresMs: number[] = [], hmmMs: number[] = [], totalMs: number[] = [], resample48kMs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let f = features(y);
    const t0 = now();
    for (let k = 0; k < BATCH; k++) f = features(y);
    const t1 = now();
    for (let k = 0; k < BATCH; k++) score(f);
    const t2 = now();
    resample(mic, { origSr: 48000, targetSr: hmm.sampleRate, resType: 'kaiser_best' });
    const t3 = now();
    featuresMs.push((t1 - t0) / BATCH); hmmMs.push((t2 - t1) / BATCH); totalMs.push((t2 - t0) / BATCH); resample48kMs.push(t3 - t2);
  }
  post({ type: 'bench', id, seconds, repeats, featuresMs, hmmMs, totalMs, resample48kMs });
}
