/** The benchmark suites `speechcore bench` knows, by name. */
import type { Suite } from './schema.ts';
import { fftSuite } from './fft.bench.ts';
import { featuresSuite } from './features.bench.ts';
import { lstmSuite } from './lstm.bench.ts';
import { hmmSuite } from './hmm.bench.ts';
import { recognitionSuite } from './recognition.bench.ts';
import { digitsSuite } from './digits.bench.ts';
import { streamingSuite } from './streaming.bench.ts';

export const suites: Record<string, Suite> = {
  fft: fftSuite,
  features: featuresSuite,
  lstm: lstmSuite,
  hmm: hmmSuite,
  recognition: recognitionSuite,
  digits: digitsSuite,
  streaming: streamingSuite,
};
