// Hostile console clients: 100 WebSocket clients connect at once to a server whose event history
// is full of long log lines, half of them never reading, while invocations run. The server keeps
// answering its health check within seconds, refuses clients past its cap, and its resident
// memory comes back to within 100 MB of where it was once the clients are gone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { rawRequest } from './helpers/raw-http.js';
import { settle } from './helpers/eventually.js';
import { fixture, useColdstart } from './helpers/server.js';

const CLIENTS = 100;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that completes the upgrade and then never reads a byte. */
function stalledClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /__coldstart/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      // Read nothing from now on: the server's writes pile up in its socket.
      socket.once('data', () => socket.pause());
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/**
 * A client that reads everything (and throws it away: a WebSocket library here would spend this
 * process's CPU on megabytes per client, slowing its own health measurements); resolves with
 * whether its first frame is the snapshot (false when refused).
 */
function readingClient(port: number): { socket: net.Socket; snapshot: Promise<boolean> } {
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write(
      `GET /__coldstart/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  const snapshot = new Promise<boolean>((resolve) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0 || head.length < end + 4 + 10 + 20) return;
      socket.off('data', onData);
      socket.on('data', () => undefined);
      if (!head.subarray(0, 12).toString().includes('101')) return resolve(false);
      // An unmasked text frame with a 64-bit length: 10 header bytes, then the JSON.
      const frame = head.subarray(end + 4);
      resolve(frame[0] === 0x81 && frame.subarray(10, 28).toString() === '{"type":"snapshot"');
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(false));
    socket.on('error', () => resolve(false));
  });
  return { socket, snapshot };
}

describe('reliability: hostile console clients', () => {
  const cs = useColdstart(fixture('hardening', 'serverless.yml'));

  test(`${CLIENTS} clients at once with a full history while invocations run`, { timeout: 240_000 }, async () => {
    const pid = cs.child.pid!;
    const invokeUrl = '/2015-03-31/functions/shout/invocations';
    // A full history: 1,000 log lines of 16 KB (each kept cut to 8 KB).
    const filled = await rawRequest(cs.port, 'POST', invokeUrl, { body: JSON.stringify({ count: 1000, kb: 16 }) });
    assert.equal(filled.status, 200, filled.body);
    await sleep(1000);
    const startMb = rssMb(pid);

    // Invocations keep running throughout, each logging a little.
    let running = true;
    let invoked = 0;
    const load = (async () => {
      while (running) {
        const r = await rawRequest(cs.port, 'POST', invokeUrl, { body: JSON.stringify({ count: 5, kb: 2 }) });
        assert.equal(r.status, 200);
        invoked++;
        // Steady traffic, not a CPU hog: the machine running this test is shared.
        await sleep(10);
      }
    })();

    // This process's own delays count in every health measurement; reported beside them.
    const ownLag = monitorEventLoopDelay({ resolution: 10 });
    ownLag.enable();
    let slowestHealthMs = 0;
    let phase = 'load only';
    let slowest = '';
    let healthChecks = 0;
    const health = (async () => {
      while (running) {
        const t0 = performance.now();
        const r = await rawRequest(cs.port, 'GET', '/__coldstart/health', { timeoutMs: 10_000 });
        assert.equal(r.status, 200);
        const took = performance.now() - t0;
        if (took > slowestHealthMs) slowest = `${phase}`;
        slowestHealthMs = Math.max(slowestHealthMs, took);
        healthChecks++;
        await sleep(50);
      }
    })();

    await sleep(1000);
    phase = 'clients connecting';
    const stalled: Promise<net.Socket>[] = [];
    const readers: ReturnType<typeof readingClient>[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      if (i % 2) stalled.push(stalledClient(cs.port));
      else readers.push(readingClient(cs.port));
    }
    const stalledSockets = await Promise.all(stalled);
    const welcomed = (await Promise.all(readers.map((r) => r.snapshot))).filter(Boolean).length;
    phase = 'clients connected';
    await sleep(3000);
    let peakMb = rssMb(pid);
    await sleep(2000);
    peakMb = Math.max(peakMb, rssMb(pid));

    phase = 'clients leaving';
    for (const s of stalledSockets) s.destroy();
    for (const r of readers) r.socket.destroy();
    running = false;
    await Promise.all([load, health]);
    ownLag.disable();

    // Memory comes back once the clients are gone (polled: freed pages return over a few seconds).
    const endMb = await settle(() => rssMb(pid), (mb) => mb - startMb < 100, 20_000, 500);
    const summary =
      `RSS ${startMb.toFixed(0)} MB before, ${peakMb.toFixed(0)} MB with the clients, ${endMb.toFixed(0)} MB after; ` +
      `slowest health ${slowestHealthMs.toFixed(0)} ms (${slowest}) over ${healthChecks} checks (this process's own worst event-loop delay ${(ownLag.max / 1e6).toFixed(0)} ms); ${invoked} invocations; ${welcomed} reading clients welcomed`;
    console.log(summary);
    // 3 s, not 1 s: with a second test suite on the same two cores, a healthy server measured up to
    // 2.2 s from this process; a server blocked by its clients stays silent far longer.
    assert.ok(slowestHealthMs < 3000, summary);
    assert.ok(endMb - startMb < 100, summary);
    assert.ok(invoked > 0, summary);
    assert.ok(welcomed > 0, `some reading clients get their snapshot: ${summary}`);
    assert.ok(healthChecks > 10, summary);

    // The server still serves a console normally afterwards.
    const late = new WebSocket(`${cs.url.replace(/^http/, 'ws')}/__coldstart/events`);
    const first = await new Promise<string>((resolve, reject) => {
      late.once('message', (data: Buffer) => resolve(data.subarray(0, 32).toString('utf8')));
      late.once('error', reject);
    });
    assert.ok(first.startsWith('{"type":"snapshot"'));
    late.terminate();
  });
});
