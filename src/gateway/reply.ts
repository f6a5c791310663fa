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

const GATEWAY_OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** True when a flat header list already has a header (case-insensitive). */
export function hasHeader(headers: string[], name: string): boolean {
  const lower = name.toLowerCase();
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === lower) return true;
  return false;
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
  // The gateway computes the one Content-Length; a function's own (express through serverless-http
  // sends one) and hop-by-hop headers would make the response invalid HTTP.
  const headers: string[] = [];
  for (let i = 0; i < reply.headers.length; i += 2) {
    if (!GATEWAY_OWNED.has(reply.headers[i]!.toLowerCase())) headers.push(reply.headers[i]!, reply.headers[i + 1]!);
  }
  headers.push('Content-Length', String(reply.body.length));
  try {
    res.writeHead(reply.status, headers);
  } catch (err) {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    throw err;
  }
  res.end(method === 'HEAD' ? undefined : reply.body);
}
