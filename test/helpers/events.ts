// A real WebSocket client of `/__coldstart/events` that records every message for assertions.
import WebSocket from 'ws';
import type { MetricsReport } from '../../src/console/metrics.js';
import type { LifecycleEvent } from '../../src/types/events.js';
import type { State } from './state.js';

/** The first message of the stream: the state document with metrics and recent events. */
export type Snapshot = State & { type: 'snapshot'; metrics: MetricsReport; recent: LifecycleEvent[] };

/** A connected event-stream client. */
export interface EventClient {
  /** The first message (the snapshot). */
  snapshot: Snapshot;
  /** Every later message, in arrival order. */
  events: LifecycleEvent[];
  /** Resolves with the first recorded event (past or future) matching the predicate. */
  waitFor<T extends LifecycleEvent = LifecycleEvent>(predicate: (e: LifecycleEvent) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Connects to the event stream of a running coldstart and waits for the snapshot. */
export async function connectEvents(baseUrl: string, headers: Record<string, string> = {}): Promise<EventClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/__coldstart/events`, { headers });
  const events: LifecycleEvent[] = [];
  const waiters: { predicate: (e: LifecycleEvent) => boolean; resolve: (e: LifecycleEvent) => void }[] = [];
  let resolveSnapshot!: (s: Snapshot) => void;
  const snapshotReceived = new Promise<Snapshot>((resolve) => (resolveSnapshot = resolve));
  let first = true;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (first) {
      first = false;
      resolveSnapshot(message);
      return;
    }
    events.push(message);
    for (const w of [...waiters]) {
      if (w.predicate(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });
  const snapshot = await snapshotReceived;
  return {
    snapshot,
    events,
    waitFor<T extends LifecycleEvent>(predicate: (e: LifecycleEvent) => boolean, timeoutMs = 15_000) {
      return new Promise<T>((resolve, reject) => {
        const found = events.find(predicate);
        if (found) return resolve(found as T);
        const timer = setTimeout(() => {
          reject(new Error(`no matching event within ${timeoutMs} ms; got:\n${events.map((e) => JSON.stringify(e)).join('\n')}`));
        }, timeoutMs);
        waiters.push({
          predicate,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e as T);
          },
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
