// Recorded traffic (`trace:FILE`): CSV or JSON lines of timestamps, each optionally naming a
// function or an HTTP method and path that is routed as the gateway routes it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildRouteTable, resolveRoute } from '../gateway/routes.js';
import type { ServiceConfig } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';

/** Arrival times per function (ms from the first request, sorted), and what could not be routed. */
export interface Trace {
  byFunction: Map<string, Float64Array>;
  unrouted: number;
  /** Time of the last request (ms from the first). */
  spanMs: number;
}

interface Row {
  time: number;
  fn?: string;
  method?: string;
  path?: string;
}

function fail(file: string, line: number, why: string): ColdstartError {
  return new ColdstartError('INVALID_ARGUMENT', `trace line ${line}: ${why}`, { file });
}

// Numbers are seconds from the start, unless they are epoch milliseconds; strings are dates.
function readTime(value: unknown, file: string, line: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? value : value * 1000;
  if (typeof value === 'string') {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) return n > 1e11 ? n : n * 1000;
    const d = Date.parse(value);
    if (Number.isFinite(d)) return d;
  }
  throw fail(file, line, `timestamp ${JSON.stringify(value)} is neither seconds, epoch milliseconds nor a date`);
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function parseRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('{')) {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        throw fail(file, i + 1, `not JSON: ${(err as Error).message}`);
      }
      const t = o.time ?? o.timestamp ?? o.t;
      rows.push({
        time: readTime(t, file, i + 1),
        fn: typeof o.function === 'string' ? o.function : undefined,
        method: typeof o.method === 'string' ? o.method.toUpperCase() : undefined,
        path: typeof o.path === 'string' ? o.path : undefined,
      });
      continue;
    }
    const cells = line.split(',').map((c) => c.trim());
    // A header row names its columns.
    if (rows.length === 0 && /^[a-z_]+$/i.test(cells[0]!) && !Number.isFinite(Date.parse(cells[0]!))) continue;
    const row: Row = { time: readTime(cells[0], file, i + 1) };
    if (cells.length >= 3 && METHODS.has(cells[1]!.toUpperCase())) {
      row.method = cells[1]!.toUpperCase();
      row.path = cells[2];
    } else if (cells.length >= 2 && cells[1] !== '') row.fn = cells[1];
    rows.push(row);
  }
  return rows;
}

/** Reads a trace and assigns each request to a function. */
export function readTrace(file: string, config: ServiceConfig, functions: string[]): Trace {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `cannot read trace file: ${(err as Error).message}`, { file: abs });
  }
  const rows = parseRows(text, abs);
  if (rows.length === 0) throw new ColdstartError('INVALID_ARGUMENT', 'the trace holds no requests', { file: abs });
  const table = buildRouteTable(config);
  const byName = new Map(config.functions.flatMap((f) => [[f.name, f.name], [f.fullName, f.name]] as const));
  const lists = new Map<string, number[]>(functions.map((f) => [f, []]));
  const origin = Math.min(...rows.map((r) => r.time));
  let unrouted = 0;
  let span = 0;
  for (const r of rows) {
    let fn: string | undefined;
    if (r.fn !== undefined) {
      fn = byName.get(r.fn);
      if (!fn) throw new ColdstartError('FUNCTION_NOT_FOUND', `the trace names function "${r.fn}", which serverless.yml does not define`, { file: abs });
    } else if (r.method && r.path) {
      const res = resolveRoute(table, r.method, r.path);
      fn = res.match?.route.functionName;
    } else if (functions.length === 1) fn = functions[0];
    else throw new ColdstartError('INVALID_ARGUMENT', `a trace row without a function or METHOD,PATH needs exactly one --function (${functions.length} are simulated)`, { file: abs });
    const list = fn ? lists.get(fn) : undefined;
    if (!list) {
      unrouted++;
      continue;
    }
    const t = r.time - origin;
    list.push(t);
    if (t > span) span = t;
  }
  const byFunction = new Map<string, Float64Array>();
  for (const [fn, list] of lists) byFunction.set(fn, Float64Array.from(list).sort());
  return { byFunction, unrouted, spanMs: span };
}
