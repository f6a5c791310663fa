// What the service serves, printed once at start-up as serverless-offline does: one line per
// gateway route (method, URL, function), then the Lambda API and console addresses. Under
// `--log-format json` the same facts are one `server.routes` JSON event.
import type { ServiceConfig } from '../types/config.js';
import { palette, shouldColor, type Palette } from './colors.js';

/** One gateway route as a user calls it. */
export interface PrintedRoute {
  api: 'REST' | 'HTTP';
  method: string;
  url: string;
  function: string;
}

/** The routes of a service at a base URL (`http://HOST:PORT`): REST routes under `/{stage}`, HTTP API routes at the root. */
export function listRoutes(config: ServiceConfig, baseUrl: string): PrintedRoute[] {
  const routes: PrintedRoute[] = [];
  for (const fn of config.functions) {
    for (const e of fn.events) {
      if (e.kind !== 'http' && e.kind !== 'httpApi') continue;
      const path = e.path === '*' ? '/{proxy+}' : e.path;
      const url = e.kind === 'http' ? `${baseUrl}/${config.stage}${path === '/' ? '' : path}` : `${baseUrl}${path}`;
      routes.push({ api: e.kind === 'http' ? 'REST' : 'HTTP', method: e.method === 'ANY' || e.path === '*' ? 'ANY' : e.method, url, function: fn.name });
    }
  }
  return routes;
}

/** The Lambda Invoke API and console addresses. */
export function serviceUrls(baseUrl: string): { lambdaApi: string; console: string } {
  return { lambdaApi: `${baseUrl}/2015-03-31/functions/{name}/invocations`, console: `${baseUrl}/__coldstart/` };
}

/** The pretty lines. */
export function routeLines(config: ServiceConfig, baseUrl: string, c: Palette): string[] {
  const routes = listRoutes(config, baseUrl);
  const methodWidth = Math.max(0, ...routes.map((r) => r.method.length));
  const urlWidth = Math.max(0, ...routes.map((r) => r.url.length));
  const urls = serviceUrls(baseUrl);
  return [
    ...routes.map((r) => `${c.bold(r.method.padEnd(methodWidth))}  ${r.url.padEnd(urlWidth)}  ${c.dim('->')} ${r.function} ${c.dim(`(${r.api} API)`)}`),
    `${c.dim('Lambda API')}  ${urls.lambdaApi}  ${c.dim(`(${config.functions.map((f) => f.name).join(', ') || 'no functions'})`)}`,
    `${c.dim('console   ')}  ${urls.console}`,
  ];
}

/** The JSON event. */
export function routesEvent(config: ServiceConfig, baseUrl: string, time = Date.now()): Record<string, unknown> {
  return { type: 'server.routes', time, routes: listRoutes(config, baseUrl), ...serviceUrls(baseUrl), functions: config.functions.map((f) => f.name) };
}

/** Prints the routes: pretty lines, or one JSON event (`server.routes`) under `--log-format json`. */
export function printRoutes(config: ServiceConfig, baseUrl: string, logFormat: 'pretty' | 'json', print: (line: string) => void): void {
  if (logFormat === 'json') {
    print(JSON.stringify(routesEvent(config, baseUrl)));
    return;
  }
  for (const line of routeLines(config, baseUrl, palette(shouldColor(process.stdout)))) print(line);
}
