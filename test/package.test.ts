/**
 * The consumer test (issue 9): what a new user gets from the tarball `npm pack` makes. Packs the
 * built package, installs it into an empty project (offline: the package has no dependencies, and
 * its TensorFlow.js peers are optional), then uses it the ways users do — ESM import and MFCC of an
 * FSDD file, CommonJS `require`, TypeScript (strict, skipLibCheck false) under node16 and bundler
 * resolution, an esbuild browser bundle, the CLI — and prints the installed size.
 *
 * Needs `npm run build` first (npm test does it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { sharedDir } from './helpers/shared.ts';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'speechcore-consumer-'));
const app = join(work, 'app');
const wav = join(sharedDir, 'data/fsdd/recordings/7_jackson_32.wav');
const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file);
// The npm beside this node, not node_modules/.bin/npm (a dev tool's dependency drags npm 6 in there).
const npm = existsSync(join(dirname(process.execPath), 'npm')) ? join(dirname(process.execPath), 'npm') : 'npm';

// As a new user's shell would have it: none of the npm_* settings of the npm running this test.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
env.npm_config_update_notifier = 'false';

function run(cmd: string, args: string[], cwd = app): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(cmd: string, args: string[], cwd = app): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) assert.unreachable(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function duKb(dir: string): number {
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) bytes += statSync(p).size;
    }
  };
  walk(dir);
  return bytes / 1024;
}

let tarball = '';

test.before(() => {
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', env });
  const info = JSON.parse(out)[0] as { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
  tarball = join(work, info.filename);
  const maps = info.files.filter((f) => f.path.endsWith('.map'));
  const sources = info.files.filter((f) => /\.ts$/.test(f.path) && !f.path.endsWith('.d.ts'));
  console.log(`  tarball ${info.filename}: ${(info.size / 1024).toFixed(0)} KB packed, ${(info.unpackedSize / 1024).toFixed(0)} KB unpacked, ${info.files.length} files`);
  assert.is(maps.length, 0, `source maps in the tarball: ${maps.map((f) => f.path).join(', ')}`);
  assert.is(sources.length, 0, `.ts sources in the tarball: ${sources.slice(0, 5).map((f) => f.path).join(', ')}`);
    execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  ok(npm, ['install', '--offline', '--no-audit', '--no-fund', tarball]);
});

test.after(() => {
  rmSync(work, { recursive: true, force: true });
});

test('installs alone: no dependencies, small', () => {
  const nm = join(app, 'node_modules');
  const installed = readdirSync(nm).filter((d) => !d.startsWith('.'));
  assert.equal(installed, ['speechcore'], `installed packages: ${installed.join(', ')}`);
  const kb = duKb(nm);
  console.log(`  installed tree (npm install speechcore, no optional peers): ${(kb / 1024).toFixed(2)} MB`);
  assert.ok(kb < 15 * 1024, `installed ${kb.toFixed(0)} KB, target ≤ 15 MB`);
});

test('the shipped code statically imports only node: built-ins, its own files and declared packages', () => {
  const pkgDir = join(app, 'node_modules/speechcore');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
  const bad: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?["']([^"']+)["']/g)) {
          const spec = m[1]!;
          if (spec.startsWith('.') || spec.startsWith('node:') || declared.has(packageOf(spec))) continue;
          bad.push(`${p.slice(pkgDir.length + 1)} imports ${spec}`);
        }
      }
    }
  };
  walk(join(pkgDir, 'dist'));
  assert.equal(bad, []);
});

test('ESM: decodeWav + mfcc on an FSDD file', () => {
  writeFileSync(join(app, 'esm.mjs'), `import { readFileSync } from 'node:fs';
import { decodeWav, mfcc } from 'speechcore';
const { samples, sampleRate } = decodeWav(readFileSync(${JSON.stringify(wav)}));
const m = mfcc(samples, { sr: sampleRate, nMfcc: 13, nFft: 240, hopLength: 120 });
console.log(JSON.stringify({ rows: m.rows, cols: m.cols, first: m.data[0] }));
`);
  const r = JSON.parse(ok('node', ['esm.mjs']));
  assert.is(r.cols, 13);
  assert.ok(r.rows > 10);
  assert.ok(Number.isFinite(r.first) && r.first < 0, `c0 of a real recording is a finite negative number (got ${r.first})`);
});

test('CommonJS require', () => {
  writeFileSync(join(app, 'cjs.cjs'), `const sc = require('speechcore');
console.log(typeof sc.mfcc, typeof sc.decodeWav, typeof sc.GmmHmm);
`);
  assert.is(ok('node', ['cjs.cjs']).trim(), 'function function function');
});

test('speechcore/nn without TensorFlow.js: one error naming the packages', () => {
  writeFileSync(join(app, 'nn.mjs'), `try { await import('speechcore/nn'); console.log('imported'); } catch (e) { console.log(e.name + ': ' + e.message); }\n`);
  const out = ok('node', ['nn.mjs']).trim();
  assert.match(out, /^MissingPeerError: /);
  assert.match(out, /@tensorflow\/tfjs-core/);
  assert.match(out, /@tensorflow\/tfjs-backend-wasm/);
});

const consumerTs = `import { readFileSync } from 'node:fs';
import { decodeWav, mfcc, GmmHmm, type Matrix } from 'speechcore';
import { init } from 'speechcore/inline';
import type { Command } from 'speechcore/cli';
const cmd: Command = { summary: 'x', usage: 'y', run: () => {} };
void init; void cmd;
const wav = decodeWav(readFileSync(process.argv[2]!));
const m: Matrix = mfcc(wav.samples, { sr: wav.sampleRate, nMfcc: 13 });
const hmm = new GmmHmm({ nStates: 3, nMix: 1, covarianceType: 'diag' });
console.log(m.rows, hmm.nStates);
`;

for (const [resolution, module] of [['node16', 'node16'], ['bundler', 'esnext']] as const) {
  test(`TypeScript strict, skipLibCheck false, moduleResolution ${resolution}`, () => {
    const dir = join(app, `ts-${resolution}`);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'main.ts'), consumerTs);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', module, moduleResolution: resolution,
        typeRoots: [join(root, 'node_modules/@types')], types: ['node'],
      },
      files: ['main.ts'],
    }));
    const r = run('node', [bin('typescript', 'bin/tsc'), '-p', dir]);
    assert.is(r.status, 0, `tsc (${resolution}) failed:\n${r.stdout}${r.stderr}`);
  });
}

test('TypeScript: speechcore/nn with its peer installed (skipLibCheck: tfjs-core\'s own declarations need @types/long)', () => {
  const dir = join(app, 'ts-nn');
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'main.ts'), `import { SequenceClassifier, MissingPeerError, type History } from 'speechcore/nn';
export const make = (inputDim: number) => new SequenceClassifier({ inputDim, hidden: 8 });
export type H = History;
void MissingPeerError;
`);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, skipLibCheck: true, noEmit: true, target: 'es2022', module: 'node16', moduleResolution: 'node16',
      typeRoots: [join(root, 'node_modules/@types')], types: ['node'],
      paths: { '@tensorflow/tfjs-core': [join(root, 'node_modules/@tensorflow/tfjs-core/dist/index.d.ts')] },
    },
    files: ['main.ts'],
  }));
  const r = run('node', [bin('typescript', 'bin/tsc'), '-p', dir]);
  assert.is(r.status, 0, `tsc (speechcore/nn) failed:\n${r.stdout}${r.stderr}`);
});

test('esbuild --platform=browser bundles the main entry (no node: built-ins)', () => {
  writeFileSync(join(app, 'page.js'), `import { init, mfcc } from 'speechcore';\nawait init();\nconsole.log(mfcc);\n`);
  const r = run(bin('esbuild', 'bin/esbuild'), ['page.js', '--bundle', '--platform=browser', '--format=esm', '--outfile=out/page.js']);
  assert.is(r.status, 0, `esbuild failed:\n${r.stderr}`);
  assert.ok(existsSync(join(app, 'out/page.js')));
  assert.ok(existsSync(join(app, 'node_modules/speechcore/dist/wasm/speechcore.wasm')), 'the wasm is in the package, at speechcore/wasm/*');
});

test('CLI: --help, --version, features --help, usage errors', () => {
  const cli = join(app, 'node_modules/.bin/speechcore');
  const help = ok(cli, ['--help']);
  assert.match(help, /commands:/);
  const version = ok(cli, ['--version']).trim();
  assert.match(version, /^\d+\.\d+\.\d+/);
  const fh = ok(cli, ['features', '--help']);
  assert.match(fh, /speechcore features FILE\.wav/);
  assert.not.match(fh, /speechcore hmm/, 'a command\'s help is that command\'s usage only');
  const feat = JSON.parse(ok(cli, ['features', wav, '--kind', 'mfcc', '--n-mfcc', '13', '--format', 'json']));
  assert.is(feat.shape[0], 13);
  const bad = run(cli, ['features', wav, '--kind', 'nope', '--format', 'json']);
  assert.is(bad.status, 2);
  const lab = run(cli, ['report']);
  assert.is(lab.status, 2);
  assert.match(lab.stderr, /lab application/);
  const labHelp = run(cli, ['report', '--help']);
  assert.is(labHelp.status, 0, 'a lab command\'s --help answers even without the lab');
  assert.match(labHelp.stdout, /lab application/);
  const bench = run(cli, ['bench', 'fft', '--json', 'b.json']);
  assert.is(bench.status, 2);
  assert.match(bench.stderr, /npm install --no-save fft\.js/);
});

test.run();
