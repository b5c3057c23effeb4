/**
 * Git object ids of a flat folder of files, so extracted contents can be checked against the
 * repository itself (`git rev-parse v1.0.10:recordings`) whatever the compression of the archive.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** `git hash-object`: sha1 of "blob <size>\0" + contents, hex. */
export function gitBlobId(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/**
 * Id of a git tree holding only files (no subfolders): entries sorted by name, each
 * "<mode> <name>\0<20-byte id>", mode 100755 when any execute bit is set, else 100644.
 */
export function gitFlatTreeId(files: readonly { name: string; mode: number; data: Uint8Array }[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const parts = sorted.map((f) => Buffer.concat([
    Buffer.from(`${f.mode & 0o111 ? '100755' : '100644'} ${f.name}\0`),
    Buffer.from(gitBlobId(f.data), 'hex'),
  ]));
  const body = Buffer.concat(parts);
  return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
}
