// Builds the speechcore package from bindings/ (the library): esbuild bundles for Node (ESM, one
// shared chunk per module so the entries share one engine), the browser entries, the wasm beside
// them in dist/wasm/, and the .d.ts files (tsc). The lab application builds itself (lab/scripts/build.js).
// Peers stay external: TensorFlow.js (optional peers of speechcore/nn) and the benchmark peers
// (devDependencies: `bench` imports them only when it runs).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

// Maps are written for debugging but not linked from the code (the tarball leaves them out, and a
// dangling sourceMappingURL makes consumers' bundlers warn).
const common = { bundle: true, format: 'esm', sourcemap: 'external', logLevel: 'warning', legalComments: 'none' };
const external = ['fft.js', '@echogarden/pffft-wasm', '@echogarden/pffft-wasm/*', 'meyda', '@tensorflow/*', '@speechcore/lab', '@speechcore/lab/*'];

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/wasm', { recursive: true });
for (const f of ['speechcore.wasm', 'speechcore-scalar.wasm']) copyFileSync(`build/${f}`, `dist/wasm/${f}`);

await build({
  ...common,
  entryPoints: {
    index: 'bindings/index.ts', nn: 'bindings/nn/index.ts', cli: 'bindings/cli/main.ts', 'cli-kit': 'bindings/cli/kit.ts',
    'extract-worker': 'bindings/pipeline/extract-worker.ts', 'hmm-worker': 'bindings/pipeline/hmm-worker.ts',
  },
  outdir: 'dist', platform: 'node', target: 'node20', splitting: true, chunkNames: 'chunk-[hash]', external,
  // minifySyntax drops the other layouts' branches (readable code otherwise).
  define: { __SPEECHCORE_LAYOUT__: '"node"' }, minifySyntax: true,
});

// tfjs-core's gradients for Node (bindings/nn/gradients.ts says why): the one part of a peer that is
// bundled, with its licence comments kept (Apache-2.0).
await build({
  ...common, sourcemap: false, legalComments: 'eof', minify: true, entryPoints: { 'tfjs-gradients': 'bindings/nn/gradients.ts' },
  define: { __SPEECHCORE_LAYOUT__: '"node"' },
  outdir: 'dist', platform: 'node', target: 'node20',
});

// Browsers: no node: imports (bindings/browser.ts is bindings/api.ts alone; the sequence models reach
// files only through process.getBuiltinModule). dist/browser/: the engine, speechcore/nn and the
// inline entry (both wasm builds as base64) sharing one chunk, so they share one engine; the wasm
// is fetched from dist/wasm/ unless inlined.
const browser = { ...common, platform: 'browser', target: ['chrome110', 'firefox115', 'safari16'], minify: true };
const browserBuild = await build({
  ...browser, entryPoints: { index: 'bindings/browser.ts', nn: 'bindings/nn/index.ts', inline: 'bindings/browser-inline.ts' },
  outdir: 'dist/browser', splitting: true, chunkNames: 'chunk-[hash]', external: ['@tensorflow/*'], loader: { '.wasm': 'binary' },
  define: { __SPEECHCORE_LAYOUT__: '"browser"' }, metafile: true,
});

// Declarations: compiled .d.ts (relative imports rewritten to .js), never the .ts sources.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// tsc keeps `.ts` in the specifiers of declaration files; consumers' compilers resolve `.js`.
const dts = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? dts(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
for (const f of dts('dist/types')) {
  const text = readFileSync(f, 'utf8');
  const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');
  if (fixed !== text) writeFileSync(f, fixed);
}

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
// What `import 'speechcore'` costs a page: the entry, the chunks it imports statically, the SIMD wasm.
const outputs = browserBuild.metafile.outputs;
const closure = (entry) => {
  const seen = new Set([entry]);
  for (const f of seen) for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external) seen.add(i.path);
  return [...seen];
};
const entry = (files) => ({ bytes: files.reduce((s, f) => s + readFileSync(f).length, 0), gzip: files.reduce((s, f) => s + gz(f), 0), files });
const sizes = {
  engineFetched: entry([...closure('dist/browser/index.js'), 'dist/wasm/speechcore.wasm']),
  engineInline: entry(closure('dist/browser/inline.js')),
};
writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`browser bundles (gzip): engine + wasm fetched ${kb(sizes.engineFetched.gzip)}, inlined ${kb(sizes.engineInline.gzip)}`);
