// `sqs` events in serverless.yml -> SqsEventConfig: an event source mapping from a queue (its ARN,
// literal or `!GetAtt Queue.Arn`) with Lambda's batching settings and limits.
import { optionalNumber, readBoolean, readString, show } from '../config/fields.js';
import { describeIntrinsic, isIntrinsic } from '../config/intrinsics.js';
import type { KeyPath, Locator } from '../config/location.js';
import { isPlainObject } from '../config/variables.js';
import { queueArn } from '../types/arn.js';
import type { EventScope } from '../types/event-source.js';

/** An `sqs` event source mapping. */
export interface SqsEventConfig {
  kind: 'sqs';
  /** Queue ARN, `arn:aws:sqs:REGION:000000000000:NAME` once resolved. */
  arn: string;
  batchSize: number;
  /** Seconds. */
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

/** Keys of an sqs event's map that are emulated. */
export const SQS_KEYS = ['arn', 'batchSize', 'maximumBatchingWindow', 'functionResponseType', 'enabled'] as const;

/** Reads one `sqs` entry: a queue ARN, or a map with arn and the mapping's settings. */
export function readSqs(value: unknown, path: KeyPath, loc: Locator, scope: EventScope): SqsEventConfig {
  const map: Record<string, unknown> = isPlainObject(value) && !isIntrinsic(value) ? value : { arn: value };
  const arnPath = isPlainObject(value) && !isIntrinsic(value) ? [...path, 'arn'] : path;
  const arn = readQueueArn(map.arn, arnPath, loc, scope);
  const batchSize = optionalNumber(map.batchSize, [...path, 'batchSize'], loc, 10, { min: 1, max: 10_000, integer: true, owner: "Lambda's" });
  const maximumBatchingWindow = optionalNumber(map.maximumBatchingWindow, [...path, 'maximumBatchingWindow'], loc, 0, {
    min: 0,
    max: 300,
    unit: ' seconds',
    owner: "Lambda's",
  });
  if (batchSize > 10 && maximumBatchingWindow < 1) {
    throw loc.invalid(`batchSize ${batchSize} above 10 needs maximumBatchingWindow of at least 1 second (a Lambda rule)`, [...path, 'batchSize']);
  }
  const responseType = map.functionResponseType;
  if (responseType !== undefined && responseType !== null && responseType !== 'ReportBatchItemFailures') {
    throw loc.invalid(`functionResponseType must be ReportBatchItemFailures, got ${show(responseType)}`, [...path, 'functionResponseType']);
  }
  return {
    kind: 'sqs',
    arn,
    batchSize,
    maximumBatchingWindow,
    reportBatchItemFailures: responseType === 'ReportBatchItemFailures',
    enabled: readBoolean(map.enabled, [...path, 'enabled'], loc, true),
  };
}

// A literal ARN naming a declared queue is mapped to that queue's emulated ARN (account 000000000000),
// so `arn:aws:sqs:eu-west-1:123456789012:jobs` and `!GetAtt Jobs.Arn` reach the same queue.
function readQueueArn(value: unknown, path: KeyPath, loc: Locator, scope: EventScope): string {
  if (isIntrinsic(value)) {
    const what = describeIntrinsic(value);
    const target = /^(?:Fn::GetAtt|Ref) ([^.]+)/.exec(what)?.[1];
    const why = target && !scope.resourceIds.has(target) ? `no resource ${target} is declared under resources.Resources` : 'it cannot be resolved locally';
    throw loc.invalid(`sqs arn ${what} does not resolve to a queue ARN: ${why}`, path);
  }
  const arn = readString(value, path, loc);
  const m = /^arn:aws[\w-]*:sqs:([^:]*):([^:]*):([^:]+)$/.exec(arn);
  if (!m) throw loc.invalid(`sqs arn must be a queue ARN (arn:aws:sqs:REGION:ACCOUNT:NAME or !GetAtt Queue.Arn), got ${show(arn)}`, path);
  return scope.queueArnsByName.get(m[3]!) ?? queueArn(m[1] || scope.region, m[3]!);
}
