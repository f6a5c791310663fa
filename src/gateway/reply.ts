// The one shape every gateway answer takes before it is written: status, headers as a flat
// [name, value, ...] list (so several Set-Cookie headers survive), body bytes.
import type { ServerResponse } from 'node:http';
import { gatewayError, type GatewayErrorCase } from './errors.js';
import type { ApiKind } from './routes.js';

/** An answer ready for the wire. */
export interface Reply {
  status: number;
  /** Flat list: name, value, name, value ... */
  headers: string[];
  body: Buffer;
}

/** True when a flat header list already has a header (case-insensitive). */
export function hasHeader(headers: string[], name: string): boolean {
  const lower = name.toLowerCase();
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === lower) return true;
  return false;
}

// Framing belongs to the gateway's own connection: a function's Content-Length (serverless-http
// sets one) next to the gateway's made strict clients refuse the answer, and hop-by-hop headers
// describe a connection the function never had.
const NOT_FORWARDED = new Set([
  'content-length',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The reply's headers without the ones the gateway computes or does not forward. */
function wireHeaders(headers: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!NOT_FORWARDED.has(headers[i]!.toLowerCase())) out.push(headers[i]!, headers[i + 1]!);
  }
  return out;
}

/** Builds the gateway's own answer for an error case. */
export function errorReply(kind: ApiKind, which: GatewayErrorCase): Reply {
  const e = gatewayError(kind, which);
  const headers: string[] = [];
  if (e.contentType !== null) headers.push('Content-Type', e.contentType);
  if (e.errorType !== null) headers.push('x-amzn-ErrorType', e.errorType);
  return { status: e.status, headers, body: Buffer.from(e.body, 'utf8') };
}

/**
 * Writes a reply; HEAD requests get the headers only. Throws, with nothing sent, when a header
 * is not valid HTTP (a function's header value with a line break), so the caller can answer
 * with an error instead.
 */
export function writeReply(res: ServerResponse, reply: Reply, method: string): void {
  const headers = wireHeaders(reply.headers);
  // A 204 or 304 has no body, so no length either (HTTP forbids both).
  const bodiless = reply.status === 204 || reply.status === 304;
  if (!bodiless) headers.push('Content-Length', String(reply.body.length));
  try {
    res.writeHead(reply.status, headers);
  } catch (err) {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    throw err;
  }
  res.end(method === 'HEAD' || bodiless ? undefined : reply.body);
}
