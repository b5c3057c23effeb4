/**
 * The live digit page, in two modes.
 * - **One digit** (the default): records one utterance from the microphone (AudioWorklet +
 *   endpointing, automatic stop on silence) or takes a dropped WAV, hands it to the worker, and
 *   shows the digit (`data-testid="prediction"`), the per-digit scores as bars, the waveform and
 *   the MFCC image.
 * - **A sequence** (a PIN, a phone number): streams the microphone's blocks to the worker's digit
 *   stream as they arrive and shows its partial hypothesis greyed while the person speaks
 *   (`sequence-partial`), then each utterance's final digits once they pause
 *   (`sequence-final`, the finals of successive utterances joined). Recording ends with Stop, or
 *   `pause` seconds after a final with no speech since. A dropped WAV is decoded whole, each
 *   digit shown with its times.
 * Everything it loads comes from its own origin.
 *
 * URL parameters (for tests and demos): `silence=S` gives up after S seconds without an utterance
 * (default 5), `maxSpeech=S` stops an utterance longer than S seconds (default 10); sequence mode:
 * `endpoint=S`, the pause that ends an utterance (default 0.5), `pause=S`, the quiet after a final
 * that ends the recording (default 2), `maxSequence=S` (default 60), and `mode=sequence` to start in it.
 *
 * @module
 */
import { Endpointer, type EndpointOutcome } from './endpoint.ts';
import type { DigitsResult, DigitWord } from 'speechcore';
import type { Analysis, DigitsFileResult, DigitsUpdate, FromWorker, LstmState, ToWorker } from './protocol.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  status: $('status'), message: $('message'), record: $<HTMLButtonElement>('record'), recordLabel: $('record-label'),
  drop: $('drop'), file: $<HTMLInputElement>('file'), level: $('level-bar'), threshold: $('level-threshold'),
  prediction: $<HTMLOutputElement>('prediction'), source: $('prediction-source'), hmmBars: $('hmm-bars'),
  lstmTitle: $('lstm-title'), lstmBars: $('lstm-bars'), wave: $<HTMLCanvasElement>('wave'), waveCaption: $('wave-caption'),
  mfcc: $<HTMLCanvasElement>('mfcc'), mfccCaption: $('mfcc-caption'), timing: $('timing'), about: $('about'),
  teach: $('teach'), teachDigits: $('teach-digits'), teachReset: $<HTMLButtonElement>('teach-reset'), teachStatus: $('teach-status'),
  result: document.querySelector<HTMLElement>('section.result')!, plots: document.querySelector<HTMLElement>('section.plots')!,
  modes: Array.from(document.querySelectorAll<HTMLInputElement>('input[name=mode]')),
  sequence: $('sequence-box'), seqFinal: $('sequence-final'), seqPartial: $('sequence-partial'), seqEmpty: $('sequence-empty'),
  seqWords: $('sequence-words'), seqFigure: $('sequence-figure'), seqWave: $<HTMLCanvasElement>('sequence-wave'), seqWaveCaption: $('sequence-wave-caption'),
};

const params = new URLSearchParams(location.search);
const num = (k: string, d: number) => (params.has(k) && Number(params.get(k)) > 0 ? Number(params.get(k)) : d);
const SILENCE_TIMEOUT_S = num('silence', 5);
const MAX_SPEECH_S = num('maxSpeech', 10);
/**
 * A pause this long ends an utterance of a sequence. Readers of a PIN pause ~0.3 s between digits:
 * at 0.5 s those pauses rarely split a number, so its digits are decoded together (on FSDD digits
 * joined with 0.3 s pauses, the stream's default 0.25 s finalised nearly every digit on its own,
 * leaving nothing to show as partial).
 */
const SEQ_ENDPOINT_S = num('endpoint', 0.5);
const SEQ_PAUSE_S = num('pause', 2);
/** How long the page waits for the worker to answer a stop before closing the microphone anyway, ms. */
const STOP_TIMEOUT_MS = 5000;
const MAX_SEQUENCE_S = num('maxSequence', 60);

// ---- worker -----------------------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map<number, (m: FromWorker) => void>();
let ready = false;
let hmmLoaded = false;
/** Whether the loaded model can be adapted to the user (a `speechcore train` recogniser). */
let canTeach = false;
let lstmState: LstmState = { state: 'absent' };
let lastResult: Analysis | null = null;
/** Where the worker's answers to the digit stream under way go. */
let digitsListener: { id: number; on(m: DigitsUpdate): void } | null = null;
/** Finished operations (analyses, refused inputs, recordings that ended without one): tests wait on it. */
let finished = 0;
const conclude = () => { finished++; document.body.dataset.finished = String(finished); };

function request(m: ToWorker, transfer: Transferable[] = []): Promise<FromWorker> {
  return new Promise((resolve) => {
    pending.set(m.id, resolve);
    worker.postMessage(m, transfer);
  });
}

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case 'ready': {
      ready = true;
      hmmLoaded = !!m.hmm;
      canTeach = m.hmm?.kind === 'recognizer';
      lstmState = m.lstm;
      const ms = performance.now();
      document.body.dataset.ready = 'true';
      document.body.dataset.readyMs = ms.toFixed(1);
      ui.record.disabled = false;
      const model = m.hmm
        ? `${m.hmm.kind === 'recognizer' ? 'speaker-independent recogniser' : 'lab HMM'}: ${m.hmm.nStates} states × ${m.hmm.nMix} ${m.hmm.covarianceType} Gaussians, ` +
          `${m.hmm.labels.length} digits, ${m.hmm.nMfcc} MFCC${m.hmm.kind === 'recognizer' ? ' + Δ + ΔΔ' : ''} at ${m.hmm.sampleRate} Hz`
        : 'no HMM';
      ui.status.textContent = `Ready in ${ms.toFixed(0)} ms · ${m.simd ? 'SIMD' : 'scalar'} engine · ${model}`;
      ui.about.textContent = `Engine ${m.timings.engineMs.toFixed(0)} ms, models ${m.timings.modelsMs.toFixed(0)} ms, warm-up ${m.timings.warmupMs.toFixed(0)} ms` +
        (m.hmm ? ` · model file models/${m.hmm.file} (${m.hmm.algorithm} scoring)` : '') + ` · ${lstmText(m.lstm)}`;
      if (m.hmmProblem) say(m.hmmProblem, true);
      break;
    }
    case 'lstm':
      lstmState = m.lstm;
      ui.about.textContent = ui.about.textContent!.replace(/ · [^·]*$/, ` · ${lstmText(m.lstm)}`);
      if (m.lstm.state === 'failed') say(m.lstm.message, !hmmLoaded);
      break;
    case 'fatal':
      say(m.message, true);
      ui.status.textContent = 'Not ready';
      break;
    case 'digits':
      if (m.id === digitsListener?.id) digitsListener.on(m);
      break;
    default: {
      const done = pending.get(m.id);
      pending.delete(m.id);
      done?.(m);
    }
  }
};
worker.onerror = (e) => say(`The recogniser stopped: ${e.message || 'the worker failed to load'}. Reload the page.`, true);

function lstmText(s: LstmState): string {
  switch (s.state) {
    case 'absent': return 'no LSTM checkpoint';
    case 'loading': return `LSTM ${s.file} loading…`;
    case 'ready': return `LSTM ${s.file} (${s.bidirectional ? 'bi' : ''}LSTM ${s.hidden}, loaded in ${s.ms.toFixed(0)} ms)`;
    case 'failed': return `LSTM unavailable`;
  }
}

// ---- messages ---------------------------------------------------------------------------------------

function say(text: string, error = false): void {
  ui.message.textContent = text;
  ui.message.classList.toggle('error', error);
  ui.message.dataset.kind = error ? 'error' : 'info';
}

// ---- analysis ---------------------------------------------------------------------------------------

async function analyze(m: ToWorker, transfer: Transferable[]): Promise<void> {
  const r = await request(m, transfer);
  if (r.type === 'error') say(r.message, true);
  else if (r.type === 'result') {
    lastResult = r;
    show(r);
    ui.teach.hidden = !canTeach;
  }
  conclude();
}

function show(r: Analysis): void {
  ui.prediction.textContent = r.digit === null ? '–' : String(r.digit);
  ui.prediction.dataset.name = r.name;
  ui.source.textContent = r.digit === null ? '' : `HMM${r.lstm ? ` · LSTM says ${r.lstm.digit}` : ''}`;
  const where = `${r.name} · ${r.durationS.toFixed(2)} s${r.notes.length ? ' · ' + r.notes.join(' · ') : ''}`;
  if (r.digit === null) say(`${where}. No HMM is loaded, so there is no prediction (see above).`, true);
  else say(`Heard “${r.digit}” in ${where}.`);
  bars(ui.hmmBars, r.hmm ? r.hmm.labels.map((label, j) => {
    const best = Math.max(...r.hmm!.logLik);
    const d = (r.hmm!.logLik[j]! - best) / r.hmm!.frames;
    return { label, value: Number.isFinite(d) ? Math.exp(d) : 0, text: Number.isFinite(d) ? `${d.toFixed(2)}/frame` : '—' };
  }) : []);
  ui.lstmTitle.hidden = ui.lstmBars.hidden = !r.lstm;
  if (r.lstm) bars(ui.lstmBars, r.lstm.labels.map((label, j) => ({ label, value: r.lstm!.proba[j]!, text: `${(100 * r.lstm!.proba[j]!).toFixed(1)} %` })));
  drawWave(ui.wave, r.waveform);
  ui.waveCaption.textContent = `Waveform at ${r.sampleRate} Hz${r.origSampleRate !== r.sampleRate ? ` (from ${r.origSampleRate} Hz)` : ''}, ${r.durationS.toFixed(2)} s`;
  drawMfcc(ui.mfcc, r.mfcc, r.frames, r.nMfcc);
  ui.mfccCaption.textContent = `MFCC the model sees: ${r.nMfcc} features × ${r.frames} frames, normalised (c0 at the bottom)`;
  const t = r.timings;
  const parts = [`features ${t.featuresMs.toFixed(2)} ms`, `HMM ${t.hmmMs.toFixed(2)} ms`];
  if (t.resampleMs) parts.push(`resampling ${t.resampleMs.toFixed(2)} ms`);
  if (t.decodeMs) parts.push(`WAV decode ${t.decodeMs.toFixed(2)} ms`);
  if (r.lstm) parts.push(`LSTM ${t.lstmMs.toFixed(1)} ms`);
  ui.timing.textContent = `In the worker: ${parts.join(' · ')}`;
}

function bars(el: HTMLElement, rows: { label: number; value: number; text: string }[]): void {
  const best = rows.reduce((b, r, i) => (r.value > rows[b]!.value ? i : b), 0);
  el.replaceChildren(...rows.flatMap((r, i) => {
    const name = document.createElement('span');
    name.textContent = String(r.label);
    const track = document.createElement('div');
    track.className = 'track';
    const fill = document.createElement('div');
    fill.className = 'fill';
    fill.style.width = `${Math.max(0, Math.min(1, r.value)) * 100}%`;
    track.append(fill);
    const val = document.createElement('span');
    val.className = 'val';
    val.textContent = r.text;
    if (i === best) name.className = 'best';
    return [name, track, val];
  }));
}

function fitCanvas(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.max(1, Math.round(c.clientWidth * dpr));
  c.height = Math.max(1, Math.round(c.clientHeight * dpr));
  return c.getContext('2d')!;
}

/** The waveform, min–max per pixel column; `spans` (fractions of its length) shaded behind it. */
function drawWave(c: HTMLCanvasElement, y: Float32Array, spans: [number, number][] = []): void {
  const g = fitCanvas(c), W = c.width, H = c.height;
  g.clearRect(0, 0, W, H);
  g.fillStyle = '#e3ebfb';
  for (const [a, b] of spans) g.fillRect(Math.round(a * W), 0, Math.max(1, Math.round((b - a) * W)), H);
  let peak = 1e-6;
  for (let i = 0; i < y.length; i++) peak = Math.max(peak, Math.abs(y[i]!));
  g.fillStyle = '#2f6fdf';
  for (let x = 0; x < W; x++) {
    const a = Math.floor((x * y.length) / W), b = Math.max(a + 1, Math.floor(((x + 1) * y.length) / W));
    let lo = Infinity, hi = -Infinity;
    for (let i = a; i < b && i < y.length; i++) { lo = Math.min(lo, y[i]!); hi = Math.max(hi, y[i]!); }
    if (lo === Infinity) continue;
    const top = H / 2 - (hi / peak) * (H / 2 - 2), bottom = H / 2 - (lo / peak) * (H / 2 - 2);
    g.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
}

/** Standardised values −3 … 3 on a dark-blue → teal → yellow ramp. */
function color(v: number): [number, number, number] {
  const t = Math.max(0, Math.min(1, (v + 3) / 6));
  const stops: [number, number, number][] = [[32, 24, 82], [36, 110, 160], [40, 170, 140], [160, 210, 80], [250, 230, 60]];
  const s = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(s)), f = s - i;
  return [0, 1, 2].map((k) => Math.round(stops[i]![k]! + f * (stops[i + 1]![k]! - stops[i]![k]!))) as [number, number, number];
}

function drawMfcc(c: HTMLCanvasElement, m: Float32Array, frames: number, dims: number): void {
  const g = fitCanvas(c);
  const img = g.createImageData(frames, dims);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dims; d++) {
      const [r, gg, b] = color(m[t * dims + d]!);
      const o = ((dims - 1 - d) * frames + t) * 4;
      img.data[o] = r; img.data[o + 1] = gg; img.data[o + 2] = b; img.data[o + 3] = 255;
    }
  }
  const tmp = document.createElement('canvas');
  tmp.width = frames; tmp.height = dims;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(tmp, 0, 0, c.width, c.height);
}

// ---- files --------------------------------------------------------------------------------------------

async function takeFile(f: File | undefined): Promise<void> {
  if (!f) return;
  const refuse = (text: string) => { say(text, true); conclude(); };
  if (!ready) return refuse('The recogniser is still loading; try again in a moment.');
  if (recording) return refuse('Stop the recording first, then drop the file.');
  say(`Analysing ${f.name}…`);
  if (mode === 'sequence') {
    if (f.size > 64 << 20) return refuse(`“${f.name}” is ${(f.size / (1 << 20)).toFixed(0)} MB: far longer than a spoken number. Use a clip under a minute.`);
    const bytes = await f.arrayBuffer();
    return analyzeSequenceFile(f.name, bytes);
  }
  if (f.size > 64 << 20) return refuse(`“${f.name}” is ${(f.size / (1 << 20)).toFixed(0)} MB: far longer than one spoken digit. Use a clip under 10 s.`);
  const bytes = await f.arrayBuffer();
  await analyze({ type: 'analyzeFile', id: nextId++, name: f.name, bytes }, [bytes]);
}

ui.file.addEventListener('change', () => {
  void takeFile(ui.file.files?.[0]);
  ui.file.value = '';
});
for (const t of [document.documentElement, ui.drop]) {
  t.addEventListener('dragover', (e) => { e.preventDefault(); ui.drop.classList.add('over'); });
  t.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
}
document.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const f = e.dataTransfer?.files?.[0];
  if (!f) { say('Nothing usable was dropped: drop a WAV file.', true); conclude(); return; }
  void takeFile(f);
});

// ---- microphone ---------------------------------------------------------------------------------------

let recording: { stop(): void } | null = null;

ui.record.addEventListener('click', () => {
  if (recording) recording.stop();
  else void (mode === 'sequence' ? recordSequence() : record());
});

function setRecording(on: boolean): void {
  ui.record.classList.toggle('recording', on);
  ui.recordLabel.textContent = on ? 'Stop' : 'Record';
  // The mode of a recording under way is fixed; switching would strand its stream.
  for (const r of ui.modes) r.disabled = on;
}

/** getUserMedia failures in words. */
function micError(e: unknown): string {
  const name = (e as DOMException)?.name ?? '';
  switch (name) {
    case 'NotAllowedError': case 'SecurityError':
      return 'Microphone permission was denied, so nothing was recorded. Allow the microphone for this page (the icon in the address bar), or drop a WAV file instead.';
    case 'NotFoundError': case 'OverconstrainedError':
      return 'No microphone was found. Connect one and try again, or drop a WAV file instead.';
    case 'NotReadableError': case 'AbortError':
      return 'The microphone could not be opened (is another application using it?). Try again, or drop a WAV file instead.';
    default:
      return `The microphone could not be opened (${name || 'error'}: ${(e as Error)?.message ?? e}). Drop a WAV file instead.`;
  }
}

/** An open microphone feeding the recorder worklet (2048-sample blocks at ctx.sampleRate on node.port). */
interface Mic { ctx: AudioContext; node: AudioWorkletNode; close(): Promise<void> }

/**
 * Opens the microphone and starts the recorder worklet; on failure says why in words, ends the
 * recording and returns null.
 */
async function openMic(): Promise<Mic | null> {
  const fail = (text: string) => { recording = null; setRecording(false); say(text, true); conclude(); return null; };
  if (!navigator.mediaDevices?.getUserMedia) {
    return fail('This browser gives no microphone access here: it needs a secure context (https, or http://localhost). Drop a WAV file instead.');
  }
  say('Opening the microphone…');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
  } catch (e) {
    return fail(micError(e));
  }
  const ctx = new AudioContext();
  const close = async () => {
    stream.getTracks().forEach((t) => t.stop());
    await ctx.close().catch(() => {});
    ui.level.style.width = '0';
    ui.threshold.style.opacity = '0';
    recording = null;
    setRecording(false);
  };
  try {
    await ctx.audioWorklet.addModule(new URL('./recorder.worklet.js', import.meta.url));
    await ctx.resume();
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'speechcore-recorder', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    source.connect(node);
    node.connect(ctx.destination); // the processor outputs silence; the connection keeps it running
    return { ctx, node, close };
  } catch (e) {
    await close();
    return fail(`Recording failed: ${(e as Error).message}`);
  }
}

/** The level meter: the latest 20 ms frame and the endpointer's speech threshold, −70…0 dBFS. */
function meter(ep: Endpointer): void {
  ui.level.style.width = `${Math.max(0, Math.min(100, (ep.lastDb + 70) * (100 / 70)))}%`;
  ui.threshold.style.left = `${Math.max(0, Math.min(100, (ep.thresholdDb + 70) * (100 / 70)))}%`;
  ui.threshold.style.opacity = '0.6';
}

/** Why a recording heard nothing, in words (null: it heard an utterance). */
function nothingHeard(outcome: EndpointOutcome, what: string): string | null {
  switch (outcome.kind) {
    case 'silent':
      return `Heard only silence for ${outcome.afterS.toFixed(1)} s (loudest moment ${outcome.peakDb <= -199 ? 'digital silence' : outcome.peakDb.toFixed(0) + ' dBFS'}), so nothing was recognised. Is the microphone muted or turned down? Press Record and say ${what}.`;
    case 'noisy':
      return `The input never went quiet (background level ${outcome.floorDb.toFixed(0)} dBFS), so no single word could be picked out. Try a quieter place, or drop a WAV file.`;
    default:
      return null;
  }
}

async function record(): Promise<void> {
  if (!ready) return;
  let stopRequested = false;
  recording = { stop() { stopRequested = true; } };
  setRecording(true);
  const mic = await openMic();
  if (!mic) return;
  let outcome: EndpointOutcome;
  try {
    const ep = new Endpointer({ sampleRate: mic.ctx.sampleRate, silenceTimeoutS: SILENCE_TIMEOUT_S, maxSpeechS: MAX_SPEECH_S });
    say('Get ready…');
    outcome = await new Promise<EndpointOutcome>((resolve) => {
      let last = ep.state;
      recording = { stop() { resolve(ep.stop()); } };
      if (stopRequested) { resolve(ep.stop()); return; }
      mic.node.port.onmessage = (e: MessageEvent<Float32Array>) => {
        const state = ep.push(e.data);
        meter(ep);
        if (state !== last) {
          last = state;
          if (state === 'waiting') say('Speak now: one digit.');
          if (state === 'speech') say('Hearing you…');
        }
        if (state === 'done') resolve(ep.outcome!);
      };
    });
  } catch (e) {
    await mic.close();
    say(`Recording failed: ${(e as Error).message}`, true);
    conclude();
    return;
  }
  const rate = mic.ctx.sampleRate;
  await mic.close();
  if (outcome.kind !== 'utterance') conclude();
  if (outcome.kind === 'too-long') {
    say(`Stopped after ${outcome.afterS.toFixed(1)} s of continuous sound: this page recognises one spoken digit. Press Record, say one digit, then pause.`, true);
    return;
  }
  if (outcome.kind !== 'utterance') {
    say(nothingHeard(outcome, 'one digit')!, true);
    return;
  }
  say('Analysing…');
  await analyze({ type: 'analyze', id: nextId++, name: `recording (${(outcome.endS - outcome.startS).toFixed(2)} s at ${rate} Hz)`, samples: outcome.samples, sampleRate: rate }, [outcome.samples.buffer]);
}

// ---- sequence mode ------------------------------------------------------------------------------------

type Mode = 'one' | 'sequence';
let mode: Mode = 'one';

/** What sequence mode shows (window.__speechcore.sequence reads it). */
interface SequenceView {
  source: 'microphone' | 'file' | null;
  /** Final digits (the finals of every utterance so far, joined) and the partial hypothesis after them. */
  final: string;
  partial: string;
  words: DigitWord[];
  /** Finals with digits, one per utterance. */
  utterances: number;
  live: boolean;
  timings: {
    /** Worker ms per microphone block. */
    blockMs: number[];
    /** Per final: block arrival at the page → final on screen, ms (the endpoint's own cost). */
    endpointToShownMs: number[];
    /** Per final: its last digit's end → on screen, s (the pause rule included). */
    speechEndToShownS: number[];
    /** Files: the decoding alone. */
    fileDigitsMs: number | null;
  };
}
let seqView: SequenceView = emptyView(null);

function emptyView(source: SequenceView['source']): SequenceView {
  return { source, final: '', partial: '', words: [], utterances: 0, live: false, timings: { blockMs: [], endpointToShownMs: [], speechEndToShownS: [], fileDigitsMs: null } };
}

function setMode(m: Mode): void {
  mode = m;
  const seq = m === 'sequence';
  ui.sequence.hidden = !seq;
  ui.result.hidden = ui.plots.hidden = seq;
  for (const r of ui.modes) r.checked = r.value === m;
  ui.timing.textContent = '';
  say(seq
    ? 'Press Record and say the digits (a PIN, a phone number); pause when you are done. Or drop a recording.'
    : 'Say one digit (zero to nine) after pressing Record, or drop a recording.');
}

for (const r of ui.modes) r.addEventListener('change', () => { if (r.checked) setMode(r.value as Mode); });
if (params.get('mode') === 'sequence') setMode('sequence');

/** Shows seqView: final digits, partial ones greyed, and each final digit with its times. */
function showSequence(): void {
  ui.seqFinal.textContent = seqView.final;
  ui.seqPartial.textContent = seqView.partial;
  ui.seqEmpty.hidden = !!(seqView.final || seqView.partial);
  ui.seqWords.replaceChildren(...seqView.words.map((w) => {
    const li = document.createElement('li');
    const d = document.createElement('b');
    d.textContent = String(w.digit);
    li.append(d, ` ${w.start.toFixed(2)}–${w.end.toFixed(2)} s${w.confidence === null ? '' : ` · ${(100 * w.confidence).toFixed(0)} %`}`);
    return li;
  }));
}

const spaced = (digits: string) => [...digits].join(' ');

/**
 * Sequence mode on the microphone: every block goes to the worker's digit stream as it arrives;
 * its answers update the display. The page's endpointer only drives the level meter and tells
 * speech from quiet for the end rules (no digits for SILENCE_TIMEOUT_S; SEQ_PAUSE_S of quiet
 * after a final; MAX_SEQUENCE_S; Stop).
 */
async function recordSequence(): Promise<void> {
  if (!ready) return;
  let stopRequested = false;
  recording = { stop() { stopRequested = true; } };
  setRecording(true);
  seqView = emptyView('microphone');
  seqView.live = true;
  ui.seqFigure.hidden = true;
  showSequence();
  const mic = await openMic();
  if (!mic) { seqView.live = false; return; }
  const rate = mic.ctx.sampleRate;
  const id = nextId++;
  /** Per block sent: its end in stream seconds and when the page had it. */
  const blocks: { endS: number; at: number }[] = [];
  let sentS = 0, lastSpeechS = 0, lastFinalS = -Infinity;
  let ep = new Endpointer({ sampleRate: rate, silenceTimeoutS: SILENCE_TIMEOUT_S, maxSpeechS: MAX_SEQUENCE_S });
  /** How the recording ended (set by the closures below). */
  const ended: { why: 'stop' | 'pause' | 'quiet' | 'max' | 'error'; failure: string | null; quiet: EndpointOutcome | null } = { why: 'stop', failure: null, quiet: null };
  let ending = false;

  const stopped = new Promise<void>((resolve) => {
    digitsListener = {
      id,
      on(m) {
        if (m.index >= 0 && !m.done) seqView.timings.blockMs.push(m.ms);
        const heard = m.finals.filter((f) => f.digits !== '');
        for (const f of heard) {
          seqView.final += f.digits;
          seqView.words.push(...f.words);
          seqView.utterances++;
        }
        seqView.partial = m.partial.digits;
        showSequence();
        // A final flushed by Stop was not found by the endpoint: no latency to measure.
        if (heard.length && m.index >= 0 && !m.done) {
          const shown = performance.now(), b = blocks[m.index]!;
          const lastEnd = heard[heard.length - 1]!.words.at(-1)!.end;
          seqView.timings.endpointToShownMs.push(shown - b.at);
          seqView.timings.speechEndToShownS.push(b.endS - lastEnd + (shown - b.at) / 1000);
          lastFinalS = b.endS;
          say(`Heard “${spaced(seqView.final)}” so far; go on, or pause to finish.`);
        }
        timingLine();
        if (m.done) resolve();
      },
    };
    pending.set(id, (m) => {
      if (m.type === 'error') { ended.failure = m.message; ended.why = 'error'; end(); }
    });
    const end = () => {
      if (ending) return;
      ending = true;
      mic.node.port.onmessage = null;
      worker.postMessage({ type: 'digitsStop', id } satisfies ToWorker);
      // A worker that died never answers the stop: the microphone must still close.
      setTimeout(() => {
        if (seqView.live) {
          ended.failure ??= 'The recogniser did not finish the sequence (it may have stopped). Reload the page.';
          resolve();
        }
      }, STOP_TIMEOUT_MS);
    };
    recording = { stop: end };
    worker.postMessage({ type: 'digitsStart', id, sampleRate: rate, endpoint: SEQ_ENDPOINT_S } satisfies ToWorker);
    if (stopRequested) { end(); return; }
    say('Get ready…');
    mic.node.port.onmessage = (e: MessageEvent<Float32Array>) => {
      const block = e.data;
      const before = ep.state;
      const state = ep.push(block);
      meter(ep);
      sentS += block.length / rate;
      blocks.push({ endS: sentS, at: performance.now() });
      worker.postMessage({ type: 'digitsChunk', id, index: blocks.length - 1, samples: block } satisfies ToWorker, [block.buffer]);
      if (state === 'speech') lastSpeechS = sentS;
      if (state !== before && !seqView.final) {
        if (state === 'waiting') say('Speak now: the digits, then pause.');
        if (state === 'speech') say('Hearing you…');
      }
      const heardAny = !!(seqView.final || seqView.partial);
      if (state === 'done') {
        // The endpointer finds one utterance at a time: a fresh one for the next.
        if (!heardAny && nothingHeard(ep.outcome!, 'the digits')) { ended.quiet = ep.outcome; ended.why = 'quiet'; return end(); }
        // Until a digit is heard, the silence limit still applies (a cough is not a number).
        ep = new Endpointer({ sampleRate: rate, silenceTimeoutS: heardAny ? Infinity : SILENCE_TIMEOUT_S, maxSpeechS: MAX_SEQUENCE_S });
      }
      if (seqView.final && !seqView.partial && sentS - Math.max(lastSpeechS, lastFinalS) >= SEQ_PAUSE_S) { ended.why = 'pause'; return end(); }
      if (sentS >= MAX_SEQUENCE_S) { ended.why = 'max'; return end(); }
    };
  });
  await stopped;
  pending.delete(id);
  digitsListener = null;
  seqView.live = false;
  seqView.partial = '';
  showSequence();
  await mic.close();
  if (ended.failure) say(ended.failure, true);
  else if (seqView.final) {
    const tail = ended.why === 'pause' ? ` Stopped after ${SEQ_PAUSE_S} s of quiet.` : ended.why === 'max' ? ` Stopped at the ${MAX_SEQUENCE_S} s limit.` : '';
    say(`Heard “${spaced(seqView.final)}” (${seqView.final.length} digit${seqView.final.length === 1 ? '' : 's'}${seqView.utterances > 1 ? ` in ${seqView.utterances} utterances` : ''}).${tail}`);
  } else if (ended.quiet) say(nothingHeard(ended.quiet, 'the digits')!, true);
  else say('No digits were heard. Press Record, say the digits, then pause.', true);
  conclude();
}

/** The timing line of a microphone sequence: worker cost per block, and how late finals appear. */
function timingLine(): void {
  const t = seqView.timings;
  if (!t.blockMs.length) return;
  const sorted = t.blockMs.slice().sort((a, b) => a - b);
  const parts = [`${sorted[sorted.length >> 1]!.toFixed(2)} ms median per block, ${sorted[sorted.length - 1]!.toFixed(1)} ms at most (${t.blockMs.length} blocks)`];
  if (t.endpointToShownMs.length) {
    const i = t.endpointToShownMs.length - 1;
    parts.push(`last final on screen ${t.speechEndToShownS[i]!.toFixed(2)} s after its last digit ended: the ${SEQ_ENDPOINT_S} s pause that ends an utterance, ` +
      `the block filling, then ${t.endpointToShownMs[i]!.toFixed(0)} ms from the block's arrival (decoding and messages)`);
  }
  ui.timing.textContent = `In the worker: ${parts.join(' · ')}`;
}

/** Sequence mode on a file: the worker decodes it whole; each digit is shown with its times. */
async function analyzeSequenceFile(name: string, bytes: ArrayBuffer): Promise<void> {
  const r = await request({ type: 'digitsFile', id: nextId++, name, bytes }, [bytes]);
  if (r.type === 'error') say(r.message, true);
  else if (r.type === 'digitsFile') showSequenceFile(r);
  conclude();
}

function showSequenceFile(r: DigitsFileResult): void {
  const res: DigitsResult = r.result;
  seqView = emptyView('file');
  seqView.final = res.digits;
  seqView.words = res.words;
  seqView.utterances = res.digits ? 1 : 0;
  seqView.timings.fileDigitsMs = r.timings.digitsMs;
  showSequence();
  const where = `${r.name} · ${r.durationS.toFixed(2)} s${r.notes.length ? ' · ' + r.notes.join(' · ') : ''}`;
  if (res.digits) say(`Heard “${spaced(res.digits)}” (${res.digits.length} digit${res.digits.length === 1 ? '' : 's'}) in ${where}.`);
  else say(`No digits found in ${where}.`, true);
  ui.seqFigure.hidden = false;
  drawWave(ui.seqWave, r.waveform, res.words.map((w) => [w.start / r.durationS, w.end / r.durationS]));
  ui.seqWaveCaption.textContent = `Waveform at ${r.sampleRate} Hz${r.origSampleRate !== r.sampleRate ? ` (from ${r.origSampleRate} Hz)` : ''}, ${r.durationS.toFixed(2)} s; shaded: the digits found`;
  const t = r.timings;
  const parts = [`connected-digit decoding ${t.digitsMs.toFixed(1)} ms for ${r.durationS.toFixed(2)} s of audio`];
  if (t.resampleMs) parts.push(`resampling ${t.resampleMs.toFixed(2)} ms`);
  parts.push(`WAV decode ${t.decodeMs.toFixed(2)} ms`);
  ui.timing.textContent = `In the worker: ${parts.join(' · ')}`;
}

// ---- enrolment ------------------------------------------------------------------------------------------

for (let d = 0; d <= 9; d++) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = String(d);
  b.dataset.testid = `teach-${d}`;
  b.addEventListener('click', () => void teach(d));
  ui.teachDigits.append(b);
}
ui.teachReset.addEventListener('click', () => void teach(null));

/** Labels the last utterance as `digit` (null: forget all) and has the worker adapt the recogniser. */
async function teach(digit: number | null): Promise<void> {
  const r = await request({ type: 'enroll', id: nextId++, digit });
  if (r.type === 'error') say(r.message, true);
  else if (r.type === 'enrolled') {
    ui.teachStatus.textContent = r.utterances
      ? `Adapted to your voice from ${r.utterances} utterance${r.utterances === 1 ? '' : 's'} (digits ${r.digits.join(', ')}).`
      : 'Back to the speaker-independent recogniser.';
    ui.teachReset.hidden = r.utterances === 0;
    if (digit !== null) say(`Thanks: that was “${digit}”. The next recognitions use your voice too.`);
  }
  conclude();
}

// ---- hooks for tests and the console -------------------------------------------------------------------

(window as any).__speechcore = {
  get ready() { return ready; },
  get lastResult() { return lastResult; },
  get lstm() { return lstmState; },
  get finished() { return finished; },
  /** Sequence mode: what the page shows, the words behind it, and its timings. */
  get sequence() { return seqView; },
  /** Median-able timings of features + HMM on `seconds` of the last utterance (tiled), in the worker. */
  bench: (seconds = 1, repeats = 30) => request({ type: 'bench', id: nextId++, seconds, repeats }),
};
