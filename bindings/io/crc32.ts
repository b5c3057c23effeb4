/**
 * CRC-32, the checksum zip archives (encodeNpz) and the sequence models' files carry. Table-driven,
 * no imports, so it runs in browsers too.
 *
 * @module
 */

let crcTable: Uint32Array | undefined;

/**
 * CRC-32 (ISO-HDLC / zip / PNG: reflected polynomial 0xEDB88320) of `bytes`, as an unsigned 32-bit
 * number. Pass a previous result as `crc` to continue over a split buffer.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
