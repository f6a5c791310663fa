// Names what serverless.yml sets that coldstart accepts but does not emulate, so a real project
// loads unchanged and the user is told, once, what behaves differently from AWS.
import type { EventSources } from '../types/event-source.js';
import { isPlainObject } from './variables.js';

/** Top-level keys coldstart reads. */
const TOP_EMULATED = new Set(['service', 'provider', 'functions', 'custom', 'resources', 'package', 'params', 'useDotenv']);
/** Top-level keys that only steer the Serverless CLI or its dashboard: nothing to emulate. */
const TOP_SILENT = new Set([
  'frameworkVersion',
  'configValidationMode',
  'variablesResolutionMode',
  'deprecationNotificationMode',
  'disabledDeprecations',
  'org',
  'app',
  'console',
  'dashboard',
]);
const PROVIDER_EMULATED = new Set(['runtime', 'memorySize', 'timeout', 'environment', 'stage', 'region', 'httpApi', 'apiGateway', 'vpc']);
/** Deployment-only provider keys: they change how a stack is deployed, not how functions run. */
const PROVIDER_SILENT = new Set([
  'name',
  'profile',
  'deploymentBucket',
  'deploymentPrefix',
  'deploymentMethod',
  'stackName',
  'stackTags',
  'stackParameters',
  'stackPolicy',
  'tags',
  'cfnRole',
  'notificationArns',
  'rollbackConfiguration',
  'disableRollback',
  'versionFunctions',
  'lambdaHashingVersion',
]);
const FUNCTION_EMULATED = new Set([
  'handler',
  'name',
  'runtime',
  'memorySize',
  'timeout',
  'environment',
  'events',
  'provisionedConcurrency',
  'reservedConcurrency',
  'vpc',
  'package',
  'destinations',
  'onError',
  'httpApi',
]);
const FUNCTION_SILENT = new Set(['description', 'tags', 'condition', 'dependsOn']);
const QUEUE_EMULATED = new Set(['QueueName', 'VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'RedrivePolicy', 'Tags']);

/**
 * Readable names of every key set but not emulated, e.g. "plugins (serverless-offline)",
 * "functions.hello.layers"; an event kind is emulated when one of `sources` reads it.
 */
export function findNotEmulated(data: Record<string, unknown>, sources: EventSources): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (TOP_EMULATED.has(key) || TOP_SILENT.has(key)) continue;
    if (key === 'plugins') out.push(`plugins${pluginNames(value)}`);
    else out.push(key);
  }
  scanProvider(isPlainObject(data.provider) ? data.provider : {}, out);
  if (isPlainObject(data.functions)) {
    for (const [name, fn] of Object.entries(data.functions)) if (isPlainObject(fn)) scanFunction(name, fn, sources, out);
  }
  scanResources(isPlainObject(data.resources) ? data.resources : {}, out);
  return [...new Set(out)];
}

function pluginNames(value: unknown): string {
  const list = Array.isArray(value) ? value : isPlainObject(value) && Array.isArray(value.modules) ? value.modules : [];
  const names = list.filter((v): v is string => typeof v === 'string');
  return names.length > 0 ? ` (${names.join(', ')})` : '';
}

function scanProvider(provider: Record<string, unknown>, out: string[]): void {
  for (const key of Object.keys(provider)) {
    if (!PROVIDER_EMULATED.has(key) && !PROVIDER_SILENT.has(key)) out.push(`provider.${key}`);
  }
  if (isPlainObject(provider.httpApi)) {
    for (const key of Object.keys(provider.httpApi)) if (key !== 'cors' && key !== 'payload') out.push(`provider.httpApi.${key}`);
  }
  if (isPlainObject(provider.apiGateway)) {
    for (const key of Object.keys(provider.apiGateway)) if (key !== 'binaryMediaTypes') out.push(`provider.apiGateway.${key}`);
  } else if (provider.apiGateway !== undefined) out.push('provider.apiGateway');
  if (isPlainObject(provider.vpc)) out.push('provider.vpc (subnets and security groups; only the VPC cold-start cost is modelled)');
}

function scanFunction(name: string, fn: Record<string, unknown>, sources: EventSources, out: string[]): void {
  const base = `functions.${name}`;
  for (const key of Object.keys(fn)) {
    if (!FUNCTION_EMULATED.has(key) && !FUNCTION_SILENT.has(key)) out.push(`${base}.${key}`);
  }
  if (isPlainObject(fn.vpc)) out.push(`${base}.vpc (subnets and security groups; only the VPC cold-start cost is modelled)`);
  if (isPlainObject(fn.httpApi)) {
    for (const key of Object.keys(fn.httpApi)) if (key !== 'payload') out.push(`${base}.httpApi.${key}`);
  }
  if (isPlainObject(fn.destinations)) {
    for (const key of Object.keys(fn.destinations)) if (key !== 'onFailure') out.push(`${base}.destinations.${key}`);
  }
  if (!Array.isArray(fn.events)) return;
  fn.events.forEach((event, i) => {
    if (!isPlainObject(event)) return;
    for (const [kind, value] of Object.entries(event)) {
      const at = `${base}.events[${i}].${kind}`;
      const reader = sources.reader(kind);
      if (!reader) {
        out.push(at);
        continue;
      }
      if (!isPlainObject(value)) continue;
      for (const key of Object.keys(value)) if (!reader.keys.includes(key)) out.push(`${at}.${key}`);
      if (reader.notEmulated) out.push(...reader.notEmulated(value, at));
    }
  });
}

function scanResources(resources: Record<string, unknown>, out: string[]): void {
  for (const key of Object.keys(resources)) if (key !== 'Resources') out.push(`resources.${key}`);
  if (!isPlainObject(resources.Resources)) return;
  for (const [id, resource] of Object.entries(resources.Resources)) {
    const type = isPlainObject(resource) && typeof resource.Type === 'string' ? resource.Type : 'no Type';
    if (type !== 'AWS::SQS::Queue') {
      out.push(`resources.Resources.${id} (${type})`);
      continue;
    }
    const props = isPlainObject(resource) && isPlainObject(resource.Properties) ? resource.Properties : {};
    for (const key of Object.keys(props)) if (!QUEUE_EMULATED.has(key)) out.push(`resources.Resources.${id}.Properties.${key}`);
  }
}
