// WebSocket text frames as a server sends them (RFC 6455 section 5.2: FIN, opcode 1, no mask).
// Built once per batch of events and written as-is to every client: the same bytes serve all.

/** Encodes JSON texts as consecutive unmasked, unfragmented text frames in one buffer. */
export function textFrames(texts: readonly string[]): Buffer {
  const payloads = texts.map((t) => Buffer.from(t, 'utf8'));
  let size = 0;
  for (const p of payloads) size += headerLength(p.length) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    out[at] = 0x81; // FIN + text
    if (p.length < 126) {
      out[at + 1] = p.length;
      at += 2;
    } else if (p.length < 65536) {
      out[at + 1] = 126;
      out.writeUInt16BE(p.length, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(p.length / 2 ** 32), at + 2);
      out.writeUInt32BE(p.length >>> 0, at + 6);
      at += 10;
    }
    p.copy(out, at);
    at += p.length;
  }
  return out;
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}
