// Loads serverless.yml into a ServiceConfig: parse, resolve variables, resolve CloudFormation
// references, apply defaults, validate, measure packages, list what is not emulated, warn.
// Any problem throws a ColdstartError naming the file, function, key and line: nothing starts
// half-configured.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { needsCompile } from '../code/compile.js';
import type { CliOverrides, FunctionConfig, ServiceConfig } from '../types/config.js';
import { builtinEventSources } from '../event-sources/builtin.js';
import type { EventSources } from '../types/event-source.js';
import { readRestApiSettings } from './api-gateway.js';
import { readDotenv } from './dotenv.js';
import { readMap, readString, show } from './fields.js';
import { queueArn } from '../types/arn.js';
import { functionLogicalId, resolveIntrinsics, type CfnScope } from './intrinsics.js';
import { mergeListForms } from './list-forms.js';
import type { Locator } from './location.js';
import { deployedName, PROVIDER_DEFAULTS, readFunction, readPackageSettings, type ReadFunction, type ServiceScope } from './normalize.js';
import { findNotEmulated } from './not-emulated.js';
import { PackageSizer } from './package-size.js';
import { sizeInBackground } from './package-sizing.js';
import { handlerWarnings } from './handler-warnings.js';
import { Locator as FileLocator } from './location.js';
import { isScriptConfig, readScriptConfig } from './read-script.js';
import { cfnResources, queueNames, readQueues } from './queues.js';
import { findConfigFile, readYamlFile, type YamlFile } from './read-yaml.js';
import { readSettings } from './settings.js';
import { validateService } from './validate.js';
import { validateProvisioned } from './provisioned.js';
import { isPlainObject, resolveVariables } from './variables.js';
import { findWarnings } from './warnings.js';

/**
 * Reads, resolves and validates a serverless.yml (or .yaml, .json, .js, .ts). Throws ColdstartError
 * (the CLI prints describe() and exits 2). Package sizes arrive in the background (package-sizing.ts).
 * Events are read by `sources`: the built-in event sources unless others are given.
 */
export async function loadServiceConfig(configPath: string, overrides: CliOverrides, sources: EventSources = builtinEventSources()): Promise<ServiceConfig> {
  const file = await findConfigFile(configPath);
  const serviceDir = path.dirname(file);
  const yaml: YamlFile = isScriptConfig(file)
    ? { file, data: await readScriptConfig(file), locator: new FileLocator(file), unknownTags: [] }
    : await readYamlFile(file);
  const loc = yaml.locator;
  if (!isPlainObject(yaml.data)) throw loc.invalid(`the file must be a map of keys (service, provider, functions...), got ${show(yaml.data)}`, []);
  fillProviderDefaults(yaml.data);

  const options: Record<string, string> = { ...overrides.options };
  if (overrides.stage !== undefined) options.stage = overrides.stage;
  const env: Record<string, string | undefined> = { ...process.env };
  const configFiles = [file];
  if (yaml.data.useDotenv === true) {
    const dotenv = await readDotenv(serviceDir, options.stage ?? literalStage(yaml.data));
    for (const [k, v] of Object.entries(dotenv.vars)) env[k] ??= v;
    if (dotenv.file) configFiles.push(dotenv.file);
  }
  const resolved = await resolveVariables(yaml.data, { serviceDir, options, env, locator: loc });
  configFiles.push(...resolved.files);
  const raw = resolved.data;
  mergeListForms(raw, loc);

  const service = readServiceName(raw.service, loc);
  const provider = readMap(raw.provider, ['provider'], loc);
  const stage = options.stage ?? (provider.stage == null ? PROVIDER_DEFAULTS.stage : readString(provider.stage, ['provider', 'stage'], loc));
  // API Gateway's rule for stage names, which also appear in every URL path of the REST API.
  if (!/^[-_A-Za-z0-9]+$/.test(stage)) {
    throw loc.invalid(`stage "${stage}" may hold only letters, digits, - and _`, options.stage !== undefined ? [] : ['provider', 'stage']);
  }
  const region = options.region ?? (provider.region == null ? PROVIDER_DEFAULTS.region : readString(provider.region, ['provider', 'region'], loc));

  // CloudFormation references resolve once queue and function names are known.
  const functionsRaw = readMap(raw.functions, ['functions'], loc);
  const shortToFull = new Map(Object.entries(functionsRaw).map(([name, fn]) => [name, deployedName(service, stage, name, fn)]));
  const scope: CfnScope = {
    region,
    stackName: `${service}-${stage}`,
    resources: cfnResources(raw),
    queueNames: new Map(),
    functionNames: new Map([...shortToFull].map(([name, full]) => [functionLogicalId(name), full])),
  };
  scope.queueNames = queueNames(scope, loc);
  const data = resolveIntrinsics(raw, scope) as Record<string, unknown>;
  const queues = readQueues(cfnResources(data), scope.queueNames, loc);
  const custom = readMap(data.custom, ['custom'], loc);
  const settings = readSettings(custom.coldstart, overrides, loc);
  const providerData = readMap(data.provider, ['provider'], loc);

  const notEmulated: string[] = [...yaml.unknownTags, ...resolved.unknownTags].map((t) => `YAML tag ${t}`);
  const read = await readFunctions(data, {
    service,
    stage,
    region,
    serviceDir,
    provider: providerData,
    functionNames: shortToFull,
    events: {
      region,
      queueArnsByName: new Map(queues.map((q) => [q.name, queueArn(region, q.name)])),
      resourceIds: new Set(Object.keys(scope.resources)),
    },
    sources,
    loc,
    notEmulated,
  });
  validateService(read.map((r) => r.config), loc);
  // What spans the events of several functions (the gateway's CORS, payload versions, duplicate routes).
  sources.complete({ events: read.flatMap((r) => r.events), provider: providerData, functions: readMap(data.functions, ['functions'], loc), loc });
  validateProvisioned(read.map((r) => r.config), settings, loc);

  const functions = await measurePackages(read, data, file, serviceDir, loc);
  notEmulated.push(...findNotEmulated(data, sources));
  const warnings = [...handlerWarnings(read, loc), ...findWarnings(functions, queues, settings)];
  return {
    service,
    stage,
    region,
    configPath: file,
    serviceDir,
    functions,
    queues,
    settings,
    restApi: readRestApiSettings(providerData, loc),
    notEmulated: [...new Set(notEmulated)],
    warnings,
    configFiles: [...new Set(configFiles)],
  };
}

async function readFunctions(data: Record<string, unknown>, scope: ServiceScope): Promise<ReadFunction[]> {
  const functions = readMap(data.functions, ['functions'], scope.loc);
  const out: ReadFunction[] = [];
  for (const [name, raw] of Object.entries(functions)) out.push(await readFunction(name, raw, scope));
  return out;
}

// Prebuilt artifacts are checked now (a missing one is a configuration error); every other size is
// measured in the background, so a big node_modules does not hold up the listening line.
async function measurePackages(
  read: ReadFunction[],
  data: Record<string, unknown>,
  file: string,
  serviceDir: string,
  loc: Locator,
): Promise<FunctionConfig[]> {
  const servicePackage = readPackageSettings(data.package, ['package'], serviceDir, loc);
  const sizer = new PackageSizer(serviceDir, file, servicePackage, data.useDotenv === true);
  const tsHandlers = [...new Set(read.filter((r) => !r.handlerProblem).map((r) => r.config.handlerFile).filter(needsCompile))];
  const functions: FunctionConfig[] = [];
  for (const r of read) {
    const artifact = sizer.artifactOf({ package: r.package });
    if (artifact && !(await stat(artifact).catch(() => undefined))?.isFile()) {
      throw loc.invalid(`cannot measure the deployment package: package.artifact ${artifact} does not exist`, ['functions', r.config.name, 'package']);
    }
    functions.push({ ...r.config, packageBytes: 0 });
  }
  sizeInBackground(
    functions.map((fn, i) => ({ fn, package: read[i]!.package })),
    functions,
    sizer,
    tsHandlers,
    serviceDir,
  );
  return functions;
}

// Serverless v3 fills these in before it resolves variables, so ${self:provider.stage} is `dev`
// in a file that sets no stage.
function fillProviderDefaults(data: Record<string, unknown>): void {
  if (data.provider !== undefined && data.provider !== null && !isPlainObject(data.provider)) return;
  const provider = (data.provider ??= {}) as Record<string, unknown>;
  provider.stage ??= PROVIDER_DEFAULTS.stage;
  provider.region ??= PROVIDER_DEFAULTS.region;
}

function readServiceName(value: unknown, loc: Locator): string {
  const name = isPlainObject(value) ? value.name : value;
  const at = isPlainObject(value) ? ['service', 'name'] : ['service'];
  if (name === undefined || name === null) throw loc.invalid('service name is missing (service: my-service)', ['service']);
  const text = readString(name, at, loc);
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(text)) {
    throw loc.invalid(`service name "${text}" must start with a letter and hold only letters, digits and hyphens`, at);
  }
  return text;
}

// The stage for choosing `.env.{stage}` before variables are resolved: a literal provider.stage, or dev.
function literalStage(data: Record<string, unknown>): string {
  const stage = isPlainObject(data.provider) ? data.provider.stage : undefined;
  return typeof stage === 'string' && !stage.includes('${') ? stage : PROVIDER_DEFAULTS.stage;
}
