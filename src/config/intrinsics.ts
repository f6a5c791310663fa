// CloudFormation intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, ...) resolved to local
// values where coldstart knows the answer: queues, the service's functions, topics, tables,
// pseudo parameters. What cannot be known locally is left as the intrinsic object.
import { isPlainObject } from './variables.js';
import { LOCAL_ACCOUNT_ID, functionArn, queueArn } from '../types/arn.js';

/** A CloudFormation resource as written under resources.Resources. */
export interface CfnResource {
  Type?: unknown;
  Properties?: unknown;
}

/** What intrinsic functions can see. */
export interface CfnScope {
  region: string;
  /** `service-stage`, the stack name Serverless deploys. */
  stackName: string;
  resources: Record<string, CfnResource>;
  /** Queue logical id -> resolved queue name (empty while queue names themselves are being resolved). */
  queueNames: ReadonlyMap<string, string>;
  /** Serverless function logical id (`HelloLambdaFunction`) -> deployed function name. */
  functionNames: ReadonlyMap<string, string>;
}

/** The logical id Serverless gives a function's AWS::Lambda::Function resource (`my-fn` -> `MyDashfnLambdaFunction`). */
export function functionLogicalId(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/** True for `{Ref: ...}` and `{"Fn::...": ...}` objects. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** A short description of an unresolved intrinsic: `Fn::ImportValue`, `Ref MyTable`. */
export function describeIntrinsic(value: Record<string, unknown>): string {
  const [fn, arg] = Object.entries(value)[0]!;
  if (fn === 'Ref' && typeof arg === 'string') return `Ref ${arg}`;
  if (fn === 'Fn::GetAtt') return `Fn::GetAtt ${Array.isArray(arg) ? arg.join('.') : String(arg)}`;
  return fn;
}

/** Returns a copy of the value with every resolvable intrinsic function replaced by its value. */
export function resolveIntrinsics(value: unknown, scope: CfnScope): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, scope));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveIntrinsics(v, scope);
  if (!isIntrinsic(out)) return out;
  const [fn, arg] = Object.entries(out)[0]!;
  const resolved = applyFunction(fn, arg, scope);
  return resolved === undefined ? out : resolved;
}

function applyFunction(fn: string, arg: unknown, scope: CfnScope): unknown {
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, scope) : undefined;
    case 'Fn::GetAtt': {
      const parts = typeof arg === 'string' ? arg.split('.') : arg;
      if (!Array.isArray(parts) || typeof parts[0] !== 'string' || typeof parts[1] !== 'string') return undefined;
      return getAtt(parts[0], parts.slice(1).join('.'), scope);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
      const items = arg[1] as unknown[];
      return items.every(isTextual) ? items.map(String).join(arg[0]) : undefined;
    }
    case 'Fn::Sub':
      return sub(arg, scope);
    case 'Fn::Select': {
      if (!Array.isArray(arg) || !Array.isArray(arg[1])) return undefined;
      return (arg[1] as unknown[])[Number(arg[0])];
    }
    case 'Fn::Split':
      return Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string' ? arg[1].split(arg[0]) : undefined;
    case 'Fn::Base64':
      return typeof arg === 'string' ? Buffer.from(arg).toString('base64') : undefined;
    default:
      return undefined;
  }
}

function isTextual(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

const PSEUDO: Record<string, (scope: CfnScope) => string> = {
  'AWS::Region': (s) => s.region,
  'AWS::AccountId': () => LOCAL_ACCOUNT_ID,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.stackName,
  'AWS::StackId': (s) => `arn:aws:cloudformation:${s.region}:${LOCAL_ACCOUNT_ID}:stack/${s.stackName}/coldstart`,
};

// What `Ref` returns, by resource type. For a queue CloudFormation returns its URL, whose host and
// port only exist once the server listens: coldstart returns the queue NAME, which its SQS API accepts.
function ref(id: string, scope: CfnScope): string | undefined {
  const pseudo = PSEUDO[id];
  if (pseudo) return pseudo(scope);
  const fnName = scope.functionNames.get(id);
  if (fnName !== undefined) return fnName;
  const queue = scope.queueNames.get(id);
  if (queue !== undefined) return queue;
  const resource = scope.resources[id];
  if (!resource) return undefined;
  const props = isPlainObject(resource.Properties) ? resource.Properties : {};
  switch (resource.Type) {
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${scope.region}:${LOCAL_ACCOUNT_ID}:${nameProp(props, 'TopicName') ?? `${scope.stackName}-${id}`}`;
    case 'AWS::DynamoDB::Table':
      return nameProp(props, 'TableName') ?? `${scope.stackName}-${id}`;
    case 'AWS::S3::Bucket':
      return nameProp(props, 'BucketName') ?? `${scope.stackName}-${id}`.toLowerCase();
    default:
      return nameProp(props, 'Name');
  }
}

function getAtt(id: string, attr: string, scope: CfnScope): string | undefined {
  const fnName = scope.functionNames.get(id);
  if (fnName !== undefined) return attr === 'Arn' ? functionArn(scope.region, fnName) : undefined;
  const queue = scope.queueNames.get(id);
  if (queue !== undefined) {
    if (attr === 'Arn') return queueArn(scope.region, queue);
    // QueueUrl: see ref() on why the name stands in for the URL.
    if (attr === 'QueueName' || attr === 'QueueUrl') return queue;
    return undefined;
  }
  const resource = scope.resources[id];
  if (!resource) return undefined;
  const name = ref(id, scope);
  if (name === undefined) return undefined;
  switch (`${String(resource.Type)}.${attr}`) {
    case 'AWS::SNS::Topic.TopicArn':
      return name;
    case 'AWS::SNS::Topic.TopicName':
      return name.split(':').pop();
    case 'AWS::DynamoDB::Table.Arn':
      return `arn:aws:dynamodb:${scope.region}:${LOCAL_ACCOUNT_ID}:table/${name}`;
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${name}`;
    default:
      return undefined;
  }
}

function sub(arg: unknown, scope: CfnScope): string | undefined {
  const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, {}];
  if (typeof template !== 'string' || !isPlainObject(vars)) return undefined;
  let unresolved = false;
  const out = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const own = vars[name];
    let value: string | undefined;
    if (isTextual(own)) value = String(own);
    else if (name.includes('.') && !name.includes('::')) value = getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1), scope);
    else value = ref(name, scope);
    if (value === undefined) {
      unresolved = true;
      return whole;
    }
    return value;
  });
  return unresolved ? undefined : out;
}

function nameProp(props: Record<string, unknown>, key: string): string | undefined {
  const value = props[key];
  return typeof value === 'string' ? value : undefined;
}
