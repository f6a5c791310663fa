// Measures the memory of an instance thread that is running synchronous code. Such a thread reads
// no messages until its code yields, so its own memory watch cannot run; the inspector, however,
// runs a thread's protocol messages between two steps of its JavaScript, as it must to pause a
// busy script. Through the main thread's NodeWorker domain, Runtime.evaluate calls the memory
// function the thread installed (environment-memory.ts), so the judgment is the thread's own: heap plus
// Buffers, with a collection before anything counts as over the limit.
//
// The answers reach the main thread the same way: between two steps of whatever JavaScript runs
// there, timers and promises included. So the session's listeners only write to this probe's own
// maps (a listener that cleared a timer corrupted Node's timer queue under load); the caller
// collects answers from its own timer.
import type { Session } from 'node:inspector';
import { MEMORY_PROBE_KEY } from '../worker/protocol.js';

const EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(MEMORY_PROBE_KEY)})]()`;

interface WorkerMessage {
  id?: number;
  result?: { result?: { value?: unknown } };
}

/** One inspector session on the main thread, attached to the worker threads when first needed (one per runtime). */
export class HeapProbe {
  private session: Session | null = null;
  /** The connection, once asked for (it attaches when the first busy thread is asked). */
  private starting: Promise<void> | null = null;
  /** Inspector session ids of attached threads, by thread id. */
  private readonly attached = new Map<number, string>();
  /** Questions asked and not yet taken or forgotten. */
  private readonly asked = new Set<number>();
  /** Answers by question id: MB in use, or null when the thread could not answer. */
  private readonly answers = new Map<number, number | null>();
  private nextId = 1;
  /** Counts close() calls: a session from before the last one must not touch the current state. */
  private generation = 0;

  /**
   * Asks thread `threadId` for its memory in use; returns the question's id, or null when the
   * thread cannot be asked yet (the first call attaches the inspector, which takes a moment).
   */
  ask(threadId: number): number | null {
    const session = this.session;
    const target = this.attached.get(threadId);
    if (!session || target === undefined) {
      this.starting ??= this.connect();
      return null;
    }
    const id = this.nextId++;
    this.asked.add(id);
    const message = JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression: EXPRESSION, returnByValue: true } });
    session.post('NodeWorker.sendMessageToWorker', { sessionId: target, message }, (err) => {
      if (err && this.asked.has(id)) this.answers.set(id, null);
    });
    return id;
  }

  /**
   * The answer to question `id`: MB in use, null when the thread could not answer (gone, or the
   * evaluation failed), undefined while it is not in. An answer is given once.
   */
  take(id: number): number | null | undefined {
    const answer = this.answers.get(id);
    if (answer !== undefined) this.forget(id);
    return answer;
  }

  /** Drops a question whose answer is no longer wanted. */
  forget(id: number): void {
    this.asked.delete(id);
    this.answers.delete(id);
  }

  /** Detaches from every thread; the next question attaches again. */
  close(): void {
    this.generation++;
    this.session?.disconnect();
    this.session = null;
    this.starting = null;
    this.attached.clear();
    this.asked.clear();
    this.answers.clear();
  }

  private async connect(): Promise<void> {
    const generation = this.generation;
    let inspector: typeof import('node:inspector');
    try {
      inspector = await import('node:inspector');
    } catch {
      return; // A Node built without the inspector: V8's heap cap remains the only stop.
    }
    if (this.generation !== generation) return;
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
      if (m.id === undefined || !current() || !this.asked.has(m.id)) return;
      const value = m.result?.result?.value;
      this.answers.set(m.id, typeof value === 'number' ? value : null);
    });
    session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    this.session = session;
  }
}
