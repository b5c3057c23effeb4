/**
 * `speechcore serve` without a browser: what the server hands out (MIME types the page needs,
 * the same-origin CSP, nothing outside its two folders, only the models it lists), how it finds
 * models, and the CLI's output and one-line errors.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { scanModels } from '../lab/src/serve/models.ts';
import { startServer, type RunningServer } from '../lab/src/serve/server.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const WEB_ROOT = fileURLToPath(new URL('../lab/dist/web/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-serve-'));
const put = (rel: string, text: string) => {
  mkdirSync(join(tmp, rel, '..'), { recursive: true });
  writeFileSync(join(tmp, rel), text);
};
const HMM_HEAD = '{"schema":"speechcore-hmm-classifier","version":1}';
const LSTM_HEAD = '{"format":"speechcore.SequenceClassifier","version":1}';
const RECOGNIZER_HEAD = '{"schema":"speechcore-recognizer","version":1}';

const Models = suite('models folder discovery');

Models('names first (even when corrupt), then contents; lstm/best.json from a checkpoint folder; a speaker-independent recogniser beside an HMM', () => {
  put('a/hmm.json', 'garbage');
  put('a/lstm/best.json', LSTM_HEAD);
  assert.equal(scanModels(join(tmp, 'a')), { dir: join(tmp, 'a'), exists: true, recognizer: null, hmm: 'hmm.json', lstm: 'lstm/best.json' });
  put('b/digits.json', HMM_HEAD);
  put('b/notes.json', '{"hello": 1}');
  put('b/run7/best.json', LSTM_HEAD);
  assert.equal(scanModels(join(tmp, 'b')), { dir: join(tmp, 'b'), exists: true, recognizer: null, hmm: 'digits.json', lstm: 'run7/best.json' });
  put('c/model.json', HMM_HEAD);
  assert.equal(scanModels(join(tmp, 'c')), { dir: join(tmp, 'c'), exists: true, recognizer: null, hmm: 'model.json', lstm: null });
  assert.equal(scanModels(join(tmp, 'nope')), { dir: join(tmp, 'nope'), exists: false, recognizer: null, hmm: null, lstm: null });
  put('d/recognizer.json', 'garbage');
  put('e/si.json', RECOGNIZER_HEAD);
  put('e/hmm.json', HMM_HEAD);
  assert.equal(scanModels(join(tmp, 'd')), { dir: join(tmp, 'd'), exists: true, recognizer: 'recognizer.json', hmm: null, lstm: null });
  assert.equal(scanModels(join(tmp, 'e')), { dir: join(tmp, 'e'), exists: true, recognizer: 'si.json', hmm: 'hmm.json', lstm: null });
});

Models.run();

const Http = suite('server');
let s: RunningServer;

Http.before(async () => {
  put('m/hmm.json', HMM_HEAD);
  put('m/secret.json', '{"not": "offered"}');
  s = await startServer({ port: 0, models: join(tmp, 'm'), root: WEB_ROOT });
});
Http.after(() => s.close());

const get = (path: string, init?: RequestInit) => fetch(new URL(path, s.url), init);

Http('the page, its scripts and the wasm with the right types and a same-origin CSP', async () => {
  const page = await get('/');
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-type')!, /^text\/html/);
  assert.match(await page.text(), /data-testid="prediction"/);
  const csp = page.headers.get('content-security-policy')!;
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  for (const [path, type] of [['/app.js', /^text\/javascript/], ['/worker.js', /^text\/javascript/], ['/speechcore.wasm', /^application\/wasm$/],
    ['/speechcore-scalar.wasm', /^application\/wasm$/], ['/tfjs/tfjs-backend-wasm-simd.wasm', /^application\/wasm$/], ['/styles.css', /^text\/css/]] as const) {
    const r = await get(path);
    assert.is(r.status, 200, path);
    assert.match(r.headers.get('content-type')!, type, path);
    await r.arrayBuffer();
  }
  const head = await get('/speechcore.wasm', { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 10_000);
});

Http('models: the manifest, the listed files, and nothing else', async () => {
  const m = await (await get('/models/index.json')).json();
  assert.equal(m, { dir: join(tmp, 'm'), exists: true, recognizer: null, hmm: 'hmm.json', lstm: null });
  assert.is(await (await get('/models/hmm.json')).text(), HMM_HEAD);
  assert.is((await get('/models/secret.json')).status, 404);
  // A model added while the server runs is offered on the next request.
  put('m/lstm.json', LSTM_HEAD);
  assert.is((await (await get('/models/index.json')).json()).lstm, 'lstm.json');
  assert.is((await get('/models/lstm.json')).status, 200);
});

Http('nothing outside its folders; GET and HEAD only', async () => {
  const raw = (path: string) => new Promise<number>((resolve, reject) => {
    // fetch() normalises ../ away; send the path as written.
    import('node:http').then(({ request }) => {
      const r = request({ host: '127.0.0.1', port: s.port, path, method: 'GET' }, (res) => { res.resume(); resolve(res.statusCode!); });
      r.on('error', reject);
      r.end();
    });
  });
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/models/../../package.json', '/models/%2e%2e%2fhmm.json', '/chunks/../../../etc/passwd', '/%00']) {
    const status = await raw(p);
    assert.ok(status === 404 || status === 400, `${p} → ${status}`);
  }
  assert.is((await get('/', { method: 'POST', body: 'x' })).status, 405);
  assert.is((await get('/no-such-file.js')).status, 404);
});

Http.run();

const Cli = suite('speechcore serve (CLI)');

/** Starts `speechcore serve` and resolves with its first line and the child. */
async function startServe(args: string[], cwd?: string) {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.split('\n')[0]!); });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing`)));
    setTimeout(() => reject(new Error('no output in 10 s')), 10_000);
  });
  const stop = () => new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  return { line, stop };
}

Cli('prints the URL and the models it found, serves, stops on SIGTERM', async () => {
  const { line, stop } = await startServe(['--models', join(tmp, 'a')]);
  assert.match(line, /^speechcore: serving http:\/\/127\.0\.0\.1:\d+\/ \(page .*; models .*: HMM hmm\.json, LSTM lstm\/best\.json\); Ctrl-C to stop$/);
  const url = /serving (\S+)/.exec(line)![1]!;
  assert.is((await fetch(url)).status, 200);
  assert.is(await stop(), 0);
});

Cli('without ./models a newcomer gets the recogniser the repository ships (lab/models)', async () => {
  const empty = join(tmp, 'newcomer');
  mkdirSync(empty, { recursive: true });
  const { line, stop } = await startServe([], empty);
  assert.match(line, /models .*lab\/models: recogniser recognizer\.json/);
  const url = /serving (\S+)/.exec(line)![1]!;
  const m = await (await fetch(new URL('models/index.json', url))).json();
  assert.is(m.recognizer, 'recognizer.json');
  assert.match(await (await fetch(new URL('models/recognizer.json', url))).text(), /^\{"schema":"speechcore-recognizer","version":1,/);
  assert.is(await stop(), 0);
});

Cli('errors are one line (a usage error adds serve\'s usage only): a port in use, a bad flag', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const busy = spawnSync(process.execPath, [CLI, 'serve', '--port', String(port)], { encoding: 'utf8' });
  blocker.close();
  assert.is(busy.status, 1);
  assert.is(busy.stderr.trim().split('\n').length, 1, busy.stderr);
  assert.match(busy.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: pass --port P`));
  const bad = spawnSync(process.execPath, [CLI, 'serve', '--port', 'http'], { encoding: 'utf8' });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^speechcore: UsageError: --port=http must be an integer\nusage:\n  speechcore serve \[--port 8000\][^\n]*\n$/);
  const range = spawnSync(process.execPath, [CLI, 'serve', '--port', '70000'], { encoding: 'utf8' });
  assert.match(range.stderr, /--port=70000 must be an integer in \[0, 65535\]/);
});

Cli.run();

const Sizes = suite('bundle sizes (dist/ and lab/dist/bundle-sizes.json, written by the builds)');

Sizes('the engine bundle with its wasm stays ≤ 150 KB gzipped, fetched or inlined', () => {
  const sizes = JSON.parse(readFileSync(fileURLToPath(new URL('../dist/bundle-sizes.json', import.meta.url)), 'utf8'));
  const lab = JSON.parse(readFileSync(fileURLToPath(new URL('../lab/dist/bundle-sizes.json', import.meta.url)), 'utf8'));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  process.stdout.write(`\n  browser bundles (gzip -9): engine + wasm fetched ${kb(sizes.engineFetched.gzip)}, inlined (both builds) ${kb(sizes.engineInline.gzip)}; ` +
    `lab page without LSTM ${kb(lab.page.gzip)}; LSTM + TensorFlow.js ${kb(lab.tfjs.gzip)}\n`);
  assert.ok(sizes.engineFetched.gzip <= 150 * 1024, kb(sizes.engineFetched.gzip));
  assert.ok(sizes.engineInline.gzip <= 150 * 1024, kb(sizes.engineInline.gzip));
});

Sizes.run();
