// Measures the memory of an instance thread that is running synchronous code. Such a thread reads
// no messages until its code yields, so its own memory watch cannot run; the inspector, however,
// runs a thread's protocol messages between two steps of its JavaScript, as it must to pause a
// busy script. Through the main thread's NodeWorker domain, Runtime.evaluate calls the memory
// function the thread installed (worker/memory.ts), so the judgment is the thread's own: heap plus
// Buffers, with a collection before anything counts as over the limit.
import type { Session } from 'node:inspector';
import { MEMORY_PROBE_KEY } from './worker/protocol.js';

const EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(MEMORY_PROBE_KEY)})]()`;

interface WorkerMessage {
  id?: number;
  result?: { result?: { value?: unknown } };
}

/** One inspector session on the main thread, attached to the worker threads when first needed. */
export class HeapProbe {
  private session: Session | null = null;
  private starting: Promise<Session | null> | null = null;
  /** Inspector session ids of attached threads, by thread id. */
  private readonly attached = new Map<number, string>();
  private readonly pending = new Map<number, (mb: number | null) => void>();
  private nextId = 1;
  /** Counts close() calls: a session from before the last one must not touch the current state. */
  private generation = 0;

  /**
   * Memory in use in the thread, MB, as the thread measures it; null when it cannot be asked (not
   * attached yet, gone, or no answer within `timeoutMs`).
   */
  async measure(threadId: number, timeoutMs: number): Promise<number | null> {
    const session = await this.start();
    const target = this.attached.get(threadId);
    if (!session || target === undefined) return null;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      const settle = (mb: number | null) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(mb);
      };
      this.pending.set(id, settle);
      const message = JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression: EXPRESSION, returnByValue: true } });
      session.post('NodeWorker.sendMessageToWorker', { sessionId: target, message }, (err) => {
        if (err) settle(null);
      });
    });
  }

  /** Detaches from every thread; the next measurement attaches again. */
  close(): void {
    this.generation++;
    this.session?.disconnect();
    this.session = null;
    this.starting = null;
    this.attached.clear();
    for (const settle of [...this.pending.values()]) settle(null);
  }

  // Attaching waits for the first thread found busy: until then no thread carries a session.
  private start(): Promise<Session | null> {
    this.starting ??= this.connect();
    return this.starting;
  }

  private async connect(): Promise<Session | null> {
    const generation = this.generation;
    let inspector: typeof import('node:inspector');
    try {
      inspector = await import('node:inspector');
    } catch {
      return null; // A Node built without the inspector: V8's heap cap remains the only stop.
    }
    const session = new inspector.Session();
    const current = () => this.generation === generation;
    session.connect();
    session.on('NodeWorker.attachedToWorker', ({ params }) => {
      // The title is "[worker <threadId>]"; workerId is the inspector's own numbering.
      const threadId = /^\[worker (\d+)\]/.exec(params.workerInfo.title)?.[1];
      if (threadId && current()) this.attached.set(Number(threadId), params.sessionId);
    });
    session.on('NodeWorker.detachedFromWorker', ({ params }) => {
      if (!current()) return;
      for (const [threadId, id] of this.attached) if (id === params.sessionId) this.attached.delete(threadId);
    });
    session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
      const m = JSON.parse(params.message) as WorkerMessage;
      if (m.id === undefined || !current()) return;
      const value = m.result?.result?.value;
      this.pending.get(m.id)?.(typeof value === 'number' ? value : null);
    });
    await new Promise<void>((resolve) => session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, () => resolve()));
    if (!current()) {
      session.disconnect();
      return null;
    }
    this.session = session;
    return session;
  }
}

/** The process-wide probe: one inspector session serves every instance. */
export const heapProbe = new HeapProbe();
