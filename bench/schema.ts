/**
 * Benchmark JSON (DESIGN §5). `impl` names what was measured (speechcore, speechcore-scalar,
 * fft.js, pffft-wasm-simd, meyda, ...); ratios are computed only between results of one run.
 */
export interface BenchResult {
  name: string;
  impl: string;
  params: Record<string, string | number | boolean>;
  unit: string;
  median: number;
  p10: number;
  p90: number;
  n: number;
}

export interface BenchReport {
  suite: string;
  node: string;
  cpu: string;
  date: string;
  results: BenchResult[];
}

export interface SuiteOptions {
  /** Fewer repetitions (CI smoke runs); medians get noisier. */
  quick?: boolean;
  /** Where the FSDD recordings are (features suite). */
  data?: string;
  /** Synthetic voices for the recognition suite: 'auto' (flite when installed, default) or 'none'. */
  tts?: 'auto' | 'none';
  /** Progress/log lines go here (stderr by default). */
  log?: (line: string) => void;
}

export type Suite = (options: SuiteOptions) => Promise<BenchResult[]>;
