/**
 * The lab's front end (MISSION step 9): the MFCC settings every model file records and the
 * defaults the HMM and LSTM commands share. No Node imports: model files are parsed in browsers too.
 *
 * @module
 */
import { checkInt } from '../features/options.ts';

/** Front-end settings a model was trained with (stored in model files). */
export interface FeatureSettings {
  nMfcc: number;
  nFft: number;
  hopLength: number;
  nMels: number;
}

/** The lab's front end: MFCC 6, 30 ms window (240 samples at 8 kHz), 15 ms hop, 128 mel bands. */
export const LAB_FEATURES: Readonly<FeatureSettings> = Object.freeze({ nMfcc: 6, nFft: 240, hopLength: 120, nMels: 128 });

/** Front-end settings with the lab's defaults, each checked (ParameterError naming the field). */
export function resolveFeatures(f: Partial<FeatureSettings> = {}): FeatureSettings {
  return {
    nMfcc: checkInt('nMfcc', f.nMfcc ?? LAB_FEATURES.nMfcc, 1),
    nFft: checkInt('nFft', f.nFft ?? LAB_FEATURES.nFft, 2),
    hopLength: checkInt('hopLength', f.hopLength ?? LAB_FEATURES.hopLength, 1),
    nMels: checkInt('nMels', f.nMels ?? LAB_FEATURES.nMels, 1),
  };
}
