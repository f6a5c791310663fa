// Issue 6 benchmark: warm invocation throughput through the Lambda API with no console attached
// and with 5 WebSocket clients streaming every event, measured in interleaved rounds of one run.
// The clients live on a worker thread, as a browser would live in another process: what is
// measured is the server's cost of streaming, not the clients' cost of reading.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { startQuiet } from './emulator.js';
import { runLoad, WARM_PER_INSTANCE, type LoadResult } from './load.js';
import type { BenchRow } from './types.js';

// One log line per call, as most handlers write: start, log and end are three events per call.
const HANDLER = `export const handler = async (event) => { console.log('handled', event.n); return { ok: true }; };\n`;
const CONFIG = `service: benchconsole
provider:
  name: aws
  runtime: nodejs20.x
  memorySize: 1769
functions:
  echo:
    handler: handler.handler
`;
const CLIENTS = 5;
const ROUNDS = 10;
const REQUESTS = 5000;
const INVOKE_PATH = '/2015-03-31/functions/echo/invocations';

// Runs in the worker: opens N WebSocket clients on request and counts the messages they receive.
// Each client is a plain socket after a real WebSocket handshake, walking the frame headers of
// what arrives: a full client library spends about 2 us of CPU per message in its parser (30-40 us
// per call for 5 clients here), and on 2 cores that CPU is taken from the server, while the figure
// is meant to be the server's cost of streaming. Every 50th message is still parsed and checked.
const CLIENT_CODE = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const crypto = require('node:crypto');
let sockets = [];
let received = 0;
function connect(url) {
  return new Promise((resolve, reject) => {
    const key = crypto.randomBytes(16).toString('base64');
    const req = http.request(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key } });
    req.on('response', (res) => reject(new Error('no upgrade: ' + res.statusCode)));
    req.on('error', reject);
    req.on('upgrade', (res, socket, head) => {
      const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('bad Sec-WebSocket-Accept'));
      let pending = head;
      let first = true;
      const onData = (chunk) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        let at = 0;
        for (;;) {
          if (pending.length - at < 2) break;
          const opcode = pending[at] & 0x0f;
          let len = pending[at + 1] & 0x7f;
          let header = 2;
          if (len === 126) { if (pending.length - at < 4) break; len = pending.readUInt16BE(at + 2); header = 4; }
          else if (len === 127) { if (pending.length - at < 10) break; len = Number(pending.readBigUInt64BE(at + 2)); header = 10; }
          if (pending.length - at < header + len) break;
          if (opcode === 1) {
            if (first) { first = false; resolve(socket); }
            else if (++received % 50 === 0 && typeof JSON.parse(pending.toString('utf8', at + header, at + header + len)).type !== 'string') throw new Error('not an event');
          }
          at += header + len;
        }
        pending = pending.subarray(at);
      };
      socket.on('data', onData);
      if (head.length > 0) onData(Buffer.alloc(0));
    });
    req.end();
  });
}
parentPort.on('message', async (msg) => {
  if (msg.cmd === 'open') {
    received = 0;
    sockets = await Promise.all(Array.from({ length: msg.count }, () => connect(msg.url)));
    parentPort.postMessage({ cmd: 'opened' });
  } else if (msg.cmd === 'close') {
    // Let the last events drain before counting.
    await new Promise((r) => setTimeout(r, 300));
    // A masked close frame with no body, as a client sends it; the server answers and closes.
    await Promise.all(sockets.map((socket) => new Promise((resolve) => {
      socket.once('close', resolve);
      socket.write(Buffer.from([0x88, 0x80, 1, 2, 3, 4]));
    })));
    sockets = [];
    parentPort.postMessage({ cmd: 'closed', received });
  }
});
`;

class ClientPool {
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(CLIENT_CODE, { eval: true });
  }

  private request<T>(msg: object, reply: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { cmd: string } & T) => {
        if (m.cmd !== reply) return;
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        resolve(m);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
      this.worker.postMessage(msg);
    });
  }

  open(url: string, count: number): Promise<unknown> {
    return this.request({ cmd: 'open', url, count }, 'opened');
  }

  /** Closes the clients; resolves with the events they received in total. */
  async close(): Promise<number> {
    return (await this.request<{ received: number }>({ cmd: 'close' }, 'closed')).received;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Throughput with 0 and with 5 streaming clients, plus proof that the clients were fed. */
export default async function consoleBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coldstart-bench-console-'));
  writeFileSync(path.join(dir, 'handler.mjs'), HANDLER);
  writeFileSync(path.join(dir, 'serverless.yml'), CONFIG);
  const server = await startQuiet(path.join(dir, 'serverless.yml'));
  const pool = new ClientPool();
  const eventsUrl = `${server.url}/__coldstart/events`;
  // Main-thread busy time per call (the server's event loop, which streaming adds work to).
  const busyPerCall: { bare: number[]; watched: number[] } = { bare: [], watched: [] };
  const load = async (kind?: 'bare' | 'watched') => {
    const before = performance.eventLoopUtilization();
    const result = await runLoad({ url: server.url, path: INVOKE_PATH, body: '{"n":1}', connections: 10, requests: REQUESTS, maxMs: 30_000 });
    const used = performance.eventLoopUtilization(before);
    if (kind) busyPerCall[kind].push((used.active * 1000) / result.count);
    return result;
  };
  try {
    // Warm-up: the 10 instances exist and their JIT has settled (see WARM_PER_INSTANCE).
    await runLoad({ url: server.url, path: INVOKE_PATH, body: '{"n":1}', connections: 10, requests: 10 * WARM_PER_INSTANCE, maxMs: 60_000 });
    const bare: LoadResult[] = [];
    const watched: LoadResult[] = [];
    const ratios: number[] = [];
    const delivered: number[] = [];
    const measureWatched = async () => {
      await pool.open(eventsUrl, CLIENTS);
      const result = await load('watched');
      delivered.push((await pool.close()) / (CLIENTS * result.count));
      watched.push(result);
      return result;
    };
    const measureBare = async () => {
      const result = await load('bare');
      bare.push(result);
      return result;
    };
    // Paired rounds, alternating which goes first: the other load on the machine drifts, and
    // each pair is compared only with itself; the median pair decides.
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = round % 2 === 0 ? [await measureBare(), await measureWatched()] : [await measureWatched(), await measureBare()];
      ratios.push(round % 2 === 0 ? b.rps / a.rps : a.rps / b.rps);
    }
    const rps0 = median(bare.map((r) => r.rps));
    const rps5 = median(watched.map((r) => r.rps));
    const slowdown = (1 - median(ratios)) * 100;
    const eventsPerCall = Math.min(...delivered);
    const errors = [...bare, ...watched].reduce((n, r) => n + r.errors, 0);
    return [
      { figure: 'lambda-api warm req/s, 10 conns, no console', value: rps0, unit: 'req/s', target: 'baseline', met: true },
      {
        figure: `lambda-api warm req/s, 10 conns, ${CLIENTS} WebSocket clients`,
        value: rps5,
        unit: 'req/s',
        baseline: rps0,
        target: 'report (the paired slowdown below decides)',
        met: true,
      },
      { figure: `slowdown with ${CLIENTS} clients, median of ${ROUNDS} paired rounds (%)`, value: slowdown, unit: '%', target: '< 10', met: slowdown < 10 },
      {
        figure: 'main-thread busy time per call, with clients (us)',
        value: median(busyPerCall.watched),
        unit: 'us',
        baseline: median(busyPerCall.bare),
        target: 'report (server-side cost of streaming)',
        met: true,
      },
      { figure: 'events received per call per client (min over rounds)', value: eventsPerCall, unit: 'events', target: '>= 3 (start, log, end)', met: eventsPerCall >= 3 },
      { figure: 'console bench errors during load', value: errors, unit: 'count', target: '0', met: errors === 0 },
    ];
  } finally {
    await pool.terminate();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
