// WebSocket text frames as a server sends them (RFC 6455 section 5.2: FIN, opcode 1, no mask).
// Built once per batch of events and written as-is to every client: the same bytes serve all.

/** Encodes JSON texts as consecutive unmasked, unfragmented text frames in one buffer. */
export function textFrames(texts: readonly string[]): Buffer {
  // Each text is encoded once, straight into the batch's buffer: a Buffer per text first would
  // double the copying, and this runs for every event while a console is open.
  const lengths = texts.map((t) => Buffer.byteLength(t, 'utf8'));
  let size = 0;
  for (const n of lengths) size += headerLength(n) + n;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = lengths[i]!;
    out[at] = 0x81; // FIN + text
    if (n < 126) {
      out[at + 1] = n;
      at += 2;
    } else if (n < 65536) {
      out[at + 1] = 126;
      out.writeUInt16BE(n, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(n / 2 ** 32), at + 2);
      out.writeUInt32BE(n >>> 0, at + 6);
      at += 10;
    }
    at += out.write(texts[i]!, at, n, 'utf8');
  }
  return out;
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}
