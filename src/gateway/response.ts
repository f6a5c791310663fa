// Maps what a function returned to the HTTP answer, as API Gateway's Lambda proxy integration
// does. Payload 1.0 is strict: anything but a proxy object is a "Malformed Lambda proxy response";
// an object without statusCode is a 200. Payload 2.0 infers a 200 JSON answer from a value
// without statusCode.
import { ownSet } from './dict.js';
import { hasHeader, type Reply } from './reply.js';

/** A proxy response API Gateway would refuse, with the reason it would log. */
export interface Malformed {
  malformed: string;
}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** Whether a base64 body is decoded, given the response's Content-Type (the REST API asks its binary media types). */
export type Base64Rule = (responseContentType: string | undefined) => boolean;

const ALWAYS_DECODE: Base64Rule = () => true;

/**
 * Maps a payload 1.0 proxy response (the function's result as JSON text). A base64 body is sent
 * decoded only when `decodeBase64` says so; otherwise the client receives the base64 text.
 */
export function mapResponseV1(payloadJson: string, decodeBase64: Base64Rule = ALWAYS_DECODE): Reply | Malformed {
  let value: unknown;
  try {
    value = JSON.parse(payloadJson);
  } catch {
    return { malformed: 'the function result is not JSON' };
  }
  if (!isPlainObject(value)) return { malformed: 'the function result is not an object' };
  for (const key of Object.keys(value)) {
    if (!V1_KEYS.has(key)) return { malformed: `unexpected field "${key}" in the proxy response` };
  }
  // No statusCode is a 200 (observed on AWS); one that is present must be an integer status.
  const status = value.statusCode === undefined ? 200 : statusOf(value.statusCode);
  if (status === null) return { malformed: 'statusCode is not an integer HTTP status' };
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string') {
    return { malformed: 'body must be a string' };
  }
  const single = headerMap(value.headers);
  const multi = multiHeaderMap(value.multiValueHeaders);
  if (single === null) return { malformed: 'headers must be an object of strings' };
  if (multi === null) return { malformed: 'multiValueHeaders must be an object of string arrays' };

  const headers: string[] = [];
  // multiValueHeaders wins over headers for the same name.
  const multiNames = new Set(Object.keys(multi).map((k) => k.toLowerCase()));
  for (const [name, v] of Object.entries(single)) if (!multiNames.has(name.toLowerCase())) headers.push(name, v);
  for (const [name, values] of Object.entries(multi)) for (const v of values) headers.push(name, v);
  if (!hasHeader(headers, 'content-type')) headers.push('Content-Type', 'application/json');
  const base64 = value.isBase64Encoded === true && decodeBase64(headerValue(headers, 'content-type'));
  return { status, headers, body: bodyBytes(value.body, base64) };
}

/** Maps a payload 2.0 response: a proxy object with statusCode, or any other JSON value (200 JSON). */
export function mapResponseV2(payloadJson: string): Reply | Malformed {
  let value: unknown;
  try {
    value = JSON.parse(payloadJson);
  } catch {
    return { malformed: 'the function result is not JSON' };
  }
  if (!isPlainObject(value) || !('statusCode' in value)) {
    // No statusCode: API Gateway assumes 200, application/json, and the value as the body
    // (a returned string is the body itself, anything else its JSON text).
    const text = typeof value === 'string' ? value : payloadJson;
    return { status: 200, headers: ['content-type', 'application/json'], body: Buffer.from(text, 'utf8') };
  }
  const status = statusOf(value.statusCode);
  if (status === null) return { malformed: 'statusCode is not an integer HTTP status' };
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string') {
    return { malformed: 'body must be a string' };
  }
  const single = headerMap(value.headers);
  if (single === null) return { malformed: 'headers must be an object of strings' };
  const headers: string[] = [];
  for (const [name, v] of Object.entries(single)) headers.push(name, v);
  if (value.cookies !== undefined && value.cookies !== null) {
    if (!Array.isArray(value.cookies)) return { malformed: 'cookies must be an array of strings' };
    for (const c of value.cookies) {
      if (typeof c !== 'string') return { malformed: 'cookies must be an array of strings' };
      headers.push('set-cookie', c);
    }
  }
  return { status, headers, body: bodyBytes(value.body, value.isBase64Encoded === true) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function statusOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function headerMap(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) return null;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(v)) {
    if (raw === null || raw === undefined) continue;
    const s = scalar(raw);
    if (s === null) return null;
    ownSet(out, name, s);
  }
  return out;
}

function multiHeaderMap(v: unknown): Record<string, string[]> | null {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) return null;
  const out: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(v)) {
    if (raw === null || raw === undefined) continue;
    if (!Array.isArray(raw)) return null;
    const values: string[] = [];
    for (const item of raw) {
      const s = scalar(item);
      if (s === null) return null;
      values.push(s);
    }
    ownSet(out, name, values);
  }
  return out;
}

function bodyBytes(body: unknown, base64: boolean): Buffer {
  if (typeof body !== 'string' || body === '') return Buffer.alloc(0);
  return base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

function headerValue(headers: string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === name) return headers[i + 1];
  return undefined;
}

/** True when a mapping result is a refusal. */
export function isMalformed(r: Reply | Malformed): r is Malformed {
  return 'malformed' in r;
}
