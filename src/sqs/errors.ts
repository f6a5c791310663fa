// SQS errors as the AWS SDK v3 reads them from an AWS JSON 1.0 response: the SDK is
// "query compatible", so it takes the error code from the `x-amzn-query-error: CODE;Sender`
// header first and matches it against each modeled error's awsQueryError code; `__type`
// (`com.amazonaws.sqs#Name`) is the fallback. Sending both makes `err.name` the modeled name
// (`QueueDoesNotExist`) and `err.Code` the query code (`AWS.SimpleQueueService.NonExistentQueue`).

/** An SQS API error: the modeled shape name, the query-protocol code and the HTTP status. */
export class SqsError extends Error {
  readonly type: string;
  readonly queryCode: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';

  constructor(type: string, message: string, options: { queryCode?: string; status?: number; fault?: 'Sender' | 'Receiver' } = {}) {
    super(message);
    this.name = `SqsError [${type}]`;
    this.type = type;
    this.queryCode = options.queryCode ?? type;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? 'Sender';
  }
}

/** Errors SQS returns, with the codes and statuses of the SDK's model. */
export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' }),
  queueNameExists: (name: string, attribute: string) =>
    new SqsError('QueueNameExists', `A queue already exists with the same name (${name}) and a different value for attribute ${attribute}`, {
      queryCode: 'QueueAlreadyExists',
    }),
  invalidParameterValue: (message: string) => new SqsError('InvalidParameterValue', message),
  missingParameter: (name: string) => new SqsError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidAttributeName: (name: string) => new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  invalidAttributeValue: (message: string) => new SqsError('InvalidAttributeValue', message),
  invalidMessageContents: (message: string) => new SqsError('InvalidMessageContents', message),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, { status: 404 }),
  messageNotInflight: () =>
    new SqsError('MessageNotInflight', 'The message referred to is not in flight.', { queryCode: 'AWS.SimpleQueueService.MessageNotInflight' }),
  emptyBatch: () =>
    new SqsError('EmptyBatchRequest', 'There should be at least one entry in the request.', { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest' }),
  tooManyEntries: (n: number) =>
    new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${n}.`, {
      queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    }),
  idsNotDistinct: (id: string) =>
    new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct' }),
  invalidBatchEntryId: (id: string) =>
    new SqsError(
      'InvalidBatchEntryId',
      `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Got "${id}".`,
      { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
    ),
  batchTooLong: (bytes: number, max: number) =>
    new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${max} bytes. You have sent ${bytes} bytes.`, {
      queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
    }),
  unsupportedOperation: (action: string) =>
    new SqsError('UnsupportedOperation', `coldstart does not emulate the SQS action ${action}.`, {
      queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
    }),
  serialization: (message: string) => new SqsError('SerializationException', message),
} as const;

/** True when a value is an SqsError. */
export function isSqsError(value: unknown): value is SqsError {
  return value instanceof SqsError;
}
