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

// ---- browser (issue 6) --------------------------------------------------------------------------------
// dist/speechcore.browser.js: the engine for browsers (bindings/browser.ts, no node: imports), its
// wasm fetched with compileStreaming from ../build/ or a folder given to init(); and
// dist/speechcore.browser.inline.js with both wasm builds inlined. dist/web/: the live digit page
// (`speechcore serve`): page, worker, worklet, the engine's wasm and tfjs's wasm binaries beside
// it. TensorFlow.js (bindings/nn) is a lazily imported chunk of the worker, fetched only when the
// models folder holds an LSTM checkpoint. Sizes (gzip -9) go to dist/bundle-sizes.json.
{
  const { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { join } = await import('node:path');
  const browser = { bundle: true, format: 'esm', platform: 'browser', target: ['chrome110', 'firefox115', 'safari16'], minify: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };
  // bindings/nn imports node:fs / node:path for checkpoint files; the page never takes those paths.
  const nodeShim = {
    name: 'node-shim',
    setup(b) {
      b.onResolve({ filter: /^node:(fs|path)$/ }, () => ({ path: new URL('../web/shims/node.ts', import.meta.url).pathname }));
    },
  };
  await build({ ...browser, entryPoints: { 'speechcore.browser': 'bindings/browser.ts' }, outdir: 'dist' });
  await build({ ...browser, entryPoints: { 'speechcore.browser.inline': 'web/engine-inline.ts' }, outdir: 'dist', loader: { '.wasm': 'binary' } });
  rmSync('dist/web', { recursive: true, force: true });
  mkdirSync('dist/web/tfjs', { recursive: true });
  // The page script and the worklet are single files (no import waterfall before the worker
  // starts); the worker is split so that its lazy import() of the LSTM becomes separate chunks.
  await build({ ...browser, entryPoints: { app: 'web/app.ts', 'recorder.worklet': 'web/recorder.worklet.ts' }, outdir: 'dist/web' });
  const workerBuild = await build({
    ...browser, entryPoints: { worker: 'web/worker.ts' }, outdir: 'dist/web', splitting: true,
    chunkNames: 'chunks/[name]-[hash]', plugins: [nodeShim], metafile: true,
  });
  // What loading the page fetches: the entries and the chunks they import statically; the rest
  // (reached only through import()) is the LSTM's, with TensorFlow.js.
  const outputs = workerBuild.metafile.outputs;
  const staticClosure = (roots) => {
    const seen = new Set(roots);
    for (const f of seen) for (const i of outputs[f]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) seen.add(i.path);
    return [...seen];
  };
  const pageJs = ['dist/web/app.js', ...staticClosure(['dist/web/worker.js'])];
  const lazyJs = Object.keys(outputs).filter((f) => f.endsWith('.js') && !pageJs.includes(f));
  for (const f of ['index.html', 'styles.css']) copyFileSync(join('web', f), join('dist/web', f));
  for (const f of ['speechcore.wasm', 'speechcore-scalar.wasm']) copyFileSync(join('build', f), join('dist/web', f));
  const tfjsWasm = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  for (const f of readdirSync(tfjsWasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(tfjsWasm, f), join('dist/web/tfjs', f));

  const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
  const raw = (path) => readFileSync(path).length;
  const entry = (paths) => ({ bytes: paths.reduce((s, p) => s + raw(p), 0), gzip: paths.reduce((s, p) => s + gz(p), 0), files: paths });
  const page = ['dist/web/index.html', 'dist/web/styles.css', ...pageJs, 'dist/web/recorder.worklet.js', 'dist/web/speechcore.wasm'];
  const sizes = {
    engineFetched: entry(['dist/speechcore.browser.js', 'build/speechcore.wasm']),
    engineInline: entry(['dist/speechcore.browser.inline.js']),
    page: entry(page),
    tfjs: entry([...lazyJs, 'dist/web/tfjs/tfjs-backend-wasm-simd.wasm']),
  };
  writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2) + '\n');
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`browser bundles (gzip): engine + wasm fetched ${kb(sizes.engineFetched.gzip)}, inlined ${kb(sizes.engineInline.gzip)}; ` +
    `page without LSTM ${kb(sizes.page.gzip)}; + tfjs (LSTM) ${kb(sizes.tfjs.gzip)}`);
}
