// What keeps web pages and rebinding DNS names from driving the emulator. A dev server on a
// laptop is reachable from every page the developer opens: a page can send "simple" requests to
// 127.0.0.1 without a preflight, and a name the attacker controls can be re-pointed at 127.0.0.1
// so that the page becomes same-origin with the server. The Host check defeats the second, the
// Origin check the first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { hostnameOf, isAllowedOrigin, isTrustedHostname } from '../console/origin.js';
import type { Refusal } from '../types/feature.js';

/** What the guard needs to know about the server. */
export interface LocalGuardOptions {
  /** Host name (or address) the server was started with. */
  serverHostname(): string;
  /** Extra host names the user allowed (`custom.coldstart.allowedHosts`, `--allowed-host`). */
  allowedHosts(): readonly string[];
}

/**
 * True when a Host header names this server in a way DNS cannot have re-pointed: an IP literal,
 * `localhost` or a `*.localhost` name, the name the server was started with, or one the user
 * allowed (`.example.test` allows the name and every subdomain; `*` allows any). The port is not
 * compared: a rebinding page must use the real port anyway, and proxies may rewrite it.
 */
export function isAllowedHost(host: string | undefined, serverHostname: string, allowed: readonly string[]): boolean {
  if (!host) return false;
  return isTrustedHostname(hostnameOf(host), serverHostname, allowed);
}

/** True when the request came from a browser page of another origin (or of no origin, `null`). */
export function isForeignBrowserRequest(req: IncomingMessage, serverHostname: string, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, req.headers.host, serverHostname, allowed)) return true;
  // A no-cors GET (an <img> or <script> tag) carries no Origin, but every current browser says
  // where it came from in Sec-Fetch-Site; `none` is the user typing the address.
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** The guard: `check` returns why a request must be refused, or null. */
export class LocalGuard {
  constructor(private readonly options: LocalGuardOptions) {}

  /** Refuses a Host that is not this server's. */
  checkHost(req: IncomingMessage): Refusal | null {
    const host = req.headers.host;
    if (isAllowedHost(host, this.options.serverHostname(), this.options.allowedHosts())) return null;
    const name = host ? hostnameOf(host) : '(none)';
    return {
      kind: 'host',
      message:
        `coldstart refused a request for host "${name}": only this server's own address, localhost and IP addresses are answered ` +
        `(a guard against DNS rebinding); to allow the name, add it to custom.coldstart.allowedHosts or pass --allowed-host ${name}`,
    };
  }

  /** Refuses a browser request from another origin (for the programmatic APIs only). */
  checkOrigin(req: IncomingMessage): Refusal | null {
    if (!isForeignBrowserRequest(req, this.options.serverHostname(), this.options.allowedHosts())) return null;
    const from = req.headers.origin ?? `a ${String(req.headers['sec-fetch-site'])} page`;
    return {
      kind: 'origin',
      message:
        `coldstart refused a browser request from ${from}: the Lambda, SQS and console APIs answer programs (SDKs, the CLI, curl) ` +
        'and pages served by coldstart itself, not other web pages',
    };
  }
}

/** True when an address is loopback (127.0.0.0/8, ::1, localhost), for the start-up warning. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (a === 'localhost' || a === '::1') return true;
  if (a.startsWith('::ffff:')) return isLoopbackAddress(a.slice(7));
  return net.isIPv4(a) && a.startsWith('127.');
}

/** What guardRequests needs of each feature (a subset of the server's Feature). */
interface GuardedFeature {
  api?: { owns(req: IncomingMessage): boolean; refuse(res: ServerResponse, refusal: Refusal): void };
}

/**
 * Wraps the server's request listener: every surface refuses a foreign Host; the programmatic
 * APIs also refuse browser pages of other origins, each in its own error format. Gateway routes
 * stay as public as API Gateway makes them (their CORS is the function's business).
 */
export function guardRequests(
  guard: LocalGuard,
  features: readonly GuardedFeature[],
  next: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const apis = features.flatMap((f) => (f.api ? [f.api] : []));
  return (req, res) => {
    const hostRefusal = guard.checkHost(req);
    const owner = apis.find((a) => a.owns(req));
    const refusal = hostRefusal ?? (owner ? guard.checkOrigin(req) : null);
    if (!refusal) return next(req, res);
    if (owner) owner.refuse(res, refusal);
    else refusePlain(res, refusal);
  };
}

function refusePlain(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify({ message: refusal.message });
  res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'x-amzn-ErrorType': 'ForbiddenException' }).end(body);
}
