// Reads a request body into one Buffer, bounded by a limit: the gateway (10 MB) and the Lambda
// API (6 MB sync, 1 MB async) share it.
import type { IncomingMessage } from 'node:http';

const EMPTY = Buffer.alloc(0);

/** The outcome of reading a body. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole request body. Stops collecting past `limit` bytes (the rest is drained so the
 * client still receives the 413); resolves `aborted` when the client goes away mid-body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    // Drain what the client still sends, so it reads the 413 instead of a reset connection.
    req.resume();
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  // Another middleware may already have consumed the stream into a Buffer.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed.length > limit ? { ok: false, reason: 'too-large' } : { ok: true, body: parsed });
  if (req.readableEnded) return Promise.resolve({ ok: true, body: EMPTY });
  if (declared === 0 || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)) {
    // No body announced: nothing to wait for.
    req.resume();
    return Promise.resolve({ ok: true, body: EMPTY });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (!tooLarge) resolve({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onAbort = () => {
      cleanup();
      if (!tooLarge) resolve({ ok: false, reason: 'aborted' });
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}
