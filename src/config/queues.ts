// AWS::SQS::Queue resources -> QueueConfig, with CloudFormation's defaults.
import type { QueueConfig } from '../types/config.js';
import { optionalNumber, readMap, readNumber, show } from './fields.js';
import { describeIntrinsic, isIntrinsic, resolveIntrinsics, type CfnResource, type CfnScope } from './intrinsics.js';
import type { KeyPath, Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** The Resources map of `resources`, or an empty one. */
export function cfnResources(data: Record<string, unknown>): Record<string, CfnResource> {
  const resources = isPlainObject(data.resources) ? data.resources : {};
  const map = isPlainObject(resources.Resources) ? resources.Resources : {};
  const out: Record<string, CfnResource> = {};
  for (const [id, r] of Object.entries(map)) if (isPlainObject(r)) out[id] = r;
  return out;
}

/**
 * Names every declared queue. Without QueueName, CloudFormation generates `stack-LogicalId-RANDOM`;
 * coldstart uses `service-stage-LogicalId` (the same without the random suffix) so names are stable.
 */
export function queueNames(scope: CfnScope, loc: Locator): Map<string, string> {
  const names = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const [id, resource] of Object.entries(scope.resources)) {
    if (resource.Type !== 'AWS::SQS::Queue') continue;
    const path: KeyPath = ['resources', 'Resources', id, 'Properties', 'QueueName'];
    const props = isPlainObject(resource.Properties) ? resource.Properties : {};
    const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
    const written = resolveIntrinsics(props.QueueName, scope);
    let name: string;
    if (written === undefined || written === null) {
      name = `${scope.stackName}-${id}${fifo ? '.fifo' : ''}`;
    } else if (typeof written === 'string') {
      name = written;
    } else {
      const what = isIntrinsic(written) ? describeIntrinsic(written) : show(written);
      throw loc.invalid(`QueueName ${what} cannot be resolved locally; write the name as a string`, path);
    }
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name.replace(/\.fifo$/, ''))) {
      throw loc.invalid(`QueueName "${name}" is not a valid SQS queue name (1-80 letters, digits, hyphens, underscores)`, path);
    }
    if (fifo && !name.endsWith('.fifo')) throw loc.invalid(`QueueName "${name}" of a FIFO queue must end in .fifo`, path);
    const other = byName.get(name);
    if (other) throw loc.invalid(`queues ${other} and ${id} have the same name "${name}"`, path);
    byName.set(name, id);
    names.set(id, name);
  }
  return names;
}

/** Reads every AWS::SQS::Queue (after intrinsics are resolved) into QueueConfig. */
export function readQueues(resources: Record<string, CfnResource>, names: ReadonlyMap<string, string>, loc: Locator): QueueConfig[] {
  const queues: QueueConfig[] = [];
  for (const [logicalId, name] of names) {
    const base: KeyPath = ['resources', 'Resources', logicalId, 'Properties'];
    const props = readMap(resources[logicalId]?.Properties, base, loc);
    const at = (key: string): KeyPath => [...base, key];
    queues.push({
      logicalId,
      name,
      visibilityTimeout: optionalNumber(props.VisibilityTimeout, at('VisibilityTimeout'), loc, 30, sqsRule(0, 43_200)),
      messageRetentionPeriod: optionalNumber(props.MessageRetentionPeriod, at('MessageRetentionPeriod'), loc, 345_600, sqsRule(60, 1_209_600)),
      delaySeconds: optionalNumber(props.DelaySeconds, at('DelaySeconds'), loc, 0, sqsRule(0, 900)),
      redrivePolicy: readRedrive(props.RedrivePolicy, at('RedrivePolicy'), loc),
    });
  }
  return queues;
}

function sqsRule(min: number, max: number) {
  return { min, max, integer: true, unit: ' seconds', owner: "SQS's" };
}

function readRedrive(value: unknown, path: KeyPath, loc: Locator): QueueConfig['redrivePolicy'] {
  if (value === undefined || value === null) return null;
  let policy = value;
  if (typeof value === 'string') {
    try {
      policy = JSON.parse(value);
    } catch {
      throw loc.invalid(`RedrivePolicy must be a map or JSON text, got ${show(value)}`, path);
    }
  }
  const map = readMap(policy, path, loc);
  const arn = map.deadLetterTargetArn;
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
    const what = isIntrinsic(arn) ? `${describeIntrinsic(arn)}, which cannot be resolved locally` : show(arn);
    throw loc.invalid(`deadLetterTargetArn must be a queue ARN (e.g. !GetAtt DeadLetterQueue.Arn), got ${what}`, [...path, 'deadLetterTargetArn']);
  }
  // SQS rejects a redrive policy without maxReceiveCount, so there is no default to assume.
  if (map.maxReceiveCount === undefined || map.maxReceiveCount === null) {
    throw loc.invalid('RedrivePolicy needs maxReceiveCount (receives before a message moves to the dead-letter queue)', path);
  }
  return {
    deadLetterTargetArn: arn,
    maxReceiveCount: readNumber(map.maxReceiveCount, [...path, 'maxReceiveCount'], loc, { min: 1, max: 1000, integer: true, owner: "SQS's" }),
  };
}
