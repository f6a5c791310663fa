// A function's `events` list -> EventConfig: http, httpApi, schedule and sqs. Other event kinds
// are accepted and listed as not emulated (see not-emulated.ts). CORS is completed in cors.ts.
import { parseScheduleExpression } from '../schedule/expression.js';
import type { EventConfig, HttpRouteEventConfig, ScheduleEventConfig, SqsEventConfig } from '../types/config.js';
import { optionalNumber, readBoolean, readList, readString, show } from './fields.js';
import { queueArn } from '../types/arn.js';
import { describeIntrinsic, isIntrinsic } from './intrinsics.js';
import type { KeyPath, Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** An http/httpApi route before CORS is completed: `cors` holds what the user wrote. */
export interface ParsedRoute {
  event: HttpRouteEventConfig;
  corsRaw: unknown;
  path: KeyPath;
}

/** What event parsing needs to know about the service. */
export interface EventScope {
  region: string;
  /** Declared queues: name -> canonical ARN. */
  queueArnsByName: ReadonlyMap<string, string>;
  /** Logical ids under resources.Resources, to explain unresolved !GetAtt references. */
  resourceIds: ReadonlySet<string>;
}

const REST_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'ANY']);
const EMULATED_KINDS = new Set(['http', 'httpApi', 'schedule', 'sqs']);

/** Parses the events of one function; routes are also returned with their raw CORS settings. */
export function readEvents(
  raw: unknown,
  base: KeyPath,
  loc: Locator,
  scope: EventScope,
): { events: EventConfig[]; routes: ParsedRoute[] } {
  const events: EventConfig[] = [];
  const routes: ParsedRoute[] = [];
  readList(raw, base, loc).forEach((entry, i) => {
    const at: KeyPath = [...base, i];
    if (!isPlainObject(entry) || Object.keys(entry).length === 0) {
      throw loc.invalid(`events[${i}] must be a map such as {http: "GET /path"}, got ${show(entry)}`, at);
    }
    const [kind, value] = Object.entries(entry)[0]!;
    if (!EMULATED_KINDS.has(kind)) return;
    const path: KeyPath = [...at, kind];
    if (kind === 'http' || kind === 'httpApi') {
      const route = kind === 'http' ? readHttp(value, path, loc) : readHttpApi(value, path, loc);
      events.push(route.event);
      routes.push(route);
    } else if (kind === 'schedule') {
      events.push(...readSchedule(value, path, loc));
    } else {
      events.push(readSqs(value, path, loc, scope));
    }
  });
  return { events, routes };
}

function readHttp(value: unknown, path: KeyPath, loc: Locator): ParsedRoute {
  let method: unknown;
  let routePath: unknown;
  let cors: unknown;
  let operationId: unknown;
  if (typeof value === 'string') {
    const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
    if (!m) throw loc.invalid(`http event must be "METHOD path" (e.g. "GET users/{id}"), got ${show(value)}`, path);
    [method, routePath] = [m[1], m[2]];
  } else if (isPlainObject(value)) {
    ({ method, path: routePath, cors, operationId } = value);
    if (routePath === undefined) throw loc.invalid('http event needs a path', [...path, 'path']);
    if (method === undefined) throw loc.invalid('http event needs a method', [...path, 'method']);
  } else {
    throw loc.invalid(`http event must be "METHOD path" or a map with path and method, got ${show(value)}`, path);
  }
  const upper = readString(method, [...path, 'method'], loc).toUpperCase();
  if (!REST_METHODS.has(upper)) {
    throw loc.invalid(`http method "${String(method)}" is not one of ${[...REST_METHODS].join(', ')}`, [...path, 'method']);
  }
  const text = readString(routePath === '' ? '/' : routePath, [...path, 'path'], loc);
  const normalized = `/${text.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  checkPathParameters(normalized, [...path, 'path'], loc);
  const event: HttpRouteEventConfig = { kind: 'http', method: upper, path: normalized, cors: null };
  if (operationId !== undefined && operationId !== null) event.operationId = readString(operationId, [...path, 'operationId'], loc);
  return { event, corsRaw: cors, path };
}

function readHttpApi(value: unknown, path: KeyPath, loc: Locator): ParsedRoute {
  let method: unknown;
  let routePath: unknown;
  let cors: unknown;
  if (typeof value === 'string') {
    if (value.trim() === '*') {
      routePath = '*';
    } else {
      const m = /^\s*(\S+)\s+(\/\S*)\s*$/.exec(value);
      if (!m) throw loc.invalid(`httpApi event must be "METHOD /path" or "*", got ${show(value)}`, path);
      [method, routePath] = [m[1], m[2]];
    }
  } else if (isPlainObject(value)) {
    ({ method, path: routePath, cors } = value);
    if (routePath === undefined) throw loc.invalid('httpApi event needs a path', [...path, 'path']);
  } else {
    throw loc.invalid(`httpApi event must be "METHOD /path", "*" or a map with path and method, got ${show(value)}`, path);
  }
  const text = readString(routePath, [...path, 'path'], loc);
  if (text === '*') {
    if (method !== undefined && method !== '*') throw loc.invalid('the httpApi catch-all path "*" takes no method', [...path, 'method']);
    return { event: { kind: 'httpApi', method: 'ANY', path: '*', cors: null }, corsRaw: cors, path };
  }
  if (!text.startsWith('/')) throw loc.invalid(`httpApi path must start with "/" (or be "*"), got ${show(text)}`, [...path, 'path']);
  if (method === undefined) throw loc.invalid('httpApi event needs a method (or "*")', [...path, 'method']);
  let upper = readString(method, [...path, 'method'], loc).toUpperCase();
  if (upper === '*') upper = 'ANY';
  if (!REST_METHODS.has(upper)) {
    throw loc.invalid(`httpApi method "${String(method)}" is not one of ${[...REST_METHODS].join(', ')} or *`, [...path, 'method']);
  }
  checkPathParameters(text, [...path, 'path'], loc);
  return { event: { kind: 'httpApi', method: upper, path: text, cors: null }, corsRaw: cors, path };
}

// API Gateway accepts `{name}` segments and one greedy `{name+}` as the last segment.
function checkPathParameters(routePath: string, path: KeyPath, loc: Locator): void {
  const segments = routePath.split('/');
  segments.forEach((seg, i) => {
    if (!seg.includes('{') && !seg.includes('}')) return;
    if (!/^\{[A-Za-z0-9_.-]+\+?\}$/.test(seg)) {
      throw loc.invalid(`path segment "${seg}" must be a whole {parameter} or {proxy+}`, path);
    }
    if (seg.endsWith('+}') && i !== segments.length - 1) {
      throw loc.invalid(`greedy parameter ${seg} must be the last segment of the path`, path);
    }
  });
}

function readSchedule(value: unknown, path: KeyPath, loc: Locator): ScheduleEventConfig[] {
  if (typeof value === 'string') {
    checkScheduleExpression(value, path, loc);
    return [{ kind: 'schedule', expression: value.trim(), enabled: true }];
  }
  if (!isPlainObject(value)) throw loc.invalid(`schedule event must be an expression or a map with rate, got ${show(value)}`, path);
  const ratePath = [...path, 'rate'];
  if (value.rate === undefined || value.rate === null) throw loc.invalid('schedule event needs a rate: rate(...) or cron(...)', ratePath);
  const rates = Array.isArray(value.rate) ? value.rate : [value.rate];
  const enabled = readBoolean(value.enabled, [...path, 'enabled'], loc, true);
  const input = readScheduleInput(value.input, [...path, 'input'], loc);
  const name = value.name === undefined || value.name === null ? undefined : readString(value.name, [...path, 'name'], loc);
  return rates.map((rate, i) => {
    const expression = readString(rate, Array.isArray(value.rate) ? [...ratePath, i] : ratePath, loc).trim();
    checkScheduleExpression(expression, Array.isArray(value.rate) ? [...ratePath, i] : ratePath, loc);
    const event: ScheduleEventConfig = { kind: 'schedule', expression, enabled };
    if (input !== undefined) event.input = input;
    if (name !== undefined) event.name = name;
    return event;
  });
}

// EventBridge delivers `Input` as JSON: a string input is JSON text, a map is sent as it is.
function readScheduleInput(value: unknown, path: KeyPath, loc: Locator): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw loc.invalid(`schedule input must be a map or JSON text (EventBridge sends JSON), got ${show(value)}`, path);
  }
}

/** Parses rate(...) and six-field cron(...) with the scheduler's own parser, so start-up refuses exactly what could never fire. */
export function checkScheduleExpression(expression: string, path: KeyPath, loc: Locator): void {
  try {
    parseScheduleExpression(expression);
  } catch (err) {
    throw loc.invalid((err as Error).message, path);
  }
}

function readSqs(value: unknown, path: KeyPath, loc: Locator, scope: EventScope): SqsEventConfig {
  const map: Record<string, unknown> = isPlainObject(value) && !isIntrinsic(value) ? value : { arn: value };
  const arnPath = isPlainObject(value) && !isIntrinsic(value) ? [...path, 'arn'] : path;
  const arn = readQueueArn(map.arn, arnPath, loc, scope);
  const batchSize = optionalNumber(map.batchSize, [...path, 'batchSize'], loc, 10, { min: 1, max: 10_000, integer: true, owner: "Lambda's" });
  const maximumBatchingWindow = optionalNumber(map.maximumBatchingWindow, [...path, 'maximumBatchingWindow'], loc, 0, {
    min: 0,
    max: 300,
    unit: ' seconds',
    owner: "Lambda's",
  });
  if (batchSize > 10 && maximumBatchingWindow < 1) {
    throw loc.invalid(`batchSize ${batchSize} above 10 needs maximumBatchingWindow of at least 1 second (a Lambda rule)`, [...path, 'batchSize']);
  }
  const responseType = map.functionResponseType;
  if (responseType !== undefined && responseType !== null && responseType !== 'ReportBatchItemFailures') {
    throw loc.invalid(`functionResponseType must be ReportBatchItemFailures, got ${show(responseType)}`, [...path, 'functionResponseType']);
  }
  return {
    kind: 'sqs',
    arn,
    batchSize,
    maximumBatchingWindow,
    reportBatchItemFailures: responseType === 'ReportBatchItemFailures',
    enabled: readBoolean(map.enabled, [...path, 'enabled'], loc, true),
  };
}

// A literal ARN naming a declared queue is mapped to that queue's emulated ARN (account 000000000000),
// so `arn:aws:sqs:eu-west-1:123456789012:jobs` and `!GetAtt Jobs.Arn` reach the same queue.
function readQueueArn(value: unknown, path: KeyPath, loc: Locator, scope: EventScope): string {
  if (isIntrinsic(value)) {
    const what = describeIntrinsic(value);
    const target = /^(?:Fn::GetAtt|Ref) ([^.]+)/.exec(what)?.[1];
    const why = target && !scope.resourceIds.has(target) ? `no resource ${target} is declared under resources.Resources` : 'it cannot be resolved locally';
    throw loc.invalid(`sqs arn ${what} does not resolve to a queue ARN: ${why}`, path);
  }
  const arn = readString(value, path, loc);
  const m = /^arn:aws[\w-]*:sqs:([^:]*):([^:]*):([^:]+)$/.exec(arn);
  if (!m) throw loc.invalid(`sqs arn must be a queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME or !GetAtt Queue.Arn), got ${show(arn)}`, path);
  return scope.queueArnsByName.get(m[3]!) ?? queueArn(m[1] || scope.region, m[3]!);
}
