// Request bodies: read raw, bounded by API Gateway's 10 MB payload limit, and classified as text
// or binary by content type the way a binary-media-types setting would (binary goes base64).
import type { IncomingMessage } from 'node:http';

/** API Gateway's request payload limit: 10 MB (10,485,760 bytes). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The outcome of reading a body. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

const EMPTY = Buffer.alloc(0);

/**
 * Reads the whole request body. Stops collecting past `limit` bytes (the rest is drained so the
 * client still receives the 413); resolves `aborted` when the client goes away mid-body.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
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

/**
 * True when a content type is text, so the body reaches the handler as a string; everything else
 * (images, octet-stream, pdf, ...) reaches it base64-encoded with `isBase64Encoded: true`.
 * A missing content type counts as text, as API Gateway passes such bodies through unchanged.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (type === 'application/json' || type === 'application/xml' || type === 'application/x-www-form-urlencoded') return true;
  if (type.endsWith('+json') || type.endsWith('+xml')) return true;
  if (type.includes('javascript') || type === 'application/graphql' || type === 'application/x-ndjson') return true;
  return false;
}

/** The event's `body` and `isBase64Encoded` for a raw request body. */
export function encodeRequestBody(body: Buffer, contentType: string | undefined): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  if (isTextContentType(contentType)) return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}
