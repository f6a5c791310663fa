// Asynchronous invocations that exhausted their retries, delivered to an SQS queue named as the
// function's on-failure target. The message body is Lambda's invocation record (the shape an
// `onFailure` destination receives).
import type { InvocationService } from '../types/service.js';
import type { AsyncFailureRecord, FailureDestination } from '../types/service.js';
import { functionArn } from '../types/arn.js';
import type { QueueStore } from './store.js';

/** Lambda's invocation record for a failed asynchronous invocation. */
export function invocationRecord(record: AsyncFailureRecord, functionArn: string): Record<string, unknown> {
  let requestPayload: unknown = record.payloadJson;
  try {
    requestPayload = JSON.parse(record.payloadJson);
  } catch {
    // Keep the payload as text: the record must carry it whatever it was.
  }
  return {
    version: '1.0',
    timestamp: new Date(record.time).toISOString(),
    requestContext: {
      requestId: record.requestId,
      functionArn: `${functionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: record.attempts,
    },
    requestPayload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: record.errorType, errorMessage: record.errorMessage },
  };
}

/** A FailureDestination that sends records to queues of the store; false when the ARN names no queue. */
export function queueFailureDestination(store: QueueStore, invocations: InvocationService, region: () => string): FailureDestination {
  return (targetArn, record) => {
    const queue = store.findByArn(targetArn);
    if (!queue) return false;
    const fullName = invocations.findFunction(record.function)?.fullName ?? record.function;
    const arn = functionArn(region(), fullName);
    try {
      queue.send({ body: JSON.stringify(invocationRecord(record, arn)) });
      return true;
    } catch {
      // Too large for the queue: the runtime logs the record as undelivered.
      return false;
    }
  };
}
