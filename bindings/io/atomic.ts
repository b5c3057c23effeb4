/**
 * Writing a file so that a reader never sees half of it: write a temporary file beside it, fsync,
 * then rename over the target (atomic on one filesystem). On any failure the temporary file is
 * removed and the target is left as it was.
 *
 * @module
 */
import { nodeFs } from './node.ts';

/** Writes `data` (text as UTF-8, or bytes) to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const fs = nodeFs();
  const tmp = `${path}.tmp-${process.pid}`;
  let fd = -1;
  try {
    fd = fs.openSync(tmp, 'w');
    if (typeof data === 'string') fs.writeSync(fd, data);
    else for (let off = 0; off < data.length;) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, path);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}
