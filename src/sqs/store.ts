// Every queue of the emulated account, by name, URL and ARN. Queues come from serverless.yml
// (kept in step with it on reload) or from CreateQueue.
import { LOCAL_ACCOUNT_ID, queueArn } from '../types/arn.js';
import type { QueueConfig } from '../types/config.js';
import { firstDifference, settingsFromConfig, type QueueSettings } from './attributes.js';
import { sqsErrors } from './errors.js';
import { Queue } from './queue.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const SWEEP_INTERVAL_MS = 5_000;

/** Options of a queue store. */
export interface QueueStoreOptions {
  region: () => string;
  /** `http://HOST:PORT` of the server, for queue URLs. */
  baseUrl: () => string;
  warn: (message: string) => void;
}

/** The in-memory queues of the emulated account. */
export class QueueStore {
  private readonly queues = new Map<string, Queue>();
  private readonly options: QueueStoreOptions;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(options: QueueStoreOptions) {
    this.options = options;
  }

  /** `arn:aws:sqs:REGION:000000000000:NAME`. */
  arnFor(name: string): string {
    return queueArn(this.options.region(), name);
  }

  /** `http://HOST:PORT/000000000000/NAME`. */
  urlFor(name: string): string {
    return `${this.options.baseUrl()}/${LOCAL_ACCOUNT_ID}/${name}`;
  }

  /** Every queue, in creation order. */
  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** The queue with this name, if any. */
  find(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /** The queue an ARN names (any region/account: there is one emulated account). */
  findByArn(arn: string): Queue | undefined {
    const m = /^arn:aws[\w-]*:sqs:[^:]*:[^:]*:(.+)$/.exec(arn);
    return m ? this.queues.get(m[1]!) : undefined;
  }

  /** The queue a QueueUrl names; throws QueueDoesNotExist. */
  byUrl(queueUrl: unknown): Queue {
    if (typeof queueUrl !== 'string' || queueUrl === '') throw sqsErrors.missingParameter('QueueUrl');
    let name = queueUrl;
    if (/^https?:\/\//i.test(queueUrl)) {
      let path: string;
      try {
        path = new URL(queueUrl).pathname;
      } catch {
        throw sqsErrors.queueDoesNotExist();
      }
      const parts = path.split('/').filter((p) => p !== '');
      if (parts.length !== 2) throw sqsErrors.queueDoesNotExist();
      try {
        name = decodeURIComponent(parts[1]!);
      } catch {
        // Not even valid percent-encoding: no queue can have that URL.
        throw sqsErrors.queueDoesNotExist();
      }
    }
    const queue = this.queues.get(name);
    if (!queue) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  /**
   * CreateQueue: returns the existing queue when the settings match, throws QueueNameExists when
   * they differ (as SQS does), creates it otherwise.
   */
  create(name: unknown, settings: QueueSettings, fromConfig = false): Queue {
    if (typeof name !== 'string' || name === '') throw sqsErrors.missingParameter('QueueName');
    const fifoName = name.endsWith('.fifo');
    if (!(fifoName ? FIFO_QUEUE_NAME : QUEUE_NAME).test(name)) {
      throw sqsErrors.invalidParameterValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (a FIFO queue name ends with .fifo).',
      );
    }
    if (fifoName !== settings.fifoQueue) {
      throw sqsErrors.invalidParameterValue(
        fifoName ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.' : 'A FIFO queue name must end with .fifo; set the FifoQueue attribute only on such queues.',
      );
    }
    const existing = this.queues.get(name);
    if (existing) {
      const diff = firstDifference(existing.settings, settings);
      if (diff !== null && !fromConfig) throw sqsErrors.queueNameExists(name, diff);
      return existing;
    }
    const queue = new Queue(name, this.arnFor(name), settings, { resolveQueueArn: (arn) => this.findByArn(arn), warn: this.options.warn }, fromConfig);
    this.queues.set(name, queue);
    return queue;
  }

  /** DeleteQueue: drops the queue and its messages. */
  delete(queue: Queue): void {
    queue.close();
    this.queues.delete(queue.name);
  }

  /**
   * Brings config-declared queues in line with serverless.yml: new ones are created, changed ones
   * take the new settings; a queue removed from the file is deleted when empty and otherwise kept
   * (with a warning) so that no message is lost.
   */
  syncConfig(configured: QueueConfig[]): void {
    const wanted = new Set<string>();
    for (const qc of configured) {
      wanted.add(qc.name);
      const settings = settingsFromConfig(qc);
      const existing = this.queues.get(qc.name);
      if (!existing) {
        this.create(qc.name, settings, true);
      } else {
        existing.fromConfig = true;
        if (firstDifference(existing.settings, settings) !== null) {
          existing.settings = { ...settings, passthrough: existing.settings.passthrough };
          existing.lastModifiedTimestamp = Date.now();
        }
      }
    }
    for (const queue of this.all()) {
      if (!queue.fromConfig || wanted.has(queue.name)) continue;
      const c = queue.messageCounts;
      if (c.visible + c.inFlight + c.delayed === 0) {
        this.delete(queue);
      } else {
        queue.fromConfig = false;
        this.options.warn(`queue ${queue.name} was removed from serverless.yml but still holds messages; it is kept until deleted through the API`);
      }
    }
  }

  /** Starts the periodic retention sweep. */
  start(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => {
      const now = Date.now();
      for (const q of this.queues.values()) q.sweep(now);
    }, SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  /** Stops timers and releases long polls. */
  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const q of this.queues.values()) q.close();
  }
}
