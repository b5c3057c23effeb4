/**
 * The live digit page: records one utterance from the microphone (AudioWorklet + endpointing,
 * automatic stop on silence) or takes a dropped WAV, hands it to the worker, and shows the digit
 * (`data-testid="prediction"`), the per-digit scores as bars, the waveform and the MFCC image.
 * Everything it loads comes from its own origin.
 *
 * URL parameters (for tests and demos): `silence=S` gives up after S seconds without an utterance
 * (default 5), `maxSpeech=S` stops an utterance longer than S seconds (default 10).
 *
 * @module
 */
import { Endpointer, type EndpointOutcome } from './endpoint.ts';
import type { Analysis, FromWorker, LstmState, ToWorker } from './protocol.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  status: $('status'), message: $('message'), record: $<HTMLButtonElement>('record'), recordLabel: $('record-label'),
  drop: $('drop'), file: $<HTMLInputElement>('file'), level: $('level-bar'), threshold: $('level-threshold'),
  prediction: $<HTMLOutputElement>('prediction'), source: $('prediction-source'), hmmBars: $('hmm-bars'),
  lstmTitle: $('lstm-title'), lstmBars: $('lstm-bars'), wave: $<HTMLCanvasElement>('wave'), waveCaption: $('wave-caption'),
  mfcc: $<HTMLCanvasElement>('mfcc'), mfccCaption: $('mfcc-caption'), timing: $('timing'), about: $('about'),
  teach: $('teach'), teachDigits: $('teach-digits'), teachReset: $<HTMLButtonElement>('teach-reset'), teachStatus: $('teach-status'),
};

const params = new URLSearchParams(location.search);
const num = (k: string, d: number) => (params.has(k) && Number(params.get(k)) > 0 ? Number(params.get(k)) : d);
const SILENCE_TIMEOUT_S = num('silence', 5);
const MAX_SPEECH_S = num('maxSpeech', 10);

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

function drawWave(c: HTMLCanvasElement, y: Float32Array): void {
  const g = fitCanvas(c), W = c.width, H = c.height;
  g.clearRect(0, 0, W, H);
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
  else void record();
});

function setRecording(on: boolean): void {
  ui.record.classList.toggle('recording', on);
  ui.recordLabel.textContent = on ? 'Stop' : 'Record';
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

async function record(): Promise<void> {
  if (!ready) return;
  if (!navigator.mediaDevices?.getUserMedia) {
    say('This browser gives no microphone access here: it needs a secure context (https, or http://localhost). Drop a WAV file instead.', true);
    conclude();
    return;
  }
  let stopRequested = false;
  recording = { stop() { stopRequested = true; } };
  setRecording(true);
  say('Opening the microphone…');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
  } catch (e) {
    recording = null;
    setRecording(false);
    say(micError(e), true);
    conclude();
    return;
  }
  const ctx = new AudioContext();
  const cleanup = async () => {
    stream.getTracks().forEach((t) => t.stop());
    await ctx.close().catch(() => {});
    ui.level.style.width = '0';
    ui.threshold.style.opacity = '0';
    recording = null;
    setRecording(false);
  };
  let outcome: EndpointOutcome;
  try {
    await ctx.audioWorklet.addModule(new URL('./recorder.worklet.js', import.meta.url));
    await ctx.resume();
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'speechcore-recorder', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    source.connect(node);
    node.connect(ctx.destination); // the processor outputs silence; the connection keeps it running
    const ep = new Endpointer({ sampleRate: ctx.sampleRate, silenceTimeoutS: SILENCE_TIMEOUT_S, maxSpeechS: MAX_SPEECH_S });
    say('Get ready…');
    outcome = await new Promise<EndpointOutcome>((resolve) => {
      let last = ep.state;
      recording = { stop() { resolve(ep.stop()); } };
      if (stopRequested) { resolve(ep.stop()); return; }
      node.port.onmessage = (e: MessageEvent<Float32Array>) => {
        const state = ep.push(e.data);
        ui.level.style.width = `${Math.max(0, Math.min(100, (ep.lastDb + 70) * (100 / 70)))}%`;
        ui.threshold.style.left = `${Math.max(0, Math.min(100, (ep.thresholdDb + 70) * (100 / 70)))}%`;
        ui.threshold.style.opacity = '0.6';
        if (state !== last) {
          last = state;
          if (state === 'waiting') say('Speak now: one digit.');
          if (state === 'speech') say('Hearing you…');
        }
        if (state === 'done') resolve(ep.outcome!);
      };
    });
  } catch (e) {
    await cleanup();
    say(`Recording failed: ${(e as Error).message}`, true);
    conclude();
    return;
  }
  const rate = ctx.sampleRate;
  await cleanup();
  if (outcome.kind !== 'utterance') conclude();
  switch (outcome.kind) {
    case 'silent':
      say(`Heard only silence for ${outcome.afterS.toFixed(1)} s (loudest moment ${outcome.peakDb <= -199 ? 'digital silence' : outcome.peakDb.toFixed(0) + ' dBFS'}), so nothing was recognised. Is the microphone muted or turned down? Press Record and say one digit.`, true);
      return;
    case 'noisy':
      say(`The input never went quiet (background level ${outcome.floorDb.toFixed(0)} dBFS), so no single word could be picked out. Try a quieter place, or drop a WAV file.`, true);
      return;
    case 'too-long':
      say(`Stopped after ${outcome.afterS.toFixed(1)} s of continuous sound: this page recognises one spoken digit. Press Record, say one digit, then pause.`, true);
      return;
    case 'utterance':
      say('Analysing…');
      await analyze({ type: 'analyze', id: nextId++, name: `recording (${(outcome.endS - outcome.startS).toFixed(2)} s at ${rate} Hz)`, samples: outcome.samples, sampleRate: rate }, [outcome.samples.buffer]);
  }
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
  /** Median-able timings of features + HMM on `seconds` of the last utterance (tiled), in the worker. */
  bench: (seconds = 1, repeats = 30) => request({ type: 'bench', id: nextId++, seconds, repeats }),
};
