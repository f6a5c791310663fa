// One SQS event source mapping: workers that receive batches from a queue and invoke a function
// with them, as Lambda's pollers do. Each worker runs one batch at a time, so the number of
// workers is the mapping's concurrency. As in Lambda it starts at five concurrent batches and,
// while a backlog waits, adds five a second (300 a minute) up to the function's reserved
// concurrency (or DEFAULT_MAX_CONCURRENCY without a reservation); it shrinks when the queue idles
// and halves when the function throttles.
import type { SqsEventConfig } from './config.js';
import type { InvocationService, ConcurrencyControls } from '../types/service.js';
import { readBatchItemFailures, toEventRecord } from './lambda-event.js';
import type { StoredMessage } from './message.js';
import type { Queue } from './queue.js';
import type { QueueStore } from './store.js';

/** Concurrent batches per mapping when the function has no reserved concurrency. */
export const DEFAULT_MAX_CONCURRENCY = 10;
/** Lambda starts an SQS mapping with five concurrent batches... */
const INITIAL_CONCURRENCY = 5;
/** ...and adds up to 300 a minute while messages wait: 5 a second. */
const RAMP_STEP = 5;
const RAMP_INTERVAL_MS = 1_000;
/** A worker that waits this long without a message retires (down to one). */
const IDLE_RETIRE_MS = 2_000;
/** Lambda's invocation payload limit, minus room for the event's envelope. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024 - 256 * 1024;
const RECORD_OVERHEAD_BYTES = 1024;
const THROTTLE_BACKOFF_MIN_MS = 50;
const THROTTLE_BACKOFF_MAX_MS = 2_000;
const SUPERVISE_INTERVAL_MS = 500;

/** What a poller needs from the emulator. */
export interface PollerDeps {
  store: QueueStore;
  invocations: InvocationService;
  concurrency: ConcurrencyControls;
  region(): string;
  warn(line: string): void;
}

/** Counts shown in the state document for one mapping. */
export interface MappingStats {
  batches: number;
  messagesDeleted: number;
  failedBatches: number;
  throttledAttempts: number;
}

interface HeldMessage {
  message: StoredMessage;
  receiptHandle: string;
}

/** A running event source mapping from one queue to one function. */
export class SqsPoller {
  readonly functionName: string;
  readonly event: SqsEventConfig;
  readonly stats: MappingStats = { batches: 0, messagesDeleted: 0, failedBatches: 0, throttledAttempts: 0 };
  private readonly deps: PollerDeps;
  private readonly aborter = new AbortController();
  private readonly workers = new Set<Promise<void>>();
  private busy = 0;
  private supervisor: NodeJS.Timeout | null = null;
  private lastThrottleAt = 0;
  /** Concurrency the ramp allows now (Lambda's gradual scale-up), below the hard limit. */
  private allowed = INITIAL_CONCURRENCY;
  private lastRampAt = 0;
  private warnedMissingQueue = false;

  constructor(functionName: string, event: SqsEventConfig, deps: PollerDeps) {
    this.functionName = functionName;
    this.event = event;
    this.deps = deps;
  }

  /** Starts polling. */
  start(): void {
    this.ensureWorkers();
    this.supervisor = setInterval(() => this.ensureWorkers(), SUPERVISE_INTERVAL_MS);
    this.supervisor.unref();
  }

  /** Stops receiving; batches being processed finish (and are deleted or released) first. */
  async stop(): Promise<void> {
    if (this.supervisor) clearInterval(this.supervisor);
    this.supervisor = null;
    this.aborter.abort();
    await Promise.all([...this.workers]);
  }

  /** Workers currently polling or processing. */
  get workerCount(): number {
    return this.workers.size;
  }

  /** Batches being processed right now. */
  get busyCount(): number {
    return this.busy;
  }

  /** The most batches this mapping may run at once: the reservation, or the default cap. */
  concurrencyLimit(): number {
    let reserved: number | null;
    try {
      reserved = this.deps.concurrency.getReservedConcurrency(this.functionName);
    } catch {
      return 0; // the function is gone (reload in progress)
    }
    return reserved === null ? DEFAULT_MAX_CONCURRENCY : Math.min(reserved, DEFAULT_MAX_CONCURRENCY * 10);
  }

  private get stopped(): boolean {
    return this.aborter.signal.aborted;
  }

  /** Keeps at least one worker when allowed, and adds one while a backlog waits and a throttle is not recent. */
  private ensureWorkers(): void {
    if (this.stopped) return;
    const limit = this.concurrencyLimit();
    if (this.workers.size === 0 && limit > 0) this.spawn();
    const queue = this.deps.store.findByArn(this.event.arn);
    if (queue && queue.messageCounts.visible > 0) this.scaleUp(limit);
  }

  private scaleUp(limit = this.concurrencyLimit()): void {
    if (this.stopped || this.workers.size >= limit) return;
    const now = Date.now();
    if (now - this.lastThrottleAt < 1_000) return;
    if (this.workers.size >= this.allowed) {
      if (now - this.lastRampAt < RAMP_INTERVAL_MS) return;
      this.allowed += RAMP_STEP;
      this.lastRampAt = now;
    }
    this.spawn();
  }

  private spawn(): void {
    const w: Promise<void> = this.work()
      .catch((err) => this.deps.warn(`sqs poller for ${this.functionName}: ${(err as Error).message}`))
      .finally(() => this.workers.delete(w));
    this.workers.add(w);
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      if (this.workers.size > this.concurrencyLimit()) return; // the reservation went down
      const queue = this.deps.store.findByArn(this.event.arn);
      if (!queue) {
        if (!this.warnedMissingQueue) {
          this.warnedMissingQueue = true;
          this.deps.warn(`sqs event of ${this.functionName}: queue ${this.event.arn} does not exist (yet); polling starts when it is created`);
        }
        await this.sleep(1_000);
        continue;
      }
      this.warnedMissingQueue = false;
      const batch = await this.collect(queue);
      if (batch.length === 0) {
        if (this.workers.size > 1) {
          // Idle: retire down to one worker; a later burst ramps up again.
          this.allowed = Math.max(INITIAL_CONCURRENCY, this.workers.size - 1);
          return;
        }
        continue;
      }
      if (queue.messageCounts.visible > 0) this.scaleUp();
      this.busy++;
      try {
        const throttled = await this.process(queue, batch);
        if (throttled && this.workers.size > 1) return; // back off: one worker fewer
      } finally {
        this.busy--;
      }
    }
  }

  /** Receives up to batchSize messages, waiting up to maximumBatchingWindow to fill the batch. */
  private async collect(queue: Queue): Promise<HeldMessage[]> {
    const visibility = queue.settings.visibilityTimeout;
    const take = (n: number, budget: number): HeldMessage[] =>
      queue.receive(n, visibility, Date.now(), budget).map((message) => ({ message, receiptHandle: message.receiptHandle! }));
    const signal = this.aborter.signal;
    const idleDeadline = Date.now() + IDLE_RETIRE_MS;
    let batch: HeldMessage[] = [];
    while (batch.length === 0) {
      if (this.stopped) return [];
      batch = take(this.event.batchSize, MAX_BATCH_BYTES);
      if (batch.length > 0) break;
      const left = idleDeadline - Date.now();
      if (left <= 0 || queue.isClosed) return [];
      await queue.waitForVisible(left, signal);
    }
    const windowEnd = Date.now() + this.event.maximumBatchingWindow * 1000;
    let bytes = batch.reduce((n, h) => n + h.message.size + RECORD_OVERHEAD_BYTES, 0);
    while (batch.length < this.event.batchSize && !this.stopped && bytes < MAX_BATCH_BYTES) {
      const left = windowEnd - Date.now();
      if (left <= 0 || queue.isClosed) break;
      await queue.waitForVisible(left, signal);
      const more = take(this.event.batchSize - batch.length, MAX_BATCH_BYTES - bytes);
      if (more.length === 0) continue;
      for (const h of more) bytes += h.message.size + RECORD_OVERHEAD_BYTES;
      batch = batch.concat(more);
    }
    return batch;
  }

  /** Invokes the function with a batch and settles it; returns true if the batch was throttled. */
  private async process(queue: Queue, batch: HeldMessage[]): Promise<boolean> {
    const region = this.deps.region();
    const records = batch.map((h) => toEventRecord(h.message, queue.arn, region));
    const payloadJson = JSON.stringify({ Records: records });
    this.stats.batches++;
    let backoff = THROTTLE_BACKOFF_MIN_MS;
    let wasThrottled = false;
    for (;;) {
      let result;
      try {
        result = await this.deps.invocations.invoke({ functionName: this.functionName, payloadJson, source: 'sqs' });
      } catch (err) {
        // The function vanished (reload): the batch stays in flight and reappears after its timeout.
        this.stats.failedBatches++;
        this.deps.warn(`sqs poller for ${this.functionName}: ${(err as Error).message}`);
        return false;
      }
      if (result.status === 'throttled') {
        // Lambda retries a throttled batch with backoff while its visibility timeout lasts; after
        // that the messages return to the queue, their receive count already raised.
        this.stats.throttledAttempts++;
        this.lastThrottleAt = Date.now();
        this.allowed = Math.max(1, Math.floor(this.workers.size / 2));
        wasThrottled = true;
        if (!this.stillHeld(batch, Date.now() + backoff)) return true;
        await this.sleep(backoff);
        // Shutting down: the batch stays in flight rather than holding up the exit.
        if (this.stopped) return true;
        backoff = Math.min(backoff * 2, THROTTLE_BACKOFF_MAX_MS);
        continue;
      }
      if (result.outcome !== 'success') {
        // A failed batch stays in flight until its visibility timeout, then reappears.
        this.stats.failedBatches++;
        return wasThrottled;
      }
      let toDelete = batch;
      if (this.event.reportBatchItemFailures) {
        const verdict = readBatchItemFailures(result.payloadJson, new Set(batch.map((h) => h.message.id)));
        if (verdict.kind === 'all-failed') {
          this.stats.failedBatches++;
          this.deps.warn(`sqs event of ${this.functionName}: batch treated as failed: ${verdict.reason}`);
          return wasThrottled;
        }
        if (verdict.kind === 'partial') toDelete = batch.filter((h) => !verdict.failedIds.has(h.message.id));
      }
      for (const h of toDelete) {
        if (queue.deleteMessage(h.receiptHandle) === 'deleted') this.stats.messagesDeleted++;
      }
      return wasThrottled;
    }
  }

  /** True while every message of the batch is still in flight under our receipt and will be at `until`. */
  private stillHeld(batch: HeldMessage[], until: number): boolean {
    return batch.every((h) => h.message.state === 'inflight' && h.message.receiptHandle === h.receiptHandle && h.message.visibleAt > until);
  }

  /** Sleeps; a stop cuts the sleep short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.aborter.signal;
      if (signal.aborted) return resolve();
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
