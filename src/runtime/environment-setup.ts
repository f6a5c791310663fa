// What an execution environment is set up with: its environment variables (Lambda's reserved
// runtime variables, credentials that can never reach a metadata address, then the function's
// own), its log stream, and the fixed fields of its context object, sent with the init task.
import { randomBytes } from 'node:crypto';
import { functionArn } from '../types/arn.js';
import type { FunctionConfig, InitType } from '../types/config.js';
import type { WorkerBootData } from './worker/protocol.js';

/** Names the Lambda runtime reserves; a function's `environment` cannot override them. */
const RESERVED = new Set([
  '_HANDLER', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

/** The log stream name of a new environment: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function logStreamName(now = new Date()): string {
  const d = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** Inputs that are not part of the function's configuration. */
export interface EnvironmentContext {
  region: string;
  serviceDir: string;
  initType: InitType;
  logStream: string;
  /** `http://HOST:PORT` of this emulator, so handlers can call the Lambda and SQS APIs on it. */
  endpoint: string;
  /** The user's own environment, for AWS credentials. */
  host: NodeJS.ProcessEnv;
  /** Whether to set IS_OFFLINE=true (custom.coldstart.isOffline). */
  isOffline?: boolean;
}

/** Builds the environment variables of one instance's execution environment. */
export function environmentVariables(fn: FunctionConfig, ctx: EnvironmentContext): Record<string, string> {
  const env: Record<string, string> = {
    PATH: ctx.host.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    NODE_ENV: ctx.host.NODE_ENV ?? '',
  };
  if (!env.NODE_ENV) delete env.NODE_ENV;
  // serverless-offline's signal, which real projects use to pick local resources (a function's own
  // environment may still set it otherwise).
  if (ctx.isOffline !== false) env.IS_OFFLINE = 'true';
  for (const [k, v] of Object.entries(fn.environment)) if (!RESERVED.has(k)) env[k] = v;
  Object.assign(env, {
    _HANDLER: fn.handler,
    AWS_REGION: ctx.region,
    AWS_DEFAULT_REGION: ctx.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.fullName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: ctx.initType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.fullName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: ctx.logStream,
    LAMBDA_TASK_ROOT: ctx.serviceDir,
    LAMBDA_RUNTIME_DIR: ctx.serviceDir,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    // An SDK client in a handler must never probe the instance-metadata address.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: ctx.host.AWS_ACCESS_KEY_ID ?? 'coldstart-local',
    AWS_SECRET_ACCESS_KEY: ctx.host.AWS_SECRET_ACCESS_KEY ?? 'coldstart-local-secret',
    COLDSTART_ENDPOINT: ctx.endpoint,
  });
  if (ctx.host.AWS_SESSION_TOKEN) env.AWS_SESSION_TOKEN = ctx.host.AWS_SESSION_TOKEN;
  return env;
}

/** What an instance's environment is started with: its handler and its context's fixed fields. */
export function workerBootData(
  fn: Pick<FunctionConfig, 'fullName' | 'memorySize' | 'handlerExport'>,
  ctx: { entryFile: string; region: string; logStream: string; instanceId: string },
): WorkerBootData {
  return {
    entryFile: ctx.entryFile,
    handlerExport: fn.handlerExport,
    functionName: fn.fullName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(ctx.region, fn.fullName),
    memoryLimitInMB: String(fn.memorySize),
    logGroupName: `/aws/lambda/${fn.fullName}`,
    logStreamName: ctx.logStream,
    instanceId: ctx.instanceId,
  };
}
