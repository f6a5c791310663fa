// Shared by the sample scripts: where the emulator is, an AWS SDK Lambda client pointed at it, and
// readers for what it answers. Scripts only talk to COLDSTART_URL (default http://127.0.0.1:3000).
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { pathToFileURL } from 'node:url';

// The SDK warns once per process that its 2027 releases will need Node 22; it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The emulator's URL. */
export function coldstartUrl() {
  return (process.env.COLDSTART_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
}

/** A Lambda client for the emulator; the SDK's own retries are off so throttles are visible. */
export function lambdaClient(url = coldstartUrl()) {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Numbers from a REPORT line: duration, billed duration and (cold starts only) init duration, in ms. */
export function parseReport(log) {
  const num = (re) => {
    const m = re.exec(log);
    return m ? Number(m[1]) : undefined;
  };
  return {
    durationMs: num(/\tDuration: ([\d.]+) ms/),
    billedMs: num(/Billed Duration: (\d+) ms/),
    memoryMb: num(/Memory Size: (\d+) MB/),
    initMs: num(/Init Duration: ([\d.]+) ms/),
  };
}

/**
 * Invokes a function synchronously with LogType Tail; resolves with the decoded payload, the log
 * tail, the REPORT numbers and the client-side round trip. Throttles reject (TooManyRequestsException).
 */
export async function invoke(client, functionName, event = {}) {
  const started = performance.now();
  const out = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }),
  );
  const roundTripMs = performance.now() - started;
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  const log = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '';
  return { payload: text ? JSON.parse(text) : undefined, functionError: out.FunctionError, log, roundTripMs, ...parseReport(log) };
}

/** The body of an API Gateway proxy response returned by a direct invocation. */
export function proxyBody(payload) {
  return typeof payload?.body === 'string' ? JSON.parse(payload.body) : payload;
}

/** GET a JSON document from the emulator's console API (/__coldstart/state, /__coldstart/metrics). */
export async function consoleJson(what, url = coldstartUrl()) {
  const res = await fetch(`${url}/__coldstart/${what}`);
  if (!res.ok) throw new Error(`GET /__coldstart/${what}: ${res.status}`);
  return res.json();
}

/** Mean of a list of numbers (NaN for an empty list). */
export function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** A number with fixed decimals, or "-" when absent. */
export function fmt(value, digits = 1) {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
}

/** Prints rows (objects) as an aligned table. */
export function printTable(rows, print = console.log) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(width[i])).join('  ');
  print(line(cols));
  print(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) print(line(cols.map((c) => r[c])));
}

/** Runs `main` when the file is executed directly (not imported by a test); exit 1 on failure. */
export function runIfMain(metaUrl, main) {
  if (process.argv[1] && pathToFileURL(process.argv[1]).href === metaUrl) {
    main({ url: coldstartUrl(), print: console.log }).catch((err) => {
      const refused = [err?.code, err?.cause?.code].includes('ECONNREFUSED');
      console.error(refused ? `${err.message ?? err.cause?.message}: is coldstart running? start it with npm start, or set COLDSTART_URL` : err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
  }
}
