/**
 * Suite `streaming`: what a live stream costs, against the batch path in the same run.
 *
 * (a) `streaming.features`: ms of CPU per second of audio for MFCC + Δ + ΔΔ (13 MFCC, 40 mels,
 *     25 ms / 10 ms), the whole signal at once (`mfccWithDeltas`) vs `createMfccStream` fed the
 *     AudioWorklet's 128-sample chunks, at 16 and 8 kHz; 10 s of speech (the seed's
 *     onetwothree1.wav tiled). Target: stream ≤ 1.5 × batch.
 * (b) `streaming.decode`: ms of CPU per second of audio for connected digits: decoding a file
 *     (`ConnectedDigits.decode`) vs a `DigitStream` fed 128-sample chunks at 8 kHz and at 48 kHz
 *     (a microphone: the stream resamples), on digit strings from FSDD test recordings.
 * (c) `streaming.latency`: for each final result of those streams at 48 kHz, the time from the
 *     end of speech (the end of the final's last word) to the final's arrival: the audio the
 *     stream had to hear (the endpoint's pause, default 0.2 s, plus the front end's lookahead)
 *     plus the CPU time of the push that returned it. Goal ≤ 300 ms.
 * (d) `streaming.topdb`: the running-maximum topDb rule (createMfccStream's) against batch's
 *     clip at the whole recording's maximum, over FSDD: the share of frames that differ by more
 *     than 1e-4, and the largest difference.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, Suite } from './schema.ts';
import { single, summarize, timeCase } from './timing.ts';
import { digitSequences } from './digit-sequences.ts';
import { resolveDataDir, listFsdd } from '../bindings/audio/dataset.ts';
import { readAudio, readSubset } from '../bindings/pipeline/recognizer-data.ts';
import { findSplit } from '../bindings/pipeline/split-features.ts';
import { DatasetError } from '../bindings/errors.ts';
import { mfccWithDeltas } from '../bindings/features/mfcc.ts';
import { createMfccStream } from '../bindings/features/mfcc-stream.ts';
import { resample } from '../bindings/features/resample.ts';
import { Recognizer } from '../bindings/recognizer/recognizer.ts';
import { ConnectedDigits } from '../bindings/decoder/connected-digits.ts';

const MODEL = fileURLToPath(new URL('../lab/models/recognizer.json', import.meta.url));
const CHUNK = 128;

/** y repeated end to end to n samples. */
function tile(y: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += y.length) out.set(y.subarray(0, Math.min(y.length, n - i)), i);
  return out;
}

export const streamingSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quick = options.quick ?? false;
  const dir = resolveDataDir(options.data);
  const split = findSplit(dir);
  if (!split) throw new DatasetError(`streaming bench: no fsdd-split.json beside ${dir}`);
  const results: BenchResult[] = [];
  const lines: string[] = ['', 'streaming (ms of CPU per second of audio; 128-sample chunks):'];

  // (a) features
  const speech16 = readAudio(join(dirname(dirname(dir)), 'isolated-digits', 'onetwothree1.wav'));
  for (const sr of [16000, 8000]) {
    const y = tile(sr === speech16.sampleRate ? speech16.samples : resample(speech16.samples, { origSr: speech16.sampleRate, targetSr: sr, resType: 'kaiser_best' }), 10 * sr);
    const o = { sr, nMfcc: 13, nFft: Math.round(0.025 * sr), hopLength: sr / 100, nMels: 40 };
    const r = timeCase({
      name: 'streaming.features', params: { sr, seconds: 10, chunk: CHUNK }, unit: 'ms', impls: [
        { impl: 'speechcore-batch', per: 10, run: () => { mfccWithDeltas(y, o); } },
        {
          impl: 'speechcore-stream', per: 10, run: () => {
            const s = createMfccStream({ ...o, deltas: true });
            for (let i = 0; i < y.length; i += CHUNK) s.push(y.subarray(i, i + CHUNK));
            s.flush();
          },
        },
      ],
    }, { rounds: quick ? 5 : 21, log });
    results.push(...r);
    const [b, s] = r;
    lines.push(`  features at ${sr / 1000} kHz: batch ${b!.median.toFixed(2)}, stream ${s!.median.toFixed(2)} (stream/batch ${(s!.median / b!.median).toFixed(2)}, target <= 1.5)`);
  }

  // (b) decoding, (c) latency
  const recognizer = Recognizer.fromJSON(readFileSync(MODEL, 'utf8'), { source: MODEL });
  const decoder = ConnectedDigits.fromRecognizer(recognizer);
  const seqs = digitSequences(readSubset(dir, 'test', split).files, { count: quick ? 5 : 30, seed: 7, length: [3, 5] });
  const at48 = seqs.map((s) => resample(s.samples, { origSr: 8000, targetSr: 48000, resType: 'kaiser_best' }));
  const seconds = seqs.reduce((a, s) => a + s.samples.length / 8000, 0);
  const fileMs: number[] = [], s8: number[] = [], s48: number[] = [], latency: number[] = [], computeMs: number[] = [];
  for (let rep = 0; rep < (quick ? 1 : 3); rep++) {
    let t0 = performance.now();
    for (const s of seqs) decoder.decode(s.samples, 8000);
    fileMs.push((performance.now() - t0) / seconds);
    for (const [sr, audio, sink] of [[8000, seqs.map((s) => s.samples), s8], [48000, at48, s48]] as const) {
      t0 = performance.now();
      for (const y of audio) {
        const st = decoder.stream({ sampleRate: sr });
        for (let i = 0; i < y.length; i += CHUNK) {
          const c0 = performance.now();
          const u = st.push(y.subarray(i, i + CHUNK));
          const c = performance.now() - c0;
          if (rep === 0 && sr === 48000) {
            for (const f of u.finals) {
              if (f.words.length === 0) continue;
              latency.push(((Math.min(i + CHUNK, y.length) / sr) - f.words.at(-1)!.end) * 1000 + c);
              computeMs.push(c);
            }
          }
        }
        st.flush();
      }
      (sink as number[]).push((performance.now() - t0) / seconds);
    }
  }
  for (const [impl, xs, params] of [['speechcore-file', fileMs, { sr: 8000 }], ['speechcore-stream', s8, { sr: 8000, chunk: CHUNK }], ['speechcore-stream', s48, { sr: 48000, chunk: CHUNK }]] as const) {
    results.push({ name: 'streaming.decode', impl, params: { ...params, seconds: Number(seconds.toFixed(1)) }, unit: 'ms', ...summarize(xs) });
  }
  lines.push(`  connected digits (${seqs.length} strings, ${seconds.toFixed(0)} s): file ${summarize(fileMs).median.toFixed(1)}, ` +
    `stream at 8 kHz ${summarize(s8).median.toFixed(1)}, stream at 48 kHz ${summarize(s48).median.toFixed(1)}`);
  const lat = summarize(latency), comp = summarize(computeMs);
  results.push({ name: 'streaming.latency', impl: 'speechcore', params: { sr: 48000, chunk: CHUNK, endpoint: 0.2 }, unit: 'ms', ...lat });
  results.push({ name: 'streaming.latency.compute', impl: 'speechcore', params: { sr: 48000, chunk: CHUNK }, unit: 'ms', ...comp });
  lines.push(`  end of speech -> final result: median ${lat.median.toFixed(0)} ms (p10 ${lat.p10.toFixed(0)}, p90 ${lat.p90.toFixed(0)}; ` +
    `${lat.n} finals; goal <= 300), of which the final's decoding ${comp.median.toFixed(1)} ms`);

  // (d) topDb rule
  const files = listFsdd(dir).slice(0, quick ? 300 : undefined);
  let frames = 0, differ = 0, worst = 0;
  const o = { sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40 };
  for (const f of files) {
    const y = readAudio(f.path).samples;
    const batch = mfccWithDeltas(y, o);
    const s = createMfccStream({ ...o, deltas: true });
    const parts = [];
    for (let i = 0; i < y.length; i += 1000) parts.push(s.push(y.subarray(i, i + 1000)));
    parts.push(s.flush());
    const data = new Float32Array(batch.data.length);
    let at = 0;
    for (const p of parts) { data.set(p.data, at); at += p.data.length; }
    for (let t = 0; t < batch.rows; t++) {
      let d = 0;
      for (let j = 0; j < batch.cols; j++) d = Math.max(d, Math.abs(data[t * batch.cols + j]! - batch.data[t * batch.cols + j]!));
      frames++;
      if (d > 1e-4) differ++;
      worst = Math.max(worst, d);
    }
  }
  results.push(single('streaming.topdb', 'speechcore', { files: files.length, frames, metric: 'share of frames differing > 1e-4' }, 'fraction', differ / frames));
  results.push(single('streaming.topdb', 'speechcore', { files: files.length, frames, metric: 'largest difference' }, 'value', worst));
  lines.push(`  topDb 80 by running maximum vs batch, ${files.length} FSDD files: ${(100 * differ / frames).toFixed(2)} % of ${frames} frames differ by > 1e-4 (largest ${worst.toFixed(3)})`);
  log(lines.join('\n'));
  return results;
};
