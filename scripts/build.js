// Bundles the TypeScript with esbuild: the library (ESM), the CLI and the extract worker for Node.
// The wasm stays in build/ (loaded at run time next to ../build from dist/); peers used only by
// benchmarks stay external so the CLI bundle does not carry them.
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
const external = ['fft.js', '@echogarden/pffft-wasm', '@echogarden/pffft-wasm/*', 'meyda', 'tinybench',
  // Native (napi) renderer used by the report's figures: loaded from node_modules at run time.
  '@resvg/resvg-js',
  // tfjs is imported lazily by bindings/nn/backend.ts; its wasm backend finds its .wasm files in node_modules.
  '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];

// The library entry re-exports Node-only helpers (datasets, files), so it is built for Node; browsers get their own entry.
await build({ ...common, entryPoints: { index: 'bindings/index.ts' }, outdir: 'dist', platform: 'node', external });
await build({
  ...common,
  entryPoints: { cli: 'bindings/cli/main.ts', 'extract-worker': 'bindings/pipeline/extract-worker.ts', 'hmm-worker': 'bindings/pipeline/hmm-worker.ts' },
  outdir: 'dist',
  platform: 'node',
  external,
  banner: { js: '#!/usr/bin/env node' },
});
