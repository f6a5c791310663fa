// WebSocket `/__coldstart/events`: a snapshot first, then every lifecycle event as one JSON message.
// The bus listener exists only while a client is connected, and each event is serialised once
// for all clients, so the invocation path pays nothing when nobody watches and little when some do.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventBus } from '../events/bus.js';
import type { LifecycleEvent } from '../types/events.js';
import { textFrames } from './frames.js';
import { isAllowedOrigin } from './origin.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Path of the event stream. */
export const EVENTS_PATH = '/__coldstart/events';

/** What the stream needs from its surroundings. */
export interface EventStreamOptions {
  bus: EventBus;
  /** The snapshot message body (without `type`), built when a client connects. */
  snapshot(): Record<string, unknown>;
  /** Host name the server was started with (origin checks). */
  serverHostname(): string;
  /** Host names the user allowed besides the server's own. */
  allowedHosts?(): readonly string[];
  /** Terminal line for operator-visible trouble (a slow client dropped). */
  warn(line: string): void;
  /** Unsent bytes a client may accumulate before it is disconnected. */
  maxBufferedBytes?: number;
  /** Interval of liveness pings, ms. */
  pingIntervalMs?: number;
  /** Most clients connected at once; more are refused with 503. */
  maxClients?: number;
}

/** Console clients connected at once, by default: each may hold the snapshot's megabytes in its socket. */
export const MAX_CLIENTS = 50;

/** Longest time an event waits to be sent, ms. */
export const FLUSH_MS = 16;

/** Close code for a client dropped for falling behind ("try again later"). */
export const CLOSE_TOO_SLOW = 1013;

/** Streams bus events to WebSocket clients. */
export class EventStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  private readonly clients = new Set<WebSocket>();
  private readonly alive = new WeakSet<WebSocket>();
  private unsubscribe: (() => void) | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly maxBuffered: number;
  private readonly sockets = new WeakMap<WebSocket, Duplex>();
  private queue: LifecycleEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly snapshots: SnapshotCache;
  /** Unsent bytes each client may have on top of `maxBuffered`: its welcome, which it may still be reading. */
  private readonly allowance = new WeakMap<WebSocket, number>();
  private readonly maxClients: number;
  /** Upgrades accepted but not yet welcomed (they count against the cap). */
  private joining = 0;

  constructor(private readonly options: EventStreamOptions) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.maxClients = options.maxClients ?? MAX_CLIENTS;
    this.snapshots = new SnapshotCache(options.snapshot);
  }

  /** Handles upgrades to the events path on this server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== EVENTS_PATH) {
        // Nobody else takes upgrades on this port: answer rather than leave the socket hanging.
        if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}; use ${EVENTS_PATH}`);
        return;
      }
      if (!isAllowedOrigin(req.headers.origin, req.headers.host, this.options.serverHostname(), this.options.allowedHosts?.() ?? [])) {
        refuse(socket, 403, 'Forbidden', `origin ${req.headers.origin} may not read the coldstart event stream; open the console from this server`);
        return;
      }
      if (this.clients.size + this.joining >= this.maxClients) {
        refuse(socket, 503, 'Service Unavailable', `coldstart serves at most ${this.maxClients} console clients at once; close one and retry`);
        return;
      }
      this.joining++;
      let joined = false;
      const join = () => {
        if (!joined) this.joining--;
        joined = true;
      };
      socket.once('close', join);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        join();
        this.welcome(ws, socket);
      });
    });
    const interval = this.options.pingIntervalMs ?? 30_000;
    this.pingTimer = setInterval(() => this.ping(), interval);
    this.pingTimer.unref();
  }

  /** Says goodbye to every client and stops listening to the bus. */
  close(): void {
    this.flush();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const ws of this.clients) {
      ws.close(1001, 'coldstart is shutting down');
      setTimeout(() => ws.terminate(), 1000).unref();
    }
    this.clients.clear();
    this.setListening(false);
    this.wss.close();
  }

  private welcome(ws: WebSocket, socket: Duplex): void {
    // Events queued before this client's snapshot belong to the others only (the snapshot covers them).
    this.flush();
    this.sockets.set(ws, socket);
    ws.on('error', () => {
      // A reset connection is the client's business; 'close' follows and cleans up.
    });
    ws.on('pong', () => this.alive.add(ws));
    ws.on('close', () => this.drop(ws));
    this.alive.add(ws);
    // Snapshot (with the batches since it) and subscription happen in the same turn: no event is
    // missed or sent twice.
    this.setListening(true);
    const welcome = this.snapshots.welcome();
    let bytes = 0;
    for (const frames of welcome) {
      socket.write(frames);
      bytes += frames.length;
    }
    this.allowance.set(ws, bytes);
    this.clients.add(ws);
  }

  // Events are queued and sent in batches, at most FLUSH_MS apart (a display frame, so a person
  // sees no delay): each event is serialised and framed once, and each client gets a batch in one
  // write. Writing per event costs a system call per event per client, which at a few thousand
  // events a second is what would slow the invocations down.
  private readonly broadcast = (event: LifecycleEvent): void => {
    this.queue.push(event);
    if (!this.flushTimer) this.flushTimer = setTimeout(this.flush, FLUSH_MS);
  };

  private readonly flush = (): void => {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.queue.length === 0) return;
    const batch = textFrames(this.queue.map((event) => JSON.stringify(event)));
    this.queue = [];
    this.snapshots.broadcasted(batch);
    for (const ws of this.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const pending = ws.bufferedAmount;
      // Once the welcome is read, the client is held to the plain limit.
      const allowance = pending > this.maxBuffered ? (this.allowance.get(ws) ?? 0) : 0;
      if (allowance === 0) this.allowance.delete(ws);
      if (pending > this.maxBuffered + allowance) {
        this.tooSlow(ws);
        continue;
      }
      // Whole frames written to the upgraded socket, behind anything ws itself queued there;
      // ws.bufferedAmount counts these bytes too, so backpressure still sees them.
      this.sockets.get(ws)?.write(batch);
    }
  };

  private tooSlow(ws: WebSocket): void {
    const mb = Math.round(this.maxBuffered / (1024 * 1024));
    this.drop(ws);
    ws.close(CLOSE_TOO_SLOW, `client too slow: more than ${mb} MB of events unsent`);
    // The close frame queues behind the unsent data; do not wait for it forever.
    setTimeout(() => ws.terminate(), 2000).unref();
    this.options.warn(`console: disconnected a WebSocket client that fell more than ${mb} MB behind the event stream (close code ${CLOSE_TOO_SLOW}); it may reconnect`);
  }

  private drop(ws: WebSocket): void {
    this.clients.delete(ws);
    if (this.clients.size === 0) this.setListening(false);
  }

  private setListening(on: boolean): void {
    if (on && !this.unsubscribe) this.unsubscribe = this.options.bus.subscribe(this.broadcast);
    if (!on && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
      this.snapshots.invalidate();
    }
  }

  private ping(): void {
    for (const ws of this.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

function refuse(socket: Duplex, status: number, statusText: string, message: string): void {
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
