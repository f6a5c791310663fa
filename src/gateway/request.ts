// What both event builders need from an incoming request, read once: the raw path and query,
// headers with their original case and repeats, the caller's address, ids and timestamps.
import { randomFillSync, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request as the gateway saw it, before it is shaped into a payload 1.0 or 2.0 event. */
export interface GatewayRequest {
  method: string;
  /** Path as received, still percent-encoded. */
  rawPath: string;
  /** Query string as received, without `?` ('' when none). */
  rawQueryString: string;
  /** Header names as the client wrote them, values in order: [name, value, name, value, ...]. */
  rawHeaders: string[];
  sourceIp: string;
  userAgent: string;
  protocol: string;
  /** Host header, used as the API's domain name. */
  host: string;
  /** ms since epoch, when the request arrived. */
  timeEpoch: number;
  /** API Gateway's request id (REST: a UUID; HTTP API: the short apigw-requestid form). */
  requestId: string;
  /** The short id API Gateway also sends (`x-amz-apigw-id`, HTTP API `apigw-requestid`). */
  extendedRequestId: string;
  /** The X-Ray trace header API Gateway adds to the event and the response. */
  traceId: string;
}

/** Reads the fields of an incoming request the gateway needs. */
export function readRequest(req: IncomingMessage, url: string, now: number): GatewayRequest {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);
  const remote = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: rawPath === '' ? '/' : rawPath,
    rawQueryString,
    rawHeaders: req.rawHeaders,
    sourceIp: remote.startsWith('::ffff:') ? remote.slice(7) : remote,
    userAgent: headerValue(req.headers['user-agent']) ?? '',
    protocol: `HTTP/${req.httpVersion}`,
    host: headerValue(req.headers.host) ?? 'localhost',
    timeEpoch: now,
    requestId: randomUUID(),
    extendedRequestId: shortRequestId(),
    traceId: traceId(now),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Ids are cut from one pooled random buffer: a crypto call per request would cost more than the
// rest of the id work together.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Reserves `bytes` random bytes of the pool; returns where they start. */
function randomBytesAt(bytes: number): number {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += bytes;
  return at;
}

/** API Gateway's short request id form, e.g. `RL2XYiwjPHcEMEQ=` (random bytes, base64). */
export function shortRequestId(): string {
  const at = randomBytesAt(11);
  return pool.toString('base64', at, at + 11).slice(0, 15) + '=';
}

/** `04/Mar/2020:19:15:17 +0000`, the format of `requestContext.requestTime` / `time`. */
export function formatRequestTime(epochMs: number): string {
  // Requests within one second share the text; building it is most of a small event's date work.
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastText;
  const d = new Date(second * 1000);
  const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  lastText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  lastSecond = second;
  return lastText;
}

let lastSecond = NaN;
let lastText = '';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An X-Ray trace header value like API Gateway adds (`Root=1-<8 hex epoch s>-<24 hex>`). */
export function traceId(epochMs: number): string {
  const at = randomBytesAt(12);
  return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${pool.toString('hex', at, at + 12)}`;
}

/** Query parameters in order of appearance, names and values decoded (`+` is a space, as in forms). */
export function parseQuery(raw: string): [string, string][] {
  if (raw === '') return [];
  const out: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1));
    out.push([name, value]);
  }
  return out;
}

function decodeQueryComponent(s: string): string {
  const spaced = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The value of a header (case-insensitive) from raw headers; repeated headers joined with `, `. */
export function rawHeader(rawHeaders: string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  let value: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === lower) value = value === undefined ? rawHeaders[i + 1]! : `${value}, ${rawHeaders[i + 1]!}`;
  }
  return value;
}
