/**
 * Downloads the Free Spoken Digit Dataset: GitHub's archive of a pinned tag, resumable (HTTP Range
 * on a partial download), checksum-verified, extracted atomically (into a temporary sibling folder
 * renamed into place, so `dest` is either absent or complete).
 *
 * Integrity: the archive's sha256 is pinned. GitHub builds its archives on the fly (`git archive`
 * + gzip) and has changed their compressed bytes before, so when the sha256 differs the contents
 * are checked instead: the git tree id of `recordings/` must equal the tag's
 * (`git rev-parse v1.0.10:recordings`). Anything else is rejected and the download discarded.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DatasetError, ParameterError } from 'speechcore';
import { gitFlatTreeId } from './git-tree.ts';
import { readTarGz } from './tar.ts';

/** The pinned release: FSDD v1.0.10 (2020-08-12, 3000 recordings, 6 speakers). */
export const FSDD = {
  version: 'v1.0.10',
  url: 'https://github.com/Jakobovski/free-spoken-digit-dataset/archive/refs/tags/v1.0.10.tar.gz',
  /** sha256 of `git archive --format=tar --prefix=free-spoken-digit-dataset-1.0.10/ v1.0.10 | gzip -n`. */
  sha256: 'feb479fad3a37883c3d21ed7f982281c2dd1c18d5aefd7e8a5d50f58023392aa',
  /** `git rev-parse v1.0.10:recordings`. */
  recordingsTree: 'd04322e322a9f937f6f4f7c8546693755184df5b',
  recordings: 3000,
} as const;

export interface FetchFsddOptions {
  /** Target folder (default `./data/fsdd`); it gets `recordings/`, README.md, ... */
  dest?: string;
  /** Archive URL (default {@link FSDD}.url; env SPEECHCORE_FSDD_URL). */
  url?: string;
  /** Expected sha256 of the archive, hex (default {@link FSDD}.sha256; env SPEECHCORE_FSDD_SHA256). */
  sha256?: string;
  /**
   * Expected git tree id of `recordings/`, accepted when the sha256 differs. Defaults to the pinned
   * tag's when neither url nor sha256 is overridden, else none (sha256 must match).
   */
  recordingsTree?: string | null;
  /** Replace an existing dest. */
  force?: boolean;
  /** Bytes received so far and the total when known (0 otherwise). */
  onProgress?: (received: number, total: number) => void;
  /** Aborts after this many ms without data (default 60000). */
  idleTimeoutMs?: number;
  /** Warnings (e.g. the contents matched but the archive bytes did not). */
  onWarning?: (message: string) => void;
}

export interface FetchFsddResult {
  dest: string;
  /** False when dest already held the dataset. */
  downloaded: boolean;
  /** Bytes fetched in this call (less than the archive when it resumed). */
  bytesFetched: number;
  /** True when a partial download was continued. */
  resumed: boolean;
  sha256: string;
  /** How the archive was accepted. */
  verifiedBy: 'sha256' | 'recordings-tree' | 'existing';
  files: number;
}

const countWavs = (dir: string): number => {
  const rec = join(dir, 'recordings');
  return existsSync(rec) && statSync(rec).isDirectory() ? readdirSync(rec).filter((f) => f.toLowerCase().endsWith('.wav')).length : 0;
};

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Downloads (or resumes) `url` into `partial`. A server that ignores Range (200) restarts the file;
 * 416 means the partial already holds everything.
 */
async function download(url: string, partial: string, options: FetchFsddOptions): Promise<{ bytes: number; resumed: boolean }> {
  const have = existsSync(partial) ? statSync(partial).size : 0;
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => controller.abort(), idleMs);
  const poke = () => { clearTimeout(timer); timer = setTimeout(() => controller.abort(), idleMs); };
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, signal: controller.signal, redirect: 'follow' });
    } catch (e) {
      throw new DatasetError(`cannot download ${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
    if (res.status === 416 && have > 0) {
      await res.body?.cancel();
      return { bytes: 0, resumed: true };
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new DatasetError(`cannot download ${url}: HTTP ${res.status} ${res.statusText}`);
    }
    const resumed = res.status === 206 && have > 0;
    if (res.status === 206 && !resumed) throw new DatasetError(`cannot download ${url}: unexpected partial content`);
    if (resumed) {
      const range = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== have) {
        await res.body?.cancel();
        throw new DatasetError(`cannot resume ${url}: server sent range "${res.headers.get('content-range')}" for a request from byte ${have}`);
      }
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    const total = length > 0 ? length + (resumed ? have : 0) : 0;
    const out = createWriteStream(partial, { flags: resumed ? 'a' : 'w' });
    let received = resumed ? have : 0, bytes = 0;
    try {
      if (!res.body) throw new DatasetError(`cannot download ${url}: empty response`);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        poke();
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        received += chunk.length;
        bytes += chunk.length;
        options.onProgress?.(received, total);
      }
    } catch (e) {
      if (e instanceof DatasetError) throw e;
      const why = controller.signal.aborted ? `no data for ${idleMs / 1000} s` : (e as Error).message;
      throw new DatasetError(`download of ${url} interrupted after ${received} bytes (${why}); run the command again to resume`);
    } finally {
      await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
    }
    if (total > 0 && received !== total) {
      throw new DatasetError(`download of ${url} interrupted after ${received} of ${total} bytes; run the command again to resume`);
    }
    return { bytes, resumed };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fetches FSDD into `dest` unless it already holds recordings.
 * @throws DatasetError when the download fails (the partial file is kept for a resume), when the
 *   archive fails verification (it is deleted), or when dest exists but is not a dataset.
 * @example await fetchFsdd({ dest: 'data/fsdd', onProgress: (r, t) => bar.update(r, t) })
 */
export async function fetchFsdd(options: FetchFsddOptions = {}): Promise<FetchFsddResult> {
  const dest = resolve(options.dest ?? 'data/fsdd');
  const url = options.url ?? process.env['SPEECHCORE_FSDD_URL'] ?? FSDD.url;
  const sha256 = (options.sha256 ?? process.env['SPEECHCORE_FSDD_SHA256'] ?? FSDD.sha256).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ParameterError(`sha256="${sha256}" must be 64 hex digits`);
  const pinned = url === FSDD.url && sha256 === FSDD.sha256;
  const tree = options.recordingsTree === undefined ? (pinned ? FSDD.recordingsTree : null) : options.recordingsTree;

  if (existsSync(dest) && !options.force) {
    const wavs = countWavs(dest);
    if (wavs > 0) return { dest, downloaded: false, bytesFetched: 0, resumed: false, sha256: '', verifiedBy: 'existing', files: wavs };
    if (readdirSync(dest).length > 0) throw new DatasetError(`${dest} exists and has no recordings/*.wav; remove it or pass --force`);
  }
  mkdirSync(dirname(dest), { recursive: true });
  const partial = `${dest}.download`;
  const meta = `${partial}.json`;
  // A partial of another URL or checksum is not resumed.
  const previous = existsSync(meta) ? readFileSync(meta, 'utf8') : '';
  const metaText = JSON.stringify({ url, sha256 });
  if (previous !== metaText) {
    rmSync(partial, { force: true });
    writeFileSync(meta, metaText);
  }
  const { bytes, resumed } = await download(url, partial, options);

  const actual = await sha256File(partial);
  const discard = () => { rmSync(partial, { force: true }); rmSync(meta, { force: true }); };
  let entries;
  try {
    entries = readTarGz(readFileSync(partial), url);
  } catch (e) {
    discard();
    throw new DatasetError(`${(e as Error).message}; the download was discarded (sha256 ${actual}, expected ${sha256})`);
  }
  const roots = new Set(entries.map((e) => e.name.split('/')[0]));
  if (roots.size !== 1) { discard(); throw new DatasetError(`${url}: expected one top-level folder in the archive, found ${roots.size}`); }
  const root = [...roots][0];
  const recordings = entries
    .filter((e) => e.type === 'file' && e.name.startsWith(`${root}/recordings/`) && !e.name.slice(root.length + 12).includes('/'))
    .map((e) => ({ name: e.name.slice(root.length + 12), mode: e.mode, data: e.data }));

  let verifiedBy: FetchFsddResult['verifiedBy'] = 'sha256';
  if (actual !== sha256) {
    const got = tree ? gitFlatTreeId(recordings) : null;
    if (!tree || got !== tree) {
      discard();
      throw new DatasetError(`${url}: sha256 ${actual} does not match the expected ${sha256}` +
        (tree ? ` and recordings/ has git tree ${got}, not ${tree}` : '') + '; the download was discarded');
    }
    verifiedBy = 'recordings-tree';
    options.onWarning?.(`archive sha256 ${actual} differs from the pinned ${sha256}, but recordings/ matches git tree ${tree}`);
  }
  if (!recordings.some((r) => r.name.toLowerCase().endsWith('.wav'))) {
    discard();
    throw new DatasetError(`${url}: the archive has no ${root}/recordings/*.wav`);
  }

  // Extract beside dest, then rename: dest is never half-written.
  const tmp = `${dest}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const e of entries) {
      const rel = e.name.slice(root.length + 1);
      if (rel === '') continue;
      const target = join(tmp, rel);
      if (!target.startsWith(tmp + sep)) throw new DatasetError(`${url}: unsafe path "${e.name}" in archive`);
      if (e.type === 'directory') mkdirSync(target, { recursive: true });
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, e.data, { mode: e.mode & 0o777 });
      }
    }
    if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  discard();
  return { dest, downloaded: true, bytesFetched: bytes, resumed, sha256: actual, verifiedBy, files: recordings.length };
}
