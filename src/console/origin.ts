// Who may open the event stream. The stream carries handler logs and whatever they print
// (environment values, tokens), so a page from another site must not be able to read it.
import net from 'node:net';

/**
 * True when a WebSocket upgrade may proceed: no `Origin` (a non-browser client), or an `Origin`
 * equal to `http://<Host>` where the Host name cannot have been re-pointed by DNS (an IP
 * literal, `localhost`, a `*.localhost` name, the name the server was started with, or a name
 * the user allowed). The last rule defeats DNS rebinding: a page on `evil.example` whose name
 * later resolves to 127.0.0.1 sends `Host: evil.example:PORT` and a matching Origin, and is still refused.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, serverHostname: string, allowed: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  if (origin.toLowerCase() !== `http://${host.toLowerCase()}`) return false;
  return isTrustedHostname(hostnameOf(host), serverHostname, allowed);
}

/**
 * True for a host name DNS cannot have re-pointed at this server, or one the user allowed
 * (`.name` allows the name and its subdomains, `*` any name).
 */
export function isTrustedHostname(hostname: string, serverHostname: string, allowed: readonly string[] = []): boolean {
  if (net.isIP(hostname) !== 0) return true;
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === serverHostname.toLowerCase()) return true;
  return allowed.some((entry) => {
    const a = entry.toLowerCase();
    if (a === '*') return true;
    if (a.startsWith('.')) return hostname === a.slice(1) || hostname.endsWith(a);
    return hostname === a;
  });
}

/** The name part of a Host header (`[::1]:3000` -> `::1`, `localhost:3000` -> `localhost`). */
export function hostnameOf(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}
