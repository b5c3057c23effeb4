/**
 * RIFF/WAVE decoding to the mono float32 signal `librosa.load(path, sr=None)` returns, bit for bit,
 * and a small PCM/float encoder for tests and resampled output.
 *
 * librosa 0.10.1 reads through soundfile → libsndfile `sf_readf_float` (normalised integers, floats
 * passed through), then `to_mono` = `np.mean(y, axis=0)` in float32. Both steps are reproduced here,
 * including numpy's summation order, so features computed downstream match the fixtures exactly.
 *
 * @module
 */

import { ParameterError, WavFormatError } from '../errors.ts';
import type { Engine } from '../engine.ts';
import { resample, type ResType } from '../features/resample.ts';
import { checkNumber } from '../features/options.ts';

/** A decoded WAV: the format as stored, and the signal averaged to mono. */
export interface DecodedWav {
  /** Sampling rate of `samples` in Hz: as stored, or `options.sr` when that asked for resampling. */
  sampleRate: number;
  /** Channels stored in the file (int > 0); `samples` is their mean. */
  channels: number;
  /** Container bits per sample: 8, 16, 24 or 32 for `pcm`; 32 or 64 for `float`; 8 for `alaw`/`ulaw`. */
  bitsPerSample: number;
  /**
   * `pcm` = integer samples (8-bit unsigned, wider signed); `float` = IEEE 754; `alaw` / `ulaw` =
   * G.711 companded bytes (8 kHz telephone audio is usually stored so).
   */
  encoding: 'pcm' | 'float' | 'alaw' | 'ulaw';
  /**
   * Mono signal, shape `[frames]`, float32. PCM maps to [-1, 1) (int / 2^(bits-1)); G.711 bytes are
   * expanded to 16-bit linear as ITU-T G.711 defines (what libsndfile and soundfile do), then / 2^15;
   * float files pass through unchanged, so they may exceed ±1 but are always finite.
   */
  samples: Float32Array;
}

/** Options for {@link decodeWav}. */
export interface DecodeWavOptions {
  /** Name of the source, used only to prefix error messages. */
  file?: string;
  /**
   * Resample the mono signal to this rate (Hz > 0), as `librosa.load(path, sr=...)`; default:
   * keep the stored rate (no resampling, the signal bit-exact as stored).
   */
  sr?: number;
  /** The resampling filter when `sr` is given (see resample()); default 'kaiser_best'. */
  resType?: ResType;
  /** Engine for the resampler (default: the default engine). */
  engine?: Engine;
}

/** Options for {@link encodeWav}. */
export interface EncodeWavOptions {
  /** 16 (default) or 32. With `float: true` only 32 is allowed. */
  bitsPerSample?: 16 | 32;
  /** Write IEEE float (format tag 3) instead of PCM; default false. */
  float?: boolean;
  /** Interleaved channel count of `samples` (int > 0); default 1. */
  channels?: number;
}

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_ALAW = 0x0006;
const FORMAT_ULAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Names for the codecs people actually meet, so the error says what the file is. */
const CODEC_NAMES: Record<number, string> = {
  0x0000: 'unknown',
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x00ff: 'AAC',
  0x0161: 'Windows Media Audio',
  0xf1ac: 'FLAC',
};

/** Sample layouts the decoder has a loop for. */
const enum Kind {
  U8,
  S16,
  S24,
  S32,
  F32,
  F64,
  ALAW,
  ULAW,
}

/** G.711 A-law byte → 16-bit linear (ITU-T G.711: even bits inverted, 3-bit segment, 4-bit step). */
function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const seg = (a >> 4) & 7;
  let t = (a & 0x0f) << 4;
  t = seg === 0 ? t + 8 : (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/** G.711 μ-law byte → 16-bit linear (ITU-T G.711: bits inverted, bias 0x84 added before the shift). */
function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** The 256 expansions of each law, built once. */
const G711: Record<Kind.ALAW | Kind.ULAW, Float32Array> = {
  [Kind.ALAW]: Float32Array.from({ length: 256 }, (_, b) => alawToLinear(b) / 32768),
  [Kind.ULAW]: Float32Array.from({ length: 256 }, (_, b) => ulawToLinear(b) / 32768),
};

const hex4 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(4, '0');

/** Printable form of 4 header bytes, so "wrong magic" errors show what was there instead. */
function fourcc(view: DataView, at: number): string {
  let s = '';
  for (let i = 0; i < 4 && at + i < view.byteLength; i++) {
    const c = view.getUint8(at + i);
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/**
 * Decode a RIFF/WAVE file to a mono float32 signal, exactly as `librosa.load(path, sr=None)`.
 *
 * Accepts PCM 8 (unsigned), 16, 24 and 32 bit, IEEE float 32 and 64 bit, and
 * WAVE_FORMAT_EXTENSIBLE wrapping either. Unknown chunks (LIST, fact, cue, ...) are skipped
 * wherever they sit, odd-sized chunks are followed by their pad byte, and `fmt ` may come after
 * `data`. Like libsndfile, a data chunk cut short by the end of the file yields the whole frames
 * present, and a trailing partial frame is dropped.
 *
 * Several channels are averaged as librosa's `to_mono` does: the float32 channel values are summed
 * in float32 in numpy's order (in sequence below 8 channels, numpy's pairwise blocks from 8 up),
 * then divided by the channel count and rounded to float32.
 *
 * @param bytes - the whole file. A `Uint8Array` may be a view with an offset (Node's pooled
 *   `Buffer`s are); it is not copied and not modified.
 * @param options.file - name used in error messages.
 * @param options.sr - resample to this rate (resample() with `options.resType`, default
 *   'kaiser_best'); omitted: the stored rate, no resampling.
 * @returns format fields and `samples`, shape `[frames]`, float32.
 * @throws WavFormatError for any input that is not a WAV this decoder reads: empty or truncated
 *   header, wrong RIFF/WAVE magic, missing or short `fmt `, missing `data`, zero channels or
 *   sample rate, unsupported codec or bit depth, inconsistent block align, a `fmt ` chunk running
 *   past the end of the file, or a float sample that is NaN/±Inf (named by its index).
 * @see librosa.load, librosa.to_mono
 * @example
 * const { sampleRate, samples } = decodeWav(readFileSync(path), { file: path });
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, options: DecodeWavOptions = {}): DecodedWav {
  const file = options.file;
  const fail = (message: string): never => {
    throw new WavFormatError(message, file);
  };
  const view =
    bytes instanceof ArrayBuffer
      ? new DataView(bytes)
      : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.byteLength;

  if (size === 0) fail('empty input (0 bytes)');
  if (size < 12) fail(`truncated header: ${size} bytes, a RIFF/WAVE header needs 12`);
  if (fourcc(view, 0) !== 'RIFF') fail(`not a RIFF file: magic is '${fourcc(view, 0)}', expected 'RIFF'`);
  if (fourcc(view, 8) !== 'WAVE') fail(`not a WAVE file: RIFF form type is '${fourcc(view, 8)}', expected 'WAVE'`);

  // The RIFF size field is ignored: writers that stream often leave it 0 or 0xFFFFFFFF, and
  // libsndfile reads such files. The chunk walk is bounded by the real byte length instead.
  let fmtAt = -1;
  let fmtSize = 0;
  let dataAt = -1;
  let dataSize = 0;
  let stopNote = '';
  let pos = 12;
  while (pos + 8 <= size && (fmtAt < 0 || dataAt < 0)) {
    const id = fourcc(view, pos);
    const chunkSize = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ' && fmtAt < 0) {
      if (body + chunkSize > size) {
        fail(`fmt chunk at offset ${pos} claims ${chunkSize} bytes but only ${size - body} remain in the file`);
      }
      fmtAt = body;
      fmtSize = chunkSize;
    } else if (id === 'data' && dataAt < 0) {
      dataAt = body;
      // A short data chunk is a truncated recording: keep what is there (libsndfile does).
      dataSize = Math.min(chunkSize, size - body);
    } else if (body + chunkSize > size) {
      stopNote = ` (chunk '${id}' at offset ${pos} claims ${chunkSize} bytes, past the end of the file)`;
      break;
    }
    // Every step advances by at least the 8-byte chunk header, so zero-size chunks cannot loop.
    pos = body + chunkSize + (chunkSize & 1);
  }
  if (fmtAt < 0) fail(`missing fmt chunk${stopNote}`);
  if (dataAt < 0) fail(`missing data chunk${stopNote}`);

  if (fmtSize < 16) fail(`fmt chunk too short: ${fmtSize} bytes, need at least 16`);
  let codec = view.getUint16(fmtAt, true);
  const channels = view.getUint16(fmtAt + 2, true);
  const sampleRate = view.getUint32(fmtAt + 4, true);
  const blockAlign = view.getUint16(fmtAt + 12, true);
  const bitsPerSample = view.getUint16(fmtAt + 14, true);
  let where = '';
  if (codec === FORMAT_EXTENSIBLE) {
    // cbSize(2) + validBits(2) + channelMask(4) + sub-format GUID(16) follow the 16 basic bytes.
    if (fmtSize < 40) fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk too short: ${fmtSize} bytes, need 40`);
    codec = view.getUint16(fmtAt + 24, true);
    where = ' in WAVE_FORMAT_EXTENSIBLE sub-format';
  }
  if (codec !== FORMAT_PCM && codec !== FORMAT_FLOAT && codec !== FORMAT_ALAW && codec !== FORMAT_ULAW) {
    const name = CODEC_NAMES[codec] ?? 'not PCM, IEEE float or G.711';
    fail(`unsupported codec ${hex4(codec)} (${name})${where}; read are PCM (0x0001), IEEE float (0x0003), A-law (0x0006) and mu-law (0x0007)`);
  }
  if (channels === 0) fail('zero channels in fmt chunk');
  if (sampleRate === 0) fail('zero sample rate in fmt chunk');

  const encoding = codec === FORMAT_PCM ? 'pcm' : codec === FORMAT_FLOAT ? 'float' : codec === FORMAT_ALAW ? 'alaw' : 'ulaw';
  let kind: Kind;
  if (encoding === 'alaw' || encoding === 'ulaw') {
    if (bitsPerSample !== 8) return fail(`unsupported bit depth ${bitsPerSample} for G.711 ${encoding === 'alaw' ? 'A-law' : 'mu-law'}; it is 8`);
    kind = encoding === 'alaw' ? Kind.ALAW : Kind.ULAW;
  } else if (encoding === 'pcm') {
    if (bitsPerSample === 8) kind = Kind.U8;
    else if (bitsPerSample === 16) kind = Kind.S16;
    else if (bitsPerSample === 24) kind = Kind.S24;
    else if (bitsPerSample === 32) kind = Kind.S32;
    else return fail(`unsupported bit depth ${bitsPerSample} for PCM; supported: 8, 16, 24, 32`);
  } else {
    if (bitsPerSample === 32) kind = Kind.F32;
    else if (bitsPerSample === 64) kind = Kind.F64;
    else return fail(`unsupported bit depth ${bitsPerSample} for IEEE float; supported: 32, 64`);
  }
  const bytesPerSample = bitsPerSample >> 3;
  if (blockAlign !== channels * bytesPerSample) {
    fail(
      `block align inconsistent: fmt says ${blockAlign} bytes per frame, ` +
        `but ${channels} channel(s) x ${bitsPerSample} bits need ${channels * bytesPerSample}`,
    );
  }

  const frames = Math.floor(dataSize / blockAlign);
  const samples = new Float32Array(frames);
  if (channels === 1) decodeMono(view, dataAt, frames, bytesPerSample, kind, samples);
  else decodeMixed(view, dataAt, frames, channels, bytesPerSample, kind, samples);

  if (encoding === 'float') {
    // Float files can carry NaN/Inf (or float64 beyond float32 range): reject them here, where the
    // index still means something, rather than let them poison every feature downstream.
    for (let i = 0; i < frames; i++) {
      const v = samples[i]!;
      if (v - v !== 0) fail(nonFiniteMessage(view, dataAt, i, channels, bytesPerSample, kind));
    }
  }
  if (options.sr !== undefined) {
    const sr = checkNumber('sr', options.sr, 0, Infinity, true);
    if (sr !== sampleRate && frames > 0) {
      const y = resample(samples, { origSr: sampleRate, targetSr: sr, resType: options.resType ?? 'kaiser_best', engine: options.engine });
      return { sampleRate: sr, channels, bitsPerSample, encoding, samples: y };
    }
    return { sampleRate: sr, channels, bitsPerSample, encoding, samples };
  }
  return { sampleRate, channels, bitsPerSample, encoding, samples };
}

/** One sample as libsndfile's float conversion gives it (not yet rounded to float32 for S32/F64). */
function readSample(view: DataView, at: number, kind: Kind): number {
  switch (kind) {
    case Kind.U8:
      return (view.getUint8(at) - 128) / 128;
    case Kind.S16:
      return view.getInt16(at, true) / 32768;
    case Kind.S24:
      return (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608;
    case Kind.S32:
      // int32 / 2^31 is exact in f64; the single float32 rounding on store matches libsndfile's
      // (float)int * 2^-31.
      return view.getInt32(at, true) / 2147483648;
    case Kind.F32:
      return view.getFloat32(at, true);
    case Kind.F64:
      return view.getFloat64(at, true);
    case Kind.ALAW:
    case Kind.ULAW:
      return G711[kind][view.getUint8(at)]!;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Mono: every value is rounded once, by the Float32Array store. */
function decodeMono(view: DataView, at: number, frames: number, step: number, kind: Kind, out: Float32Array): void {
  if (kind === Kind.S16) {
    // The benchmark case (all of FSDD). An Int16Array view reads ~10x faster than DataView.getInt16,
    // but only on a little-endian host and a 2-byte-aligned offset; otherwise fall back.
    const offset = view.byteOffset + at;
    if (LITTLE_ENDIAN && offset % 2 === 0) {
      const src = new Int16Array(view.buffer, offset, frames);
      for (let i = 0; i < frames; i++) out[i] = src[i] / 32768;
    } else {
      for (let i = 0, p = at; i < frames; i++, p += 2) out[i] = view.getInt16(p, true) / 32768;
    }
    return;
  }
  for (let i = 0, p = at; i < frames; i++, p += step) out[i] = readSample(view, p, kind);
}

/** Several channels: numpy's float32 mean over the channel axis, per frame. */
function decodeMixed(
  view: DataView,
  at: number,
  frames: number,
  channels: number,
  bytesPerSample: number,
  kind: Kind,
  out: Float32Array,
): void {
  const f = Math.fround;
  if (channels < 8) {
    // numpy's pairwise_sum runs a plain float32 loop from 0 below 8 elements.
    for (let i = 0, p = at; i < frames; i++) {
      let acc = 0;
      for (let c = 0; c < channels; c++, p += bytesPerSample) acc = f(acc + f(readSample(view, p, kind)));
      out[i] = acc / channels;
    }
    return;
  }
  const frame = new Float32Array(channels);
  for (let i = 0, p = at; i < frames; i++) {
    for (let c = 0; c < channels; c++, p += bytesPerSample) frame[c] = readSample(view, p, kind);
    out[i] = f(0 + pairwiseSumF32(frame, 0, channels)) / channels;
  }
}

/**
 * numpy's `pairwise_sum` for float32 (`loops_utils.h.src`): 8 accumulators per 128-element block,
 * recursive halving above, every partial result rounded to float32.
 */
function pairwiseSumF32(a: Float32Array, start: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  if (n <= 128) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!;
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const b = start + i;
      r0 = f(r0 + a[b]!); r1 = f(r1 + a[b + 1]!); r2 = f(r2 + a[b + 2]!); r3 = f(r3 + a[b + 3]!);
      r4 = f(r4 + a[b + 4]!); r5 = f(r5 + a[b + 5]!); r6 = f(r6 + a[b + 6]!); r7 = f(r7 + a[b + 7]!);
    }
    let res = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
    for (; i < n; i++) res = f(res + a[start + i]!);
    return res;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return f(pairwiseSumF32(a, start, n2) + pairwiseSumF32(a, start + n2, n - n2));
}

/** Say which stored sample made frame `frame` non-finite (or that the channel mean overflowed). */
function nonFiniteMessage(
  view: DataView,
  at: number,
  frame: number,
  channels: number,
  bytesPerSample: number,
  kind: Kind,
): string {
  for (let c = 0; c < channels; c++) {
    const raw = readSample(view, at + (frame * channels + c) * bytesPerSample, kind);
    if (!Number.isFinite(raw)) {
      return `non-finite float sample ${raw} at sample index ${frame * channels + c} (frame ${frame}, channel ${c})`;
    }
    if (!Number.isFinite(Math.fround(raw))) {
      return `float64 sample ${raw} at sample index ${frame * channels + c} (frame ${frame}, channel ${c}) is outside float32 range`;
    }
  }
  return `float32 mean of ${channels} channels overflows at frame ${frame}`;
}

/**
 * Encode interleaved float samples as a canonical 44-byte-header WAV (`fmt ` + `data` only).
 *
 * PCM scales by 2^(bits-1), rounds to nearest and clips to the integer range, so
 * `decodeWav(encodeWav(y)).samples` equals `y` for any `y` already on the PCM grid.
 * Differs from libsndfile: that writes with a 32767 scale; ours inverts the read exactly.
 * Float output stores values as they are, NaN included (handy for testing the decoder).
 *
 * @param samples - shape `[frames * channels]`, interleaved, nominally in [-1, 1].
 * @param sampleRate - Hz, int in (0, 2^32).
 * @param options.bitsPerSample - 16 (default) or 32.
 * @param options.float - IEEE float32 instead of PCM (requires 32 bits).
 * @param options.channels - int > 0 dividing `samples.length`; default 1.
 * @returns the file bytes, length 44 + samples.length * bitsPerSample / 8.
 * @throws ParameterError on a bad sample rate, bit depth, channel count, or a non-finite
 *   sample for PCM.
 */
export function encodeWav(samples: Float32Array, sampleRate: number, options: EncodeWavOptions = {}): Uint8Array {
  const { bitsPerSample = 16, float = false, channels = 1 } = options;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff) {
    throw new ParameterError(`sampleRate=${sampleRate} must be an int in (0, 2^32)`);
  }
  if (bitsPerSample !== 16 && bitsPerSample !== 32) {
    throw new ParameterError(`bitsPerSample=${bitsPerSample} must be 16 or 32`);
  }
  if (float && bitsPerSample !== 32) throw new ParameterError(`bitsPerSample=${bitsPerSample} must be 32 when float=true`);
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff || samples.length % channels !== 0) {
    throw new ParameterError(`channels=${channels} must be an int in [1, 65535] dividing samples.length=${samples.length}`);
  }
  const bytesPerSample = bitsPerSample >> 3;
  const dataSize = samples.length * bytesPerSample;
  const out = new Uint8Array(44 + dataSize);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, float ? FORMAT_FLOAT : FORMAT_PCM, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * bytesPerSample, true);
  v.setUint16(32, channels * bytesPerSample, true);
  v.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  v.setUint32(40, dataSize, true);
  const scale = bitsPerSample === 16 ? 32768 : 2147483648;
  for (let i = 0, p = 44; i < samples.length; i++, p += bytesPerSample) {
    const x = samples[i]!;
    if (float) {
      v.setFloat32(p, x, true);
      continue;
    }
    if (x - x !== 0) throw new ParameterError(`samples[${i}]=${x} must be finite for PCM output`);
    const q = Math.min(scale - 1, Math.max(-scale, Math.round(x * scale)));
    if (bitsPerSample === 16) v.setInt16(p, q, true);
    else v.setInt32(p, q, true);
  }
  return out;
}
