// Builds the lab application: dist/cli.js (its commands, which `speechcore` finds by this
// package's name) and dist/web/ (the live digit page). It uses speechcore as any consumer would:
// through the package's exports (the browser condition for the page), built first by the root's
// scripts/build.js. Packages stay external in the CLI bundle (they are this workspace's dependencies).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const absWorkingDir = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
process.chdir(absWorkingDir);
await build({
  absWorkingDir, bundle: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning',
  entryPoints: { cli: './src/cli/index.ts' }, outdir: 'dist', packages: 'external',
  // Each command's heavy modules (vega, resvg, ml-*) are chunks loaded when that command runs.
  splitting: true, chunkNames: 'chunks/[name]-[hash]',
});

// dist/web/: the live digit page
// (`speechcore serve`): page, worker, worklet, the engine's wasm and tfjs's wasm binaries beside
// it. TensorFlow.js (speechcore/nn) is a lazily imported chunk of the worker, fetched only when the
// models folder holds an LSTM checkpoint. Sizes (gzip -9) go to dist/bundle-sizes.json.
{
  const { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { join } = await import('node:path');
  const browser = { absWorkingDir, bundle: true, format: 'esm', platform: 'browser', target: ['chrome110', 'firefox115', 'safari16'], minify: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };
  rmSync('dist/web', { recursive: true, force: true });
  mkdirSync('dist/web/tfjs', { recursive: true });
  // The page script and the worklet are single files (no import waterfall before the worker
  // starts); the worker is split so that its lazy import() of the LSTM becomes separate chunks.
  await build({ ...browser, entryPoints: { app: 'web/app.ts', 'recorder.worklet': 'web/recorder.worklet.ts' }, outdir: 'dist/web' });
  const workerBuild = await build({
    ...browser, entryPoints: { worker: 'web/worker.ts' }, outdir: 'dist/web', splitting: true,
    chunkNames: 'chunks/[name]-[hash]', metafile: true,
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
  for (const f of ['speechcore.wasm', 'speechcore-scalar.wasm']) copyFileSync(join('../dist/wasm', f), join('dist/web', f));
  const tfjsWasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const f of readdirSync(tfjsWasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(tfjsWasm, f), join('dist/web/tfjs', f));

  const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
  const raw = (path) => readFileSync(path).length;
  const entry = (paths) => ({ bytes: paths.reduce((s, p) => s + raw(p), 0), gzip: paths.reduce((s, p) => s + gz(p), 0), files: paths });
  const page = ['dist/web/index.html', 'dist/web/styles.css', ...pageJs, 'dist/web/recorder.worklet.js', 'dist/web/speechcore.wasm'];
  const sizes = {
    page: entry(page),
    tfjs: entry([...lazyJs, 'dist/web/tfjs/tfjs-backend-wasm-simd.wasm']),
  };
  writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2) + '\n');
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`lab page (gzip): without LSTM ${kb(sizes.page.gzip)}; + tfjs (LSTM) ${kb(sizes.tfjs.gzip)}`);
}
