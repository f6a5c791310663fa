// One function of serverless.yml -> FunctionConfig, with the provider's values and Serverless's
// defaults filled in (memorySize 1024, timeout 6, runtime nodejs20.x).
import path from 'node:path';
import type { FunctionConfig } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import type { EventScope, EventSources, ReadEvent } from '../types/event-source.js';
import { readEvents } from './events.js';
import { optionalNumber, readBoolean, readList, readMap, readString, show } from './fields.js';
import { resolveHandler, type ResolvedHandler } from './handler.js';
import { functionArn } from '../types/arn.js';
import { describeIntrinsic, isIntrinsic } from './intrinsics.js';
import type { KeyPath, Locator } from './location.js';
import type { PackageSettings } from './package-size.js';
import { isPlainObject } from './variables.js';

/** Serverless Framework defaults for what the provider leaves out. */
export const PROVIDER_DEFAULTS = Object.freeze({
  memorySize: 1024,
  timeout: 6,
  stage: 'dev',
  region: 'us-east-1',
  // Serverless v3.40 defaults to nodejs16.x, which Lambda no longer runs; coldstart runs Node 20.
  runtime: 'nodejs20.x',
});

/** Variables Lambda sets itself and refuses in a function's environment. */
const RESERVED_ENV = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** What every function of the service shares. */
export interface ServiceScope {
  service: string;
  stage: string;
  region: string;
  serviceDir: string;
  provider: Record<string, unknown>;
  /** Short name -> deployed name, for destinations that name a function. */
  functionNames: ReadonlyMap<string, string>;
  events: EventScope;
  /** The event sources in use: which event kinds are read, and by whom. */
  sources: EventSources;
  loc: Locator;
  /** Collects values accepted but not emulated (e.g. an environment value from another stack). */
  notEmulated: string[];
}

/** A function read from the file, before its package is measured. */
export interface ReadFunction {
  config: Omit<FunctionConfig, 'packageBytes'>;
  /** The function's events with what the user wrote and where, for the sources' service-wide step. */
  events: ReadEvent[];
  /** Function-level package settings, null when the function has none. */
  package: PackageSettings | null;
  /** Why the handler cannot load (a missing file or export): a start-up warning, and the function's invocations fail. */
  handlerProblem?: ResolvedHandler['problem'];
}

/** The deployed name of a function: its `name` key, or `service-stage-name`. */
export function deployedName(service: string, stage: string, name: string, raw: unknown): string {
  return isPlainObject(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : `${service}-${stage}-${name}`;
}

/** Reads one function; looks for its handler file and export on disk. */
export async function readFunction(name: string, raw: unknown, scope: ServiceScope): Promise<ReadFunction> {
  try {
    return await readFunctionUnchecked(name, raw, scope);
  } catch (err) {
    // A bad provider-level value is reported with the first function it breaks.
    if (err instanceof ColdstartError && err.location.function === undefined) {
      throw new ColdstartError(err.code, err.message, { ...err.location, function: name });
    }
    throw err;
  }
}

async function readFunctionUnchecked(name: string, raw: unknown, scope: ServiceScope): Promise<ReadFunction> {
  const { loc, provider } = scope;
  const base: KeyPath = ['functions', name];
  const at = (...keys: (string | number)[]): KeyPath => [...base, ...keys];
  if (raw === null || raw === undefined) throw loc.invalid(`function "${name}" has no handler`, at('handler'));
  const fn = readMap(raw, base, loc);
  if (fn.handler === undefined || fn.handler === null) throw loc.invalid(`function "${name}" has no handler`, at('handler'));
  if (fn.image !== undefined) throw loc.invalid('container image functions are not supported; give a handler', at('image'));
  const handler = readString(fn.handler, at('handler'), loc);

  // A value set on the function wins; otherwise the provider's, reported at the provider's key.
  const own = (key: string): KeyPath => (fn[key] !== undefined && fn[key] !== null ? at(key) : ['provider', key]);
  const pick = (key: string): unknown => fn[key] ?? provider[key];

  const runtime = readRuntime(pick('runtime') ?? PROVIDER_DEFAULTS.runtime, own('runtime'), loc);
  const memorySize = optionalNumber(pick('memorySize'), own('memorySize'), loc, PROVIDER_DEFAULTS.memorySize, {
    min: 128,
    max: 10_240,
    integer: true,
    unit: ' MB',
    owner: "Lambda's",
  });
  const timeout = optionalNumber(pick('timeout'), own('timeout'), loc, PROVIDER_DEFAULTS.timeout, {
    min: 1,
    max: 900,
    integer: true,
    unit: ' seconds',
    owner: "Lambda's",
  });
  const fullName = deployedName(scope.service, scope.stage, name, fn);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(fullName)) {
    throw loc.invalid(`function name "${fullName}" is not a valid Lambda name (1-64 letters, digits, hyphens, underscores)`, at('name'));
  }
  const provisionedConcurrency = optionalNumber(fn.provisionedConcurrency, at('provisionedConcurrency'), loc, 0, { min: 0, integer: true });
  const reservedConcurrency =
    fn.reservedConcurrency === undefined || fn.reservedConcurrency === null
      ? null
      : optionalNumber(fn.reservedConcurrency, at('reservedConcurrency'), loc, 0, { min: 0, integer: true });
  if (reservedConcurrency !== null && provisionedConcurrency > reservedConcurrency) {
    throw loc.invalid(
      `provisionedConcurrency ${provisionedConcurrency} is above reservedConcurrency ${reservedConcurrency}; Lambda refuses this (provisioned instances count against the reservation)`,
      at('provisionedConcurrency'),
    );
  }
  const { events, read } = readEvents(fn.events, at('events'), loc, scope.events, scope.sources);
  const { handlerFile, handlerExport, problem } = await resolveHandler(handler, scope.serviceDir, at('handler'), loc);

  return {
    config: {
      name,
      fullName,
      handler,
      handlerFile,
      handlerExport,
      runtime,
      memorySize,
      timeout,
      environment: readEnvironment(name, provider.environment, fn.environment, scope),
      events,
      provisionedConcurrency,
      reservedConcurrency,
      vpc: hasVpc(fn.vpc !== undefined ? fn.vpc : provider.vpc),
      onFailureTarget: readFailureTarget(name, fn, scope),
    },
    events: read,
    package: fn.package === undefined || fn.package === null ? null : readPackageSettings(fn.package, at('package'), scope.serviceDir, loc),
    ...(problem ? { handlerProblem: problem } : {}),
  };
}

function readRuntime(value: unknown, path: KeyPath, loc: Locator): string {
  const runtime = readString(value, path, loc);
  if (!/^nodejs\d+\.x$/.test(runtime)) {
    throw loc.invalid(`runtime "${runtime}" is not supported; coldstart runs Node.js handlers (nodejs18.x, nodejs20.x, nodejs22.x...)`, path);
  }
  return runtime;
}

function readEnvironment(name: string, providerEnv: unknown, fnEnv: unknown, scope: ServiceScope): Record<string, string> {
  const { loc } = scope;
  const env: Record<string, string> = {};
  const sources: [unknown, KeyPath][] = [
    [providerEnv, ['provider', 'environment']],
    [fnEnv, ['functions', name, 'environment']],
  ];
  for (const [raw, base] of sources) {
    for (const [key, value] of Object.entries(readMap(raw, base, loc))) {
      const at: KeyPath = [...base, key];
      if (RESERVED_ENV.has(key)) throw loc.invalid(`environment variable ${key} is reserved by Lambda and cannot be set`, at);
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
        throw loc.invalid(`environment variable name "${key}" must start with a letter and hold only letters, digits and _`, at);
      }
      if (value === null || value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        env[key] = String(value);
      } else if (isIntrinsic(value)) {
        // A CloudFormation value coldstart cannot know (e.g. Fn::ImportValue): passed as its JSON text.
        env[key] = JSON.stringify(value);
        scope.notEmulated.push(`${base.join('.')}.${key} (${describeIntrinsic(value)}: CloudFormation value unknown locally)`);
      } else {
        throw loc.invalid(`environment variable ${key} must be a string, got ${show(value)}`, at);
      }
    }
  }
  // Lambda's limit: 4 KB for all keys and values together.
  const bytes = Object.entries(env).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > 4096) {
    throw loc.invalid(`environment of function "${name}" is ${bytes} bytes; Lambda allows 4 KB (4096 bytes)`, ['functions', name, 'environment']);
  }
  return env;
}

function hasVpc(value: unknown): boolean {
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return value === true;
}

function readFailureTarget(name: string, fn: Record<string, unknown>, scope: ServiceScope): string | null {
  const { loc } = scope;
  const destinations = readMap(fn.destinations, ['functions', name, 'destinations'], loc);
  const candidates: [unknown, KeyPath][] = [
    [destinations.onFailure, ['functions', name, 'destinations', 'onFailure']],
    [fn.onError, ['functions', name, 'onError']],
  ];
  for (const [raw, at] of candidates) {
    if (raw === undefined || raw === null) continue;
    const long = isPlainObject(raw) && !isIntrinsic(raw);
    const target: unknown = long ? (raw as Record<string, unknown>).arn : raw;
    const where = long ? [...at, 'arn'] : at;
    if (typeof target === 'string' && target.startsWith('arn:')) return target;
    if (typeof target === 'string') {
      const fullName = scope.functionNames.get(target) ?? [...scope.functionNames.values()].find((n) => n === target);
      if (fullName) return functionArn(scope.region, fullName);
      throw loc.invalid(`"${target}" is neither an ARN nor a function of this service`, where);
    }
    if (isIntrinsic(target)) {
      scope.notEmulated.push(`${where.join('.')} (${describeIntrinsic(target)}: CloudFormation value unknown locally)`);
      return null;
    }
    throw loc.invalid(`on-failure target must be an ARN or a function name, got ${show(target)}`, where);
  }
  return null;
}

/** Reads `package` settings (service or function level). */
export function readPackageSettings(raw: unknown, at: KeyPath, serviceDir: string, loc: Locator): PackageSettings {
  const pkg = readMap(raw, at, loc);
  const strings = (key: string): string[] =>
    readList(pkg[key], [...at, key], loc).map((p, i) => readString(p, [...at, key, i], loc));
  return {
    patterns: [...strings('exclude').map((p) => `!${p}`), ...strings('include'), ...strings('patterns')],
    individually: readBoolean(pkg.individually, [...at, 'individually'], loc, false),
    artifact: pkg.artifact === undefined || pkg.artifact === null ? null : path.resolve(serviceDir, readString(pkg.artifact, [...at, 'artifact'], loc)),
    excludeDevDependencies: readBoolean(pkg.excludeDevDependencies, [...at, 'excludeDevDependencies'], loc, true),
  };
}
