/**
 * A small tar reader (POSIX ustar, pax extended headers, GNU long names): enough for the archives
 * GitHub publishes (`git archive` output) and for GNU tar's. Regular files and directories only;
 * links and devices are skipped. Entry names are checked so that nothing lands outside the target.
 *
 * @module
 */
import { gunzipSync } from 'node:zlib';
import { DatasetError } from 'speechcore';

export interface TarEntry {
  /** Path inside the archive, '/'-separated, no leading './', no trailing '/'. */
  name: string;
  type: 'file' | 'directory';
  /** Permission bits from the header (e.g. 0o644, 0o755). */
  mode: number;
  /** File contents (a view into the archive); empty for directories. */
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function field(h: Uint8Array, offset: number, length: number): string {
  const bytes = h.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(h: Uint8Array, offset: number, length: number, what: string, source: string): number {
  // GNU base-256 for values ≥ 8 GiB: the top bit of the first byte is set.
  if (h[offset] & 0x80) {
    let v = 0;
    for (let i = 1; i < length; i++) v = v * 256 + h[offset + i];
    return v;
  }
  const s = field(h, offset, length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new DatasetError(`${source}: corrupt tar header (${what} "${s}")`);
  return parseInt(s, 8);
}

/** Parses pax records `"<len> key=value\n"`. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = decoder.decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number(text.slice(i, sp));
    if (!Number.isInteger(len) || len <= 0) break;
    // Lengths count bytes; pax values here are ASCII paths in practice, so chars = bytes.
    const record = text.slice(sp + 1, i + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/** Normalises an entry name and rejects absolute paths and '..' components. */
function safeName(raw: string, source: string): string {
  const name = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (raw.startsWith('/') || name.split('/').some((p) => p === '..') || name.includes('\0')) {
    throw new DatasetError(`${source}: unsafe path "${raw}" in archive`);
  }
  return name;
}

/**
 * Lists the regular files and directories of an uncompressed tar.
 * @param tar - the whole archive in memory.
 * @param source - named in errors (the archive's path or URL).
 * @throws DatasetError for a truncated or corrupt archive or an unsafe entry name.
 */
export function readTar(tar: Uint8Array, source = 'archive'): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | null = null;
  let pax = new Map<string, string>();
  let ended = false;
  while (offset + BLOCK <= tar.length) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) { ended = true; break; } // end-of-archive marker
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (sum !== octal(h, 148, 8, 'checksum', source)) throw new DatasetError(`${source}: tar header checksum mismatch at byte ${offset}`);
    const size = octal(h, 124, 12, 'size', source);
    const type = String.fromCharCode(h[156] || 48);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new DatasetError(`${source}: truncated (entry at byte ${offset} needs ${size} bytes)`);
    const data = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') { longName = field(data, 0, data.length); continue; }
    if (type === 'x') { pax = paxRecords(data); continue; }
    if (type === 'g') continue; // global pax header (git archive's commit id)
    const prefix = field(h, 345, 155);
    const base = field(h, 0, 100);
    const raw = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${base}` : base);
    longName = null;
    pax = new Map();
    if (type !== '0' && type !== '5' && type !== '7') continue; // links, devices, fifos
    const name = safeName(raw, source);
    if (name === '') continue;
    entries.push({ name, type: type === '5' ? 'directory' : 'file', mode: octal(h, 100, 8, 'mode', source) & 0o7777, data });
  }
  if (!ended) throw new DatasetError(`${source}: truncated (no end-of-archive block after byte ${offset})`);
  return entries;
}

/** gunzip + {@link readTar}. */
export function readTarGz(bytes: Uint8Array, source = 'archive'): TarEntry[] {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes);
  } catch (e) {
    throw new DatasetError(`${source}: not a valid gzip file (${(e as Error).message})`);
  }
  return readTar(tar, source);
}
