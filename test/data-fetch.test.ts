/**
 * `fetchFsdd` / `speechcore data fetch` against a local HTTP server on 127.0.0.1 serving archives
 * built here (GNU tar and pax formats) from a few shared wavs: full download, resume via Range,
 * a dropped connection, checksum failure, the git-tree fallback, an existing dataset. No network.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchFsdd } from '../lab/src/data/fetch.ts';
import { gitFlatTreeId } from '../lab/src/data/git-tree.ts';
import { readTarGz } from '../lab/src/data/tar.ts';
import { DatasetError } from 'speechcore';
import { sharedDir } from './helpers/shared.ts';

const work = mkdtempSync(join(tmpdir(), 'speechcore-fetch-'));
const WAVS = readdirSync(join(sharedDir, 'data/fsdd/recordings')).sort().slice(0, 6);
const ROOT = 'free-spoken-digit-dataset-1.0.10';
const LONG = `utils/${'x'.repeat(120)}.py`;

/** Builds ROOT/{recordings/*.wav, README.md, a >100-char path} and tars it with system tar. */
function buildArchive(format: 'gnu' | 'pax'): Buffer {
  const src = join(work, `src-${format}`);
  mkdirSync(join(src, ROOT, 'recordings'), { recursive: true });
  mkdirSync(join(src, ROOT, 'utils'), { recursive: true });
  for (const w of WAVS) copyFileSync(join(sharedDir, 'data/fsdd/recordings', w), join(src, ROOT, 'recordings', w));
  writeFileSync(join(src, ROOT, 'README.md'), '# test FSDD\n');
  writeFileSync(join(src, ROOT, LONG), 'print(1)\n');
  const out = join(work, `fsdd-${format}.tar.gz`);
  execFileSync('tar', ['-czf', out, `--format=${format}`, '-C', src, ROOT]);
  return readFileSync(out);
}

const gnu = buildArchive('gnu');
const pax = buildArchive('pax');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Served { url: string; requests: { range?: string }[]; close(): Promise<void> }

/** Serves `body` with Range support; `cutAfter` ends the first response early (a dropped connection). */
async function serve(body: Buffer, cutAfter?: number): Promise<Served> {
  const requests: { range?: string }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ range: req.headers.range });
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (start >= body.length && m) { res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }); res.end(); return; }
    const headers: Record<string, string | number> = { 'Content-Type': 'application/gzip', 'Content-Length': body.length - start, 'Accept-Ranges': 'bytes' };
    if (m) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (cutAfter !== undefined && requests.length === 1) {
      // Let the client take in the bytes before the drop, or a loaded machine can see the reset first.
      res.write(body.subarray(start, start + cutAfter), () => setTimeout(() => res.destroy(), 100));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1.0.10.tar.gz`, requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const dest = (name: string) => join(work, name, 'fsdd');

test.after(() => rmSync(work, { recursive: true, force: true }));

test('tar reader: GNU long names and pax paths, modes, contents', () => {
  for (const archive of [gnu, pax]) {
    const entries = readTarGz(archive);
    const files = entries.filter((e) => e.type === 'file').map((e) => e.name).sort();
    assert.ok(files.includes(`${ROOT}/${LONG}`), 'long name kept');
    assert.is(files.filter((f) => f.includes('/recordings/')).length, WAVS.length);
    const wav = entries.find((e) => e.name === `${ROOT}/recordings/${WAVS[0]}`)!;
    assert.equal(Buffer.from(wav.data), readFileSync(join(sharedDir, 'data/fsdd/recordings', WAVS[0])));
  }
});

test('tar reader rejects corrupt, truncated and unsafe archives', () => {
  assert.throws(() => readTarGz(Buffer.from('not gzip')), (e: Error) => e instanceof DatasetError && /gzip/.test(e.message));
  const tar = execFileSync('gzip', ['-dc'], { input: gnu });
  const cut = execFileSync('gzip', ['-c'], { input: tar.subarray(0, 700) });
  assert.throws(() => readTarGz(cut, 'x.tar.gz'), (e: Error) => e instanceof DatasetError && /x\.tar\.gz: truncated/.test(e.message));
  const evil = Buffer.from(tar);
  evil.write('../evil\0', 0, 'latin1');
  // Re-checksum the edited header so only the name is at fault.
  evil.fill(32, 148, 156);
  let sum = 0; for (let i = 0; i < 512; i++) sum += evil[i];
  evil.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  assert.throws(() => readTarGz(execFileSync('gzip', ['-c'], { input: evil })), (e: Error) => /unsafe path "\.\.\/evil"/.test(e.message));
});

test('git tree id of a flat folder matches git (hash-object / mktree)', () => {
  const files = [{ name: 'b.wav', mode: 0o644, data: Buffer.from('bee') }, { name: 'a.wav', mode: 0o755, data: Buffer.from('ay') }];
  // Known ids from `git mktree` on these two blobs.
  const blob = (s: string) => createHash('sha1').update(`blob ${s.length}\0${s}`).digest('hex');
  const body = Buffer.concat([Buffer.from('100755 a.wav\0'), Buffer.from(blob('ay'), 'hex'), Buffer.from('100644 b.wav\0'), Buffer.from(blob('bee'), 'hex')]);
  const expected = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
  assert.is(gitFlatTreeId(files), expected);
});

test('downloads, verifies sha256 and extracts atomically', async () => {
  const s = await serve(gnu);
  try {
    const d = dest('full');
    const progress: number[] = [];
    const r = await fetchFsdd({ dest: d, url: s.url, sha256: sha(gnu), onProgress: (x) => progress.push(x) });
    assert.is(r.downloaded, true);
    assert.is(r.verifiedBy, 'sha256');
    assert.is(r.files, WAVS.length);
    assert.is(r.bytesFetched, gnu.length);
    assert.is(progress.at(-1), gnu.length);
    assert.equal(readdirSync(join(d, 'recordings')).sort(), WAVS);
    assert.ok(existsSync(join(d, LONG)));
    assert.equal(readdirSync(join(work, 'full')), ['fsdd'], 'no partial or temp files left');
    // A second call finds the dataset and does not download.
    const again = await fetchFsdd({ dest: d, url: s.url, sha256: sha(gnu) });
    assert.is(again.downloaded, false);
    assert.is(s.requests.length, 1);
  } finally { await s.close(); }
});

test('a dropped connection keeps the partial; the next call resumes with Range', async () => {
  const s = await serve(pax, 4000);
  try {
    const d = dest('resume');
    try {
      await fetchFsdd({ dest: d, url: s.url, sha256: sha(pax) });
      assert.unreachable('should have failed');
    } catch (e) {
      assert.instance(e, DatasetError);
      assert.match((e as Error).message, /interrupted after \d+ .*run the command again to resume/);
    }
    assert.not.ok(existsSync(d));
    const partial = readFileSync(`${d}.download`).length;
    assert.ok(partial > 0 && partial < pax.length, `partial ${partial}`);
    const r = await fetchFsdd({ dest: d, url: s.url, sha256: sha(pax) });
    assert.is(r.resumed, true);
    assert.is(r.bytesFetched, pax.length - partial);
    assert.is(s.requests[1].range, `bytes=${partial}-`);
    assert.equal(readdirSync(join(d, 'recordings')).sort(), WAVS);
  } finally { await s.close(); }
});

test('a complete partial (416) is verified without fetching again', async () => {
  const s = await serve(gnu);
  try {
    const d = dest('complete');
    mkdirSync(join(work, 'complete'), { recursive: true });
    writeFileSync(`${d}.download`, gnu);
    writeFileSync(`${d}.download.json`, JSON.stringify({ url: s.url, sha256: sha(gnu) }));
    const r = await fetchFsdd({ dest: d, url: s.url, sha256: sha(gnu) });
    assert.is(r.bytesFetched, 0);
    assert.is(r.files, WAVS.length);
  } finally { await s.close(); }
});

test('a checksum mismatch discards the download and leaves no dest; the git tree can vouch instead', async () => {
  const s = await serve(gnu);
  try {
    const d = dest('bad');
    const wrong = '0'.repeat(64);
    try {
      await fetchFsdd({ dest: d, url: s.url, sha256: wrong });
      assert.unreachable('should have failed');
    } catch (e) {
      assert.match((e as Error).message, new RegExp(`sha256 ${sha(gnu)} does not match the expected ${wrong}`));
    }
    assert.not.ok(existsSync(d));
    assert.not.ok(existsSync(`${d}.download`));
    const tree = gitFlatTreeId(readTarGz(gnu).filter((e) => e.name.includes('/recordings/'))
      .map((e) => ({ ...e, name: e.name.split('/').pop()! })));
    const warnings: string[] = [];
    const r = await fetchFsdd({ dest: d, url: s.url, sha256: wrong, recordingsTree: tree, onWarning: (w) => warnings.push(w) });
    assert.is(r.verifiedBy, 'recordings-tree');
    assert.match(warnings[0], /matches git tree/);
    try {
      await fetchFsdd({ dest: dest('bad2'), url: s.url, sha256: wrong, recordingsTree: 'f'.repeat(40) });
      assert.unreachable('should have failed');
    } catch (e) {
      assert.match((e as Error).message, /recordings\/ has git tree [0-9a-f]{40}, not f{40}/);
    }
  } finally { await s.close(); }
});

test('errors: HTTP 404, unreachable server, dest that is not a dataset, bad sha256', async () => {
  const s = await serve(gnu);
  const url404 = s.url.replace(/\/[^/]*$/, '/missing');
  const server404 = createServer((_q, r) => { r.writeHead(404); r.end(); });
  await new Promise<void>((r) => server404.listen(0, '127.0.0.1', r));
  try {
    const u = `http://127.0.0.1:${(server404.address() as AddressInfo).port}/x.tar.gz`;
    await fetchFsdd({ dest: dest('e1'), url: u, sha256: sha(gnu) }).then(() => assert.unreachable(), (e) => assert.match(e.message, /HTTP 404/));
    await s.close();
    await fetchFsdd({ dest: dest('e2'), url: url404, sha256: sha(gnu) }).then(() => assert.unreachable(), (e) => assert.match(e.message, /cannot download http:\/\/127\.0\.0\.1/));
    mkdirSync(dest('e3'), { recursive: true });
    writeFileSync(join(dest('e3'), 'other.txt'), 'x');
    await fetchFsdd({ dest: dest('e3'), url: url404, sha256: sha(gnu) }).then(() => assert.unreachable(), (e) => assert.match(e.message, /has no recordings\/\*\.wav; remove it or pass --force/));
    await fetchFsdd({ dest: dest('e4'), url: url404, sha256: 'abc' }).then(() => assert.unreachable(), (e) => assert.match(e.message, /sha256="abc" must be 64 hex digits/));
  } finally {
    server404.closeAllConnections();
    await new Promise((r) => server404.close(r));
  }
});

test('CLI: speechcore data fetch with the URL and checksum from the environment', async () => {
  const s = await serve(gnu);
  try {
    const d = dest('cli');
    const run = () => new Promise<{ status: number | null; stderr: string }>((resolve) => {
      // spawnSync would block this process and with it the server: run the CLI asynchronously.
      import('node:child_process').then(({ spawn }) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'bindings/cli/main.ts', 'data', 'fetch', '--dest', d], {
          env: { ...process.env, SPEECHCORE_FSDD_URL: s.url, SPEECHCORE_FSDD_SHA256: sha(gnu) },
        });
        let stderr = '';
        p.stderr.on('data', (c) => (stderr += c));
        p.on('close', (status) => resolve({ status, stderr }));
      });
    });
    const first = await run();
    assert.is(first.status, 0, first.stderr);
    assert.match(first.stderr, /6 recordings/);
    assert.equal(readdirSync(join(d, 'recordings')).sort(), WAVS);
    const second = await run();
    assert.is(second.status, 0);
    assert.match(second.stderr, /already has 6 recordings/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'bindings/cli/main.ts', 'data', 'pull'], { encoding: 'utf8' });
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /unknown subcommand 'pull'/);
  } finally { await s.close(); }
});

test.run();
