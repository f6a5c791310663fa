// The event Lambda's SQS poller hands a function, and how it reads a partial batch response
// (FunctionResponseTypes: ReportBatchItemFailures), following the rules in the Lambda guide.
import type { StoredMessage } from './message.js';
import { systemAttributes } from './wire.js';

/** One record of an SQS event. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** Builds the record of a message just received (its receipt handle and receive count are current). */
export function toEventRecord(m: StoredMessage, queueArn: string, region: string): SqsEventRecord {
  const messageAttributes: SqsEventRecord['messageAttributes'] = {};
  for (const [name, v] of Object.entries(m.attributes ?? {})) {
    messageAttributes[name] = v.DataType.startsWith('Binary')
      ? { binaryValue: v.BinaryValue!, stringListValues: [], binaryListValues: [], dataType: v.DataType }
      : { stringValue: v.StringValue!, stringListValues: [], binaryListValues: [], dataType: v.DataType };
  }
  const record: SqsEventRecord = {
    messageId: m.id,
    receiptHandle: m.receiptHandle ?? '',
    body: m.body,
    attributes: systemAttributes(m),
    messageAttributes,
    md5OfBody: m.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (m.md5OfAttributes) record.md5OfMessageAttributes = m.md5OfAttributes;
  return record;
}

/** The outcome of a batch for the poller: delete everything, or delete all but the failed ids. */
export type BatchVerdict = { kind: 'all-succeeded' } | { kind: 'all-failed'; reason: string } | { kind: 'partial'; failedIds: Set<string> };

/**
 * Reads `{batchItemFailures:[{itemIdentifier}]}`. A null, empty or missing list is complete
 * success; an empty, null or unknown itemIdentifier (or a malformed entry) fails the whole batch.
 */
export function readBatchItemFailures(payloadJson: string, batchIds: ReadonlySet<string>): BatchVerdict {
  let response: unknown;
  try {
    response = payloadJson.trim() === '' ? null : JSON.parse(payloadJson);
  } catch {
    return { kind: 'all-failed', reason: 'the response is not valid JSON' };
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return { kind: 'all-succeeded' };
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'all-succeeded' };
  if (!Array.isArray(list)) return { kind: 'all-failed', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'all-succeeded' };
  const failedIds = new Set<string>();
  for (const item of list) {
    const id = item !== null && typeof item === 'object' ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'all-failed', reason: 'an itemIdentifier is missing, null or empty' };
    if (!batchIds.has(id)) return { kind: 'all-failed', reason: `itemIdentifier ${id} is not a message of this batch` };
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}
