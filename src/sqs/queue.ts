// One standard queue and its message state machine:
//   send -> delayed -> visible -> in flight -> deleted
//                         ^-----------'   '--> dead-letter queue (after maxReceiveCount receives)
// plus purge and retention expiry. Every message is in exactly one state at any moment, and the
// counters below always satisfy: sent + redrivenIn = visible + inFlight + delayed + deleted +
// movedToDeadLetter + expired + purged. Nothing is dropped silently.
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../types/arn.js';
import type { QueueSettings } from './attributes.js';
import { sqsErrors } from './errors.js';
import { MinHeap } from './heap.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import { normalizeAttributes, validateMessage, type MessageInput, type StoredMessage } from './message.js';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle.js';

/** Longest a received message may stay invisible in total, ms (12 hours). */
const MAX_VISIBILITY_MS = 43_200_000;

/** Running totals of what happened to this queue's messages. */
export interface QueueCounters {
  sent: number;
  /** Messages moved here from a source queue's redrive policy. */
  redrivenIn: number;
  receives: number;
  deleted: number;
  movedToDeadLetter: number;
  expired: number;
  purged: number;
}

/** Current message counts (GetQueueAttributes' Approximate* figures, exact here). */
export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** What a queue needs from its surroundings. */
export interface QueueEnvironment {
  /** Finds the dead-letter queue named by a redrive policy. */
  resolveQueueArn(arn: string): Queue | undefined;
  /** Reports a problem once (e.g. a redrive target that does not exist). */
  warn(message: string): void;
}

interface TimedEntry {
  at: number;
  message: StoredMessage;
  generation: number;
}

interface ListEntry {
  message: StoredMessage;
  generation: number;
}

/** A standard SQS queue held in memory. */
export class Queue {
  readonly name: string;
  readonly arn: string;
  readonly createdTimestamp: number;
  lastModifiedTimestamp: number;
  settings: QueueSettings;
  /** True for queues declared in serverless.yml (kept in step with it on reload). */
  fromConfig: boolean;
  readonly counters: QueueCounters = { sent: 0, redrivenIn: 0, receives: 0, deleted: 0, movedToDeadLetter: 0, expired: 0, purged: 0 };

  private readonly env: QueueEnvironment;
  private readonly messages = new Map<string, StoredMessage>();
  private visibleList: ListEntry[] = [];
  private visibleHead = 0;
  private readonly timed = new MinHeap<TimedEntry>();
  private counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
  private waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private closed = false;
  private warnedMissingDlq = false;

  constructor(name: string, arn: string, settings: QueueSettings, env: QueueEnvironment, fromConfig: boolean, now = Date.now()) {
    this.name = name;
    this.arn = arn;
    this.settings = settings;
    this.env = env;
    this.fromConfig = fromConfig;
    this.createdTimestamp = now;
    this.lastModifiedTimestamp = now;
  }

  /** Exact message counts by state. */
  get messageCounts(): Readonly<QueueCounts> {
    return this.counts;
  }

  /** True once the queue was deleted or the server is stopping: waits return at once. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Validates and enqueues one message; throws the SqsError SQS would return. */
  send(input: MessageInput, now = Date.now()): StoredMessage {
    const size = validateMessage(input, this.settings.maximumMessageSize);
    const attributes = normalizeAttributes(input.attributes);
    const systemAttributes = normalizeAttributes(input.systemAttributes);
    const delay = input.delaySeconds ?? this.settings.delaySeconds;
    const message: StoredMessage = {
      id: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      attributes,
      md5OfAttributes: md5OfAttributes(attributes),
      systemAttributes,
      md5OfSystemAttributes: md5OfAttributes(systemAttributes),
      sentTimestamp: now,
      senderId: LOCAL_ACCOUNT_ID,
      messageGroupId: input.messageGroupId,
      size,
      deadLetterQueueSourceArn: undefined,
      receiveCount: 0,
      firstReceiveTimestamp: null,
      lastReceiveTimestamp: null,
      state: 'delayed',
      generation: 0,
      visibleAt: now,
      receiptHandle: null,
    };
    this.messages.set(message.id, message);
    this.counters.sent++;
    if (delay > 0) {
      this.counts.delayed++;
      message.visibleAt = now + delay * 1000;
      this.schedule(message);
    } else {
      this.makeVisible(message, false);
      this.notify();
    }
    return message;
  }

  /** Takes a message redriven from a source queue, keeping its id, body, timestamps and receive count. */
  acceptRedriven(source: StoredMessage, sourceArn: string): void {
    const message: StoredMessage = {
      ...source,
      deadLetterQueueSourceArn: sourceArn,
      state: 'delayed',
      generation: 0,
      receiptHandle: null,
    };
    this.messages.set(message.id, message);
    this.counters.redrivenIn++;
    this.makeVisible(message, false);
    this.notify();
  }

  /**
   * Receives up to `max` visible messages (and at most `maxBytes` of them, Lambda's payload cap)
   * and puts them in flight for `visibilityTimeout` seconds; each receive raises the message's
   * receive count and issues a new receipt handle.
   */
  receive(max: number, visibilityTimeout: number, now = Date.now(), maxBytes = Infinity): StoredMessage[] {
    this.advance(now);
    const out: StoredMessage[] = [];
    const retentionMs = this.settings.messageRetentionPeriod * 1000;
    let bytes = 0;
    while (out.length < max && this.visibleHead < this.visibleList.length) {
      const entry = this.visibleList[this.visibleHead]!;
      const m = entry.message;
      const live = m.state === 'visible' && m.generation === entry.generation;
      // Stop before a message that would push the batch past maxBytes (one message always fits).
      if (live && out.length > 0 && bytes + m.size > maxBytes) break;
      this.visibleList[this.visibleHead++] = undefined as unknown as ListEntry;
      if (!live) continue;
      if (m.sentTimestamp + retentionMs <= now) {
        this.remove(m, 'expired');
        continue;
      }
      bytes += m.size;
      this.counts.visible--;
      this.counts.inFlight++;
      m.state = 'inflight';
      m.generation++;
      m.receiveCount++;
      m.firstReceiveTimestamp ??= now;
      m.lastReceiveTimestamp = now;
      m.visibleAt = now + visibilityTimeout * 1000;
      m.receiptHandle = encodeReceiptHandle(this.name, m.id, m.receiveCount);
      this.counters.receives++;
      this.schedule(m);
      out.push(m);
    }
    this.compactVisibleList();
    return out;
  }

  /**
   * Deletes the message a receipt handle names. A handle from an older receive of a message that
   * is in flight again under a newer one deletes nothing (SQS: "might not be deleted"); a handle
   * of a message already gone succeeds, as SQS does.
   */
  deleteMessage(receiptHandle: string): 'deleted' | 'stale' | 'already-gone' {
    const message = this.messageForHandle(receiptHandle);
    if (!message || message.state === 'gone') return 'already-gone';
    if (message.state === 'inflight' && message.receiptHandle !== receiptHandle) return 'stale';
    this.remove(message, 'deleted');
    return 'deleted';
  }

  /** Changes the visibility timeout of an in-flight message (at most 12 hours after its receive), counted from now; 0 makes it visible at once. */
  changeVisibility(receiptHandle: string, visibilityTimeout: number, now = Date.now()): void {
    if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > 43_200) {
      throw sqsErrors.invalidParameterValue(`Value ${visibilityTimeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
    }
    const message = this.messageForHandle(receiptHandle);
    if (!message || message.state !== 'inflight' || message.receiptHandle !== receiptHandle) {
      throw sqsErrors.messageNotInflight();
    }
    // SQS counts the 12 hours from the receive, so extensions cannot keep a message hidden for longer.
    const receivedAt = message.lastReceiveTimestamp ?? now;
    if (now + visibilityTimeout * 1000 - receivedAt > MAX_VISIBILITY_MS) {
      throw sqsErrors.invalidParameterValue(
        `Value ${visibilityTimeout} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]`,
      );
    }
    message.generation++;
    message.visibleAt = now + visibilityTimeout * 1000;
    if (visibilityTimeout === 0) {
      this.releaseInFlight(message);
      this.notify();
    } else {
      this.schedule(message);
    }
  }

  /** Deletes every message in the queue (in flight ones included, as SQS does). */
  purge(): number {
    let n = 0;
    for (const m of [...this.messages.values()]) {
      this.remove(m, 'purged');
      n++;
    }
    this.visibleList = [];
    this.visibleHead = 0;
    this.timed.clear();
    return n;
  }

  /** Expires messages past the retention period. */
  sweep(now = Date.now()): void {
    this.advance(now);
    const cutoff = now - this.settings.messageRetentionPeriod * 1000;
    for (const m of this.messages.values()) {
      if (m.sentTimestamp <= cutoff) this.remove(m, 'expired');
    }
  }

  /**
   * Resolves true as soon as a message is visible, or false after `timeoutMs` (or when `signal`
   * aborts or the queue closes). Several waiters may wake for one message: callers retry.
   */
  waitForVisible(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    this.advance(Date.now());
    if (this.counts.visible > 0) return Promise.resolve(true);
    if (timeoutMs <= 0 || this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const wake = () => done(!this.closed);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops timers and releases every waiter; the messages stay (the process is ending). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.notify();
  }

  /** The message a receipt handle names, or undefined when it is gone; throws on a malformed handle. */
  private messageForHandle(receiptHandle: string): StoredMessage | undefined {
    const decoded = decodeReceiptHandle(receiptHandle);
    if (!decoded || decoded.queue !== this.name) throw sqsErrors.receiptHandleIsInvalid(receiptHandle);
    return this.messages.get(decoded.messageId);
  }

  /** Moves due delayed and in-flight messages on; called before every read and by the timer. */
  private advance(now: number): void {
    let woke = false;
    for (let top = this.timed.peek(); top && top.at <= now; top = this.timed.peek()) {
      this.timed.pop();
      const m = top.message;
      if (m.generation !== top.generation) continue;
      if (m.state === 'delayed') {
        this.makeVisible(m, true);
        woke = true;
      } else if (m.state === 'inflight') {
        woke = this.releaseInFlight(m) || woke;
      }
    }
    if (woke) this.notify();
  }

  /** An in-flight message whose timeout ended: back to visible, or to the DLQ past maxReceiveCount. Returns true if it became visible here. */
  private releaseInFlight(m: StoredMessage): boolean {
    const policy = this.settings.redrivePolicy;
    if (policy && m.receiveCount >= policy.maxReceiveCount) {
      const dlq = this.env.resolveQueueArn(policy.deadLetterTargetArn);
      if (dlq && dlq !== this) {
        this.counts.inFlight--;
        this.detach(m);
        this.counters.movedToDeadLetter++;
        dlq.acceptRedriven(m, this.arn);
        return false;
      }
      if (!this.warnedMissingDlq) {
        this.warnedMissingDlq = true;
        this.env.warn(`queue ${this.name}: dead-letter target ${policy.deadLetterTargetArn} does not exist; messages past maxReceiveCount stay in ${this.name}`);
      }
    }
    this.counts.inFlight--;
    m.receiptHandle = null;
    this.makeVisible(m, false);
    return true;
  }

  /** Marks a message visible and appends it to the visible list; `wasDelayed` lowers the delayed count. */
  private makeVisible(m: StoredMessage, wasDelayed: boolean): void {
    if (wasDelayed) this.counts.delayed--;
    m.state = 'visible';
    m.generation++;
    this.counts.visible++;
    this.visibleList.push({ message: m, generation: m.generation });
  }

  private remove(m: StoredMessage, why: 'deleted' | 'expired' | 'purged'): void {
    if (m.state === 'visible') this.counts.visible--;
    else if (m.state === 'inflight') this.counts.inFlight--;
    else if (m.state === 'delayed') this.counts.delayed--;
    else return;
    this.detach(m);
    this.counters[why]++;
  }

  private detach(m: StoredMessage): void {
    m.state = 'gone';
    m.generation++;
    m.receiptHandle = null;
    this.messages.delete(m.id);
  }

  private schedule(m: StoredMessage): void {
    this.timed.push({ at: m.visibleAt, message: m, generation: m.generation });
    // Deleted in-flight messages leave stale entries behind; rebuild when they dominate.
    const live = this.counts.inFlight + this.counts.delayed;
    if (this.timed.size > 4096 && this.timed.size > 4 * live) this.rebuildTimed();
    this.armTimer();
  }

  private rebuildTimed(): void {
    this.timed.clear();
    for (const m of this.messages.values()) {
      if (m.state === 'inflight' || m.state === 'delayed') this.timed.push({ at: m.visibleAt, message: m, generation: m.generation });
    }
  }

  private armTimer(): void {
    if (this.closed) return;
    const top = this.timed.peek();
    if (!top) return;
    if (this.timer && this.timerAt <= top.at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = top.at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.advance(Date.now());
      this.armTimer();
    }, Math.max(0, top.at - Date.now()));
    this.timer.unref();
  }

  private compactVisibleList(): void {
    if (this.visibleHead > 1024 && this.visibleHead * 2 > this.visibleList.length) {
      this.visibleList = this.visibleList.slice(this.visibleHead);
      this.visibleHead = 0;
    } else if (this.visibleHead === this.visibleList.length && this.visibleHead > 0) {
      this.visibleList = [];
      this.visibleHead = 0;
    }
  }

  private notify(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }
}

