/**
 * The LSTM, loaded lazily by the worker when the models folder has a checkpoint: this module (and
 * TensorFlow.js with it) is a separate chunk that the page never fetches otherwise. tfjs's wasm
 * binaries come from `wasmPaths` (the server's tfjs/ folder), never from a CDN.
 *
 * @module
 */
import { initNn, parseModelText, SequenceClassifier } from 'speechcore/nn';
import { argmax, mfcc, type Engine } from 'speechcore';

export interface LoadedLstm {
  hidden: number;
  bidirectional: boolean;
  sampleRate: number;
  /** Class probabilities of one utterance at `sampleRate`. */
  predict(y: Float32Array, sr: number): { labels: number[]; proba: number[]; digit: number };
}

interface Meta {
  features?: { nMfcc?: number; nFft?: number; hopLength?: number; nMels?: number; sr?: number };
  scaler?: { mean?: number[]; scale?: number[] };
}

/** Parses a checkpoint (`lstm train --checkpoint DIR` → DIR/best.json, or `--save FILE`). */
export async function loadLstm(text: string, source: string, wasmPaths: string, engine: Engine): Promise<LoadedLstm> {
  await initNn({ wasmPaths });
  const model = await SequenceClassifier.fromJSON(parseModelText(text, source), source);
  const meta = model.meta as Meta;
  const f = meta.features ?? {};
  const nMfcc = f.nMfcc, mean = meta.scaler?.mean, scale = meta.scaler?.scale;
  if (!Number.isInteger(nMfcc) || !Array.isArray(mean) || !Array.isArray(scale) || mean.length !== nMfcc || scale.length !== nMfcc) {
    throw new Error(`${source} has no feature settings or scaler in its meta (was it written by speechcore lstm train?)`);
  }
  const opts = { sr: f.sr ?? 8000, nMfcc: nMfcc!, nFft: f.nFft ?? 240, hopLength: f.hopLength ?? 120, nMels: f.nMels ?? 128, engine };
  const labels = Array.from({ length: model.config.nClasses }, (_, i) => i);
  return {
    hidden: model.config.hidden,
    bidirectional: model.config.bidirectional,
    sampleRate: opts.sr,
    predict(y, sr) {
      if (sr !== opts.sr) throw new Error(`the LSTM expects ${opts.sr} Hz audio, got ${sr} Hz`);
      const m = mfcc(y, opts);
      for (let k = 0; k < m.data.length; k++) m.data[k] = (m.data[k]! - mean![k % nMfcc!]!) / scale![k % nMfcc!]!;
      const p = Array.from(model.predictProba([m]).data);
      return { labels, proba: p, digit: labels[argmax(p)]! };
    },
  };
}
