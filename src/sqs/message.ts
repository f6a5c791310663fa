// A message as the queue stores it, and the checks SQS applies to what a producer sends.
import { sqsErrors } from './errors.js';

/** A message attribute as the SQS API carries it (BinaryValue is base64 on the wire). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** Where a message is in its life; `gone` means deleted, moved to a DLQ, purged or expired. */
export type MessageState = 'delayed' | 'visible' | 'inflight' | 'gone';

/** One stored message and its place in the state machine. */
export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Record<string, MessageAttributeValue> | undefined;
  readonly md5OfAttributes: string | undefined;
  /** System attributes sent with the message (AWSTraceHeader). */
  readonly systemAttributes: Record<string, MessageAttributeValue> | undefined;
  readonly md5OfSystemAttributes: string | undefined;
  /** ms since epoch; kept when the message moves to a dead-letter queue, so retention counts from the first send. */
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly messageGroupId: string | undefined;
  /** Bytes counted against MaximumMessageSize (body + attributes). */
  readonly size: number;
  /** ARN of the queue this message was redriven from, when it sits in a dead-letter queue. */
  deadLetterQueueSourceArn: string | undefined;
  receiveCount: number;
  firstReceiveTimestamp: number | null;
  /** ms since epoch of the receive that issued the current receipt handle (the 12-hour visibility limit counts from it). */
  lastReceiveTimestamp: number | null;
  state: MessageState;
  /** Bumped on every state change: timer and list entries carrying an older value are stale. */
  generation: number;
  /** When a delayed or in-flight message becomes visible (ms since epoch). */
  visibleAt: number;
  /** The receipt handle of the latest receive, while in flight. */
  receiptHandle: string | null;
}

/** What a producer sends: SendMessage or one SendMessageBatch entry. */
export interface MessageInput {
  body: string;
  delaySeconds?: number;
  attributes?: Record<string, MessageAttributeValue>;
  systemAttributes?: Record<string, MessageAttributeValue>;
  messageGroupId?: string;
}

// SQS accepts #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF; lone surrogates fail.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..{1,250})?$/;

/** Validates a message and returns its size in bytes; throws the SqsError SQS would return. */
export function validateMessage(input: MessageInput, maximumMessageSize: number): number {
  if (typeof input.body !== 'string' || input.body.length === 0) {
    throw sqsErrors.missingParameter('MessageBody');
  }
  if (INVALID_CHAR.test(input.body)) {
    throw sqsErrors.invalidMessageContents('Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  if (input.delaySeconds !== undefined && (!Number.isInteger(input.delaySeconds) || input.delaySeconds < 0 || input.delaySeconds > 900)) {
    throw sqsErrors.invalidParameterValue(`Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`);
  }
  let size = Buffer.byteLength(input.body, 'utf8');
  size += validateAttributes(input.attributes, 'Message (user)');
  if (input.systemAttributes) {
    for (const name of Object.keys(input.systemAttributes)) {
      if (name !== 'AWSTraceHeader') throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    validateAttributes(input.systemAttributes, 'Message system');
  }
  if (size > maximumMessageSize) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maximumMessageSize} bytes.`,
    );
  }
  return size;
}

function validateAttributes(attributes: Record<string, MessageAttributeValue> | undefined, what: string): number {
  if (attributes === undefined || attributes === null) return 0;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw sqsErrors.invalidParameterValue(`${what} attributes must be a map of attribute names to values.`);
  }
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw sqsErrors.invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  }
  let size = 0;
  for (const name of names) {
    const value = attributes[name];
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw sqsErrors.invalidParameterValue(`${what} attribute name '${name}' is invalid.`);
    }
    if (!value || typeof value.DataType !== 'string' || !DATA_TYPE.test(value.DataType)) {
      throw sqsErrors.invalidParameterValue(`The type of ${what.toLowerCase()} attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    // Wrongly typed JSON values are the sender's fault, not a reason to fail the request as a whole.
    for (const field of ['StringValue', 'BinaryValue'] as const) {
      if (value[field] !== undefined && value[field] !== null && typeof value[field] !== 'string') {
        throw sqsErrors.invalidParameterValue(`${what} attribute '${name}' has a ${field} that is not a string (got ${describeJsonType(value[field])}).`);
      }
    }
    const isBinary = value.DataType.startsWith('Binary');
    if (isBinary && value.BinaryValue && !/^[A-Za-z0-9+/]*={0,2}$/.test(value.BinaryValue)) {
      throw sqsErrors.invalidParameterValue(`${what} attribute '${name}' has a BinaryValue that is not base64.`);
    }
    if (isBinary ? !value.BinaryValue : value.StringValue === undefined || value.StringValue === '') {
      throw sqsErrors.invalidParameterValue(
        `${what} attribute '${name}' must contain a non-empty value of type '${isBinary ? 'Binary' : value.DataType.split('.')[0]}'.`,
      );
    }
    if (value.DataType.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.StringValue!)) {
      throw sqsErrors.invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size += isBinary ? Buffer.from(value.BinaryValue!, 'base64').length : Buffer.byteLength(value.StringValue!, 'utf8');
  }
  return size;
}

/** Keeps only the fields SQS defines on an attribute value (the SDK sends exactly these). */
export function normalizeAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, v] of Object.entries(attributes)) {
    out[name] = v.DataType.startsWith('Binary')
      ? { DataType: v.DataType, BinaryValue: v.BinaryValue! }
      : { DataType: v.DataType, StringValue: v.StringValue! };
  }
  return out;
}

function describeJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}
