// Request bodies: read raw, bounded by API Gateway's 10 MB payload limit, and classified as text
// or binary by content type the way a binary-media-types setting would (binary goes base64).

/** API Gateway's request payload limit: 10 MB (10,485,760 bytes). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export { readBody, type BodyRead } from '../http/read-body.js';

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
