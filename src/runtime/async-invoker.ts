// Asynchronous (Event) invocations: queued per function, run as capacity frees, function errors
// retried after the configured delays (Lambda: twice, after 1 and 2 minutes), and never lost:
// a final failure is logged with its payload and handed to the function's on-failure target.
import { randomUUID } from 'node:crypto';
import type { InvocationRequest, InvocationResult } from '../types/runtime.js';
import type { AsyncFailureRecord, FailureDestination } from '../types/service.js';

interface QueuedEvent {
  request: InvocationRequest & { requestId: string };
  attempts: number;
}

/** What the async invoker needs from the runtime. */
export interface AsyncInvokerDeps {
  run(request: InvocationRequest): Promise<InvocationResult>;
  hasCapacity(functionName: string): boolean;
  retryDelaysMs(): number[];
  onFailureTarget(functionName: string): string | null;
  /** Reports a final failure (the runtime logs it on the bus). */
  reportFailure(record: AsyncFailureRecord, delivered: string | null): void;
}

/** Per-function queues of Event invocations. */
export class AsyncInvoker {
  private readonly queues = new Map<string, QueuedEvent[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Events waiting for their retry delay. */
  private readonly waiting = new Set<QueuedEvent>();
  private readonly inFlight = new Set<Promise<void>>();
  private destination: FailureDestination | null = null;
  private stopped = false;

  constructor(private readonly deps: AsyncInvokerDeps) {}

  /** Sets where exhausted events go (the SQS emulation registers itself). */
  setDestination(d: FailureDestination): void {
    this.destination = d;
  }

  /** Accepts an event; it runs as soon as the function has capacity. */
  enqueue(functionName: string, request: InvocationRequest): string {
    const requestId = request.requestId ?? randomUUID();
    this.push(functionName, { request: { ...request, requestId }, attempts: 0 });
    this.drain(functionName);
    return requestId;
  }

  /** Functions with events waiting for capacity (only those that ever received an event are looked at). */
  *waitingFunctions(): Iterable<string> {
    for (const [fn, q] of this.queues) if (q.length > 0) yield fn;
  }

  /** Number of events waiting for a function. */
  pending(functionName: string): number {
    return this.queues.get(functionName)?.length ?? 0;
  }

  private push(fn: string, ev: QueuedEvent): void {
    let q = this.queues.get(fn);
    if (!q) this.queues.set(fn, (q = []));
    q.push(ev);
  }

  /** Starts queued events while the function has capacity; called whenever capacity may have freed. */
  drain(functionName: string): void {
    const q = this.queues.get(functionName);
    while (!this.stopped && q && q.length > 0 && this.deps.hasCapacity(functionName)) {
      const ev = q.shift()!;
      const p = this.attempt(functionName, ev).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async attempt(fn: string, ev: QueuedEvent): Promise<void> {
    let result: InvocationResult;
    try {
      result = await this.deps.run(ev.request);
    } catch (err) {
      // The function was removed (hot reload) while the event waited: it can never run.
      this.deps.reportFailure(this.record(fn, ev, 'ResourceNotFoundException', (err as Error).message), null);
      return;
    }
    if (result.status === 'throttled') {
      // Throttled events go back to the front of the queue; the next release drains them.
      this.queues.get(fn)?.unshift(ev) ?? this.push(fn, ev);
      return;
    }
    ev.attempts++;
    if (result.outcome === 'success') return;
    const delays = this.deps.retryDelaysMs();
    if (ev.attempts <= delays.length && !this.stopped) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting.delete(ev);
        this.push(fn, ev);
        this.drain(fn);
      }, delays[ev.attempts - 1]);
      timer.unref();
      this.timers.add(timer);
      this.waiting.add(ev);
      return;
    }
    const record = this.record(fn, ev, result.error?.errorType ?? 'Unknown', result.error?.errorMessage ?? '');
    const target = this.deps.onFailureTarget(fn);
    const delivered = target && this.destination?.(target, record) ? target : null;
    this.deps.reportFailure(record, delivered);
  }

  private record(fn: string, ev: QueuedEvent, errorType: string, errorMessage: string): AsyncFailureRecord {
    return { function: fn, requestId: ev.request.requestId, payloadJson: ev.request.payloadJson, attempts: ev.attempts, errorType, errorMessage, time: Date.now() };
  }

  /** Waits for running events; returns the requests still queued or waiting for a retry, which will not run. */
  async stop(): Promise<InvocationRequest[]> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.inFlight]);
    const left = [...this.queues.values(), [...this.waiting]].flat().map((e) => e.request);
    this.queues.clear();
    return left;
  }
}
