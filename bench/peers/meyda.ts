/**
 * Meyda 5.6.3 MFCC as a full-utterance peer, configured as close to the
 * fixture pipeline as Meyda allows. Meyda is per-frame only and needs a
 * power-of-two buffer, so the adapter does the framing: librosa-style centre
 * zero padding (n_fft/2 each side), 240-sample frames × periodic Hann,
 * zero-padded to 256, with Meyda's own window disabled ('rect').
 *
 * Not librosa-compatible by construction (HTK-formula mel with integer-bin
 * triangles and no area norm, ln(1+power) instead of power_to_db/top_db,
 * unnormalised DCT, 256- not 240-point FFT), so its values differ from the
 * fixtures by hundreds; it is a speed peer only.
 *
 * @module
 */
type MeydaModule = typeof import('meyda').default;
import { MFCC_HOP, MFCC_N_COEFFS, MFCC_N_FFT, MFCC_N_MELS, centredFrameCount, periodicHann } from './common.ts';
import type { MfccPeer } from './types.ts';

/** Meyda's FFT buffer: the next power of two above the 240-sample frame. */
const BUFFER = 256;

/** Meyda's cached filterbanks are not part of its public typings. */
type MeydaState = MeydaModule & { melFilterBank?: unknown; barkScale?: unknown };

export class MeydaMfcc implements MfccPeer {
  readonly name = 'meyda 5.6.3';
  private readonly window = periodicHann(MFCC_N_FFT);
  // Reused for every frame: Meyda reads it synchronously and keeps no reference
  // once extract() returns; bins 240..255 stay zero (the zero padding).
  private readonly frame = new Float32Array(BUFFER);
  private configuredSr = 0;

  // Imported by init() when the bench runs: meyda is a devDependency, absent from an installed speechcore.
  private meyda: MeydaModule | null = null;

  async init(): Promise<void> {
    this.meyda ??= (await import('meyda')).default;
  }

  /** Meyda is a mutable singleton: (re)apply our settings before each utterance. */
  private configure(sr: number): void {
    const m = this.meyda! as MeydaState;
    // Meyda only rebuilds its mel bank when melBands changes, not on a new
    // sample rate or buffer size, so drop the cache whenever ours changes.
    if (sr !== this.configuredSr || m.bufferSize !== BUFFER || m.melBands !== MFCC_N_MELS) {
      m.melFilterBank = undefined;
      m.barkScale = undefined;
      this.configuredSr = sr;
    }
    m.bufferSize = BUFFER;
    m.sampleRate = sr;
    m.melBands = MFCC_N_MELS;
    m.numberOfMFCCCoefficients = MFCC_N_COEFFS;
    m.windowingFunction = 'rect';
  }

  mfcc(samples: Float32Array, sr: number): Float32Array {
    this.configure(sr);
    const len = samples.length;
    const nFrames = centredFrameCount(len, MFCC_HOP);
    const out = new Float32Array(nFrames * MFCC_N_COEFFS);
    const { frame, window } = this;
    const pad = MFCC_N_FFT >> 1;
    for (let t = 0; t < nFrames; t++) {
      const start = t * MFCC_HOP - pad;
      for (let i = 0; i < MFCC_N_FFT; i++) {
        const j = start + i;
        frame[i] = j >= 0 && j < len ? samples[j] * window[i] : 0;
      }
      const coeffs = this.meyda!.extract('mfcc', frame) as unknown as ArrayLike<number>;
      for (let c = 0; c < MFCC_N_COEFFS; c++) out[t * MFCC_N_COEFFS + c] = coeffs[c];
    }
    return out;
  }
}

/** A ready-to-init Meyda MFCC peer. */
export const meydaMfcc: MfccPeer = new MeydaMfcc();
