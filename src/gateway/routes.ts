// The gateway's route table: every `http` and `httpApi` event compiled once into two segment
// tries (REST API under `/{stage}`, HTTP API at the root). Matching walks the trie static child
// first, then `{param}`, then `{proxy+}`, which is the precedence API Gateway applies; a node
// only matches when it has a route for the method (exact method before ANY).
import { ownSet } from './dict.js';
import type { CorsConfig, FunctionConfig, PayloadVersion, ServiceConfig } from '../types/config.js';
import type { HttpRouteEventConfig } from './config.js';

/** Which API a route belongs to: REST API (payload 1.0) or HTTP API (payload 2.0). */
export type ApiKind = 'http' | 'httpApi';

/** One compiled route. */
export interface Route {
  kind: ApiKind;
  /** Upper-case method, or `ANY`. */
  method: string;
  /** The resource path as written (`/users/{id}`), `/` for the root; `$default` for the httpApi catch-all. */
  resource: string;
  /** HTTP API route key (`GET /users/{id}`, `ANY /x`, `$default`); REST routes carry `METHOD resource` too. */
  routeKey: string;
  /** Short function name. */
  functionName: string;
  /** Function timeout, seconds (informational; the runtime enforces it). */
  functionTimeout: number;
  cors: CorsConfig | null;
  /** Stable pseudo resource id (REST `requestContext.resourceId`). */
  resourceId: string;
  /** The event shape and response rules the function gets: REST is always 1.0, HTTP API 2.0 unless configured. */
  payload: PayloadVersion;
  /** REST `requestContext.operationName`, from the event's `operationId`. */
  operationName: string | null;
}

/** A successful match. */
export interface RouteMatch {
  route: Route;
  /** Decoded path parameters; empty object when the route has none. */
  pathParameters: Record<string, string>;
}

interface TrieNode {
  statics: Map<string, TrieNode>;
  param: { name: string; node: TrieNode } | null;
  greedy: { name: string; methods: Map<string, Route> } | null;
  methods: Map<string, Route>;
}

function newNode(): TrieNode {
  return { statics: new Map(), param: null, greedy: null, methods: new Map() };
}

/** A conflict or oddity found while compiling (e.g. two functions on the same route). */
export interface RouteWarning {
  message: string;
  function: string;
}

/** One API's compiled routes. */
export class RouteTrie {
  private readonly root = newNode();
  /** Every route, for listing and CORS lookups. */
  readonly routes: Route[] = [];

  /** Adds a route; returns a warning when an earlier route already owns the same method and path. */
  add(route: Route): RouteWarning | null {
    const segments = splitPath(route.resource);
    let node = this.root;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const greedy = /^\{([^}]+)\+\}$/.exec(seg);
      if (greedy) {
        // A greedy parameter is always the last segment in API Gateway; anything after it is ignored.
        node.greedy ??= { name: greedy[1]!, methods: new Map() };
        return this.put(node.greedy.methods, route);
      }
      const param = /^\{([^}]+)\}$/.exec(seg);
      if (param) {
        node.param ??= { name: param[1]!, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.statics.get(seg);
        if (!next) {
          next = newNode();
          node.statics.set(seg, next);
        }
        node = next;
      }
    }
    return this.put(node.methods, route);
  }

  private put(methods: Map<string, Route>, route: Route): RouteWarning | null {
    const existing = methods.get(route.method);
    if (existing) {
      return {
        function: route.functionName,
        message: `route ${route.routeKey} is already served by function "${existing.functionName}"; "${route.functionName}" is ignored for it`,
      };
    }
    methods.set(route.method, route);
    this.routes.push(route);
    return null;
  }

  /**
   * Finds the route for a method and decoded path segments. With `anyMethod`, a node matches when
   * it has any route at all (used to answer CORS preflights for the path).
   */
  match(method: string, segments: string[], anyMethod = false): RouteMatch | null {
    const params: Record<string, string> = {};
    const route = walk(this.root, segments, 0, method, anyMethod, params);
    return route ? { route, pathParameters: params } : null;
  }

  /** Routes registered at the same resource as `route` (for CORS Allow-Methods). */
  siblings(route: Route): Route[] {
    return this.routes.filter((r) => r.resource === route.resource);
  }
}

function pick(methods: Map<string, Route>, method: string, anyMethod: boolean): Route | undefined {
  if (methods.size === 0) return undefined;
  const exact = methods.get(method) ?? methods.get('ANY');
  if (exact || !anyMethod) return exact;
  return methods.values().next().value;
}

function walk(
  node: TrieNode,
  segments: string[],
  i: number,
  method: string,
  anyMethod: boolean,
  params: Record<string, string>,
): Route | undefined {
  if (i === segments.length) {
    return pick(node.methods, method, anyMethod);
  }
  const seg = segments[i]!;
  const child = node.statics.get(seg);
  if (child) {
    const found = walk(child, segments, i + 1, method, anyMethod, params);
    if (found) return found;
  }
  if (node.param && seg !== '') {
    const found = walk(node.param.node, segments, i + 1, method, anyMethod, params);
    if (found) {
      ownSet(params, node.param.name, seg);
      return found;
    }
  }
  if (node.greedy) {
    const found = pick(node.greedy.methods, method, anyMethod);
    if (found) {
      ownSet(params, node.greedy.name, segments.slice(i).join('/'));
      return found;
    }
  }
  return undefined;
}

/** Splits a resource path or request path into segments (no leading/trailing empty segment). */
export function splitPath(path: string): string[] {
  if (path === '' || path === '/') return [];
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/** Percent-decodes one path segment; a malformed escape is kept as written (API Gateway does not reject it). */
export function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The compiled tables of one configuration. */
export interface RouteTable {
  stage: string;
  /** `/{stage}`, the REST API's prefix. */
  stagePrefix: string;
  rest: RouteTrie;
  httpApi: RouteTrie;
  /** The httpApi `*` route ($default), matched when nothing else is. */
  httpApiDefault: Route | null;
  warnings: RouteWarning[];
  /** Resolutions already computed, by `METHOD rawPath` (see `resolveRoute`). */
  resolved: Map<string, Resolution>;
}

/** Compiles the routes of every function's `http` and `httpApi` events. */
export function buildRouteTable(config: Pick<ServiceConfig, 'stage' | 'functions'>): RouteTable {
  const table: RouteTable = {
    stage: config.stage,
    stagePrefix: `/${config.stage}`,
    rest: new RouteTrie(),
    httpApi: new RouteTrie(),
    httpApiDefault: null,
    warnings: [],
    resolved: new Map(),
  };
  for (const fn of config.functions) {
    for (const event of fn.events) {
      if (event.kind !== 'http' && event.kind !== 'httpApi') continue;
      const route = compileRoute(fn, event);
      if (route.resource === '$default') {
        if (table.httpApiDefault) {
          table.warnings.push({
            function: fn.name,
            message: `the httpApi catch-all route is already served by function "${table.httpApiDefault.functionName}"; "${fn.name}" is ignored for it`,
          });
        } else {
          table.httpApiDefault = route;
        }
        continue;
      }
      const warning = (route.kind === 'http' ? table.rest : table.httpApi).add(route);
      if (warning) table.warnings.push(warning);
    }
  }
  return table;
}

function compileRoute(fn: FunctionConfig, event: HttpRouteEventConfig): Route {
  const method = event.method === '*' ? 'ANY' : event.method.toUpperCase();
  const isDefault = event.kind === 'httpApi' && (event.path === '*' || event.path === '/*' || event.path === '$default');
  const resource = isDefault ? '$default' : normalizeResource(event.path);
  const routeKey = isDefault ? '$default' : `${method} ${resource}`;
  return {
    kind: event.kind,
    method,
    resource,
    routeKey,
    functionName: fn.name,
    functionTimeout: fn.timeout,
    cors: event.cors,
    resourceId: shortHash(`${event.kind} ${routeKey}`, 6),
    payload: event.kind === 'http' ? '1.0' : (event.payload ?? '2.0'),
    operationName: event.kind === 'http' ? (event.operationId ?? null) : null,
  };
}

function normalizeResource(path: string): string {
  const segments = splitPath(path.trim());
  return segments.length === 0 ? '/' : `/${segments.join('/')}`;
}

/** A short, stable, lower-case alphanumeric id derived from a string (resource ids, api ids). */
export function shortHash(input: string, length: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1.toString(36) + h2.toString(36)).padEnd(length, '0').slice(0, length);
}

/** Which API answered, or would have answered, a request path. */
export type Resolution =
  | { kind: ApiKind; match: RouteMatch; /** Path after the stage prefix (REST) or the whole path (HTTP API). */ apiPath: string }
  | { kind: ApiKind; match: null; apiPath: string };

/**
 * Resolves a request: paths under `/{stage}` go to the REST API first, then the HTTP API; any
 * other path to the HTTP API. An unmatched request belongs to the REST API under `/{stage}`
 * when the service has one (403 there) and to the HTTP API otherwise (404).
 */
export function resolveRoute(table: RouteTable, method: string, rawPath: string, anyMethod = false): Resolution {
  if (anyMethod || rawPath.length > RESOLVED_PATH_LIMIT) return resolveUncached(table, method, rawPath, anyMethod);
  // A client calls the same few paths over and over; splitting and decoding each time was a
  // measurable part of a warm request. The memo lives and dies with its table, and is bounded
  // because paths with parameters are unbounded. What it hands out is frozen: every request shares it.
  const key = `${method} ${rawPath}`;
  const known = table.resolved.get(key);
  if (known) return known;
  const resolution = resolveUncached(table, method, rawPath, false);
  if (resolution.match) Object.freeze(Object.freeze(resolution.match).pathParameters);
  Object.freeze(resolution);
  if (table.resolved.size >= RESOLVED_LIMIT) table.resolved.clear();
  table.resolved.set(key, resolution);
  return resolution;
}

/** Paths remembered per table before the memo starts over, and the longest path remembered. */
const RESOLVED_LIMIT = 1024;
const RESOLVED_PATH_LIMIT = 512;

function resolveUncached(table: RouteTable, method: string, rawPath: string, anyMethod: boolean): Resolution {
  const segments = splitPath(rawPath).map(decodeSegment);
  const underStage = segments.length > 0 && segments[0] === table.stage;
  if (underStage) {
    const rest = table.rest.match(method, segments.slice(1), anyMethod);
    const apiPath = rawPath.slice(table.stagePrefix.length) || '/';
    if (rest) return { kind: 'http', match: rest, apiPath };
  }
  const http = table.httpApi.match(method, segments, anyMethod);
  if (http) return { kind: 'httpApi', match: http, apiPath: rawPath };
  if (table.httpApiDefault) {
    return { kind: 'httpApi', match: { route: table.httpApiDefault, pathParameters: {} }, apiPath: rawPath };
  }
  // A service without `http` events has no REST API to answer 403 for its stage.
  if (underStage && table.rest.routes.length > 0) return { kind: 'http', match: null, apiPath: rawPath.slice(table.stagePrefix.length) || '/' };
  return { kind: 'httpApi', match: null, apiPath: rawPath };
}
