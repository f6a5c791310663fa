// Queue settings: their defaults and ranges (as SQS documents them), and their string form in
// CreateQueue / SetQueueAttributes / GetQueueAttributes.
import type { QueueConfig } from '../types/config.js';
import { sqsErrors } from './errors.js';

/** A queue's redrive policy: where messages go after `maxReceiveCount` receives. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The settings of one queue. Times are in seconds, sizes in bytes. */
export interface QueueSettings {
  visibilityTimeout: number;
  messageRetentionPeriod: number;
  delaySeconds: number;
  maximumMessageSize: number;
  receiveMessageWaitTimeSeconds: number;
  redrivePolicy: RedrivePolicy | null;
  fifoQueue: boolean;
  /** Attributes accepted and echoed back but not emulated (Policy, KmsMasterKeyId, ...). */
  passthrough: Record<string, string>;
}

/** SQS defaults (CreateQueue API reference). */
export const DEFAULT_QUEUE_SETTINGS: Readonly<QueueSettings> = Object.freeze({
  visibilityTimeout: 30,
  messageRetentionPeriod: 345_600, // 4 days
  delaySeconds: 0,
  maximumMessageSize: 1_048_576, // 1 MiB since August 2025 (was 256 KiB)
  receiveMessageWaitTimeSeconds: 0,
  redrivePolicy: null,
  fifoQueue: false,
  passthrough: {},
});

const RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43_200],
  MessageRetentionPeriod: [60, 1_209_600],
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1_024, 1_048_576],
  ReceiveMessageWaitTimeSeconds: [0, 20],
};

// Accepted and stored so that real CreateQueue calls and templates work; their effect is not emulated.
const PASSTHROUGH = new Set([
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedriveAllowPolicy',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/** Every attribute name GetQueueAttributes knows. */
export const READABLE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'FifoQueue',
  ...PASSTHROUGH,
] as const;

/** Settings of a queue declared in serverless.yml. */
export function settingsFromConfig(queue: QueueConfig): QueueSettings {
  return {
    ...DEFAULT_QUEUE_SETTINGS,
    visibilityTimeout: queue.visibilityTimeout,
    messageRetentionPeriod: queue.messageRetentionPeriod,
    delaySeconds: queue.delaySeconds,
    redrivePolicy: queue.redrivePolicy ? { ...queue.redrivePolicy } : null,
    fifoQueue: queue.name.endsWith('.fifo'),
    passthrough: {},
  };
}

/** Applies CreateQueue / SetQueueAttributes string attributes over `base`; throws the SqsError SQS would. */
export function applyAttributes(base: QueueSettings, attributes: Record<string, unknown> | undefined): QueueSettings {
  const out: QueueSettings = { ...base, passthrough: { ...base.passthrough } };
  if (!attributes) return out;
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    switch (name) {
      case 'VisibilityTimeout':
        out.visibilityTimeout = integerIn(name, value);
        break;
      case 'MessageRetentionPeriod':
        out.messageRetentionPeriod = integerIn(name, value);
        break;
      case 'DelaySeconds':
        out.delaySeconds = integerIn(name, value);
        break;
      case 'MaximumMessageSize':
        out.maximumMessageSize = integerIn(name, value);
        break;
      case 'ReceiveMessageWaitTimeSeconds':
        out.receiveMessageWaitTimeSeconds = integerIn(name, value);
        break;
      case 'RedrivePolicy':
        out.redrivePolicy = value === '' ? null : parseRedrivePolicy(value);
        break;
      case 'FifoQueue':
        out.fifoQueue = value === 'true';
        break;
      default:
        if (!PASSTHROUGH.has(name)) throw sqsErrors.invalidAttributeName(name);
        out.passthrough[name] = value;
    }
  }
  return out;
}

/** The first attribute whose value differs, or null when `a` and `b` are the same queue settings. */
export function firstDifference(a: QueueSettings, b: QueueSettings): string | null {
  const wa = settingsToWire(a);
  const wb = settingsToWire(b);
  for (const key of new Set([...Object.keys(wa), ...Object.keys(wb)])) {
    if (wa[key] !== wb[key]) return key;
  }
  return null;
}

/** Settings as GetQueueAttributes strings. */
export function settingsToWire(s: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    VisibilityTimeout: String(s.visibilityTimeout),
    MaximumMessageSize: String(s.maximumMessageSize),
    MessageRetentionPeriod: String(s.messageRetentionPeriod),
    DelaySeconds: String(s.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(s.receiveMessageWaitTimeSeconds),
    ...s.passthrough,
  };
  if (s.redrivePolicy) out['RedrivePolicy'] = JSON.stringify(s.redrivePolicy);
  if (s.fifoQueue) out['FifoQueue'] = 'true';
  return out;
}

function integerIn(name: string, value: string): number {
  const [lo, hi] = RANGES[name]!;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < lo || n > hi) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter ${name}. Reason: must be an integer between ${lo} and ${hi}.`);
  }
  return n;
}

function parseRedrivePolicy(value: string): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.`);
  }
  const p = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const max = Number(p.maxReceiveCount);
  if (typeof p.deadLetterTargetArn !== 'string' || !/^arn:aws[\w-]*:sqs:[^:]*:\d{12}:[\w.-]+$/.test(p.deadLetterTargetArn)) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter RedrivePolicy. Reason: Invalid value for deadLetterTargetArn.`);
  }
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw sqsErrors.invalidAttributeValue(`Invalid value for the parameter RedrivePolicy. Reason: Invalid value for maxReceiveCount: ${String(p.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: max };
}
