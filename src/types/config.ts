// The normalized, fully-defaulted configuration the runtime receives. The runtime never sees YAML.
import type { SettingOverrides } from '../config/settings-table.js';
import type { EventConfig } from './event-source.js';

/** How an execution environment was created (AWS_LAMBDA_INITIALIZATION_TYPE). */
export type InitType = 'on-demand' | 'provisioned-concurrency';

/** Coefficients of the cold-start and CPU model (custom.coldstart.model); sources in docs/cold-start-model.md. */
export interface ModelCoefficients {
  /** Node.js runtime init before the handler module loads, ms (lambda-perf nodejs20/22 zip x86 median). */
  runtimeBaseMs: number;
  /** Lambda vCPU time per unit of this machine's CPU time. */
  cpuSlowdown: number;
  /** Memory (MB) that buys one full vCPU in the invoke phase. */
  mbPerVcpu: number;
  /** On-demand init CPU factor below `largeMemoryMb`. */
  onDemandInitFactor: number;
  /** On-demand init CPU factor at or above `largeMemoryMb`. */
  onDemandInitFactorLarge: number;
  /** Memory threshold (MB) for the large on-demand init factor. */
  largeMemoryMb: number;
  /** Platform delay before init (placement, sandbox), ms. */
  platformBaseMs: number;
  /** Platform delay per MB of deployment package, ms. */
  platformPerPackageMbMs: number;
  /** Extra platform delay when the function is attached to a VPC, ms. */
  vpcMs: number;
  /** Sigma of the lognormal spread applied to modelled cold-start time. */
  jitterSigma: number;
  /** Probability of a slow-tail cold start. */
  tailProbability: number;
  /** Slow-tail multiplier range. */
  tailMin: number;
  tailMax: number;
  /** On-demand init limit, ms; past it the init fails and is retried inside the first invoke. */
  initTimeoutMs: number;
}

/** CORS settings of an http/httpApi event (`cors: true` expands to the defaults). */
export interface CorsConfig {
  origins: string[];
  headers: string[];
  methods: string[];
  allowCredentials: boolean;
  exposedHeaders: string[];
  maxAge: number | null;
}

/** API Gateway's Lambda payload format versions. */
export type PayloadVersion = '1.0' | '2.0';

/** Settings of the REST API (`provider.apiGateway`). */
export interface RestApiSettings {
  /** Media types the REST API treats as binary (`*` wildcards allowed). */
  binaryMediaTypes: string[];
}

/** One function, with provider defaults applied and its handler resolved on disk. */
export interface FunctionConfig {
  /** Short name (the key under `functions`). */
  name: string;
  /** Deployed name: `service-stage-name` (or the function's `name` key). */
  fullName: string;
  /** `handler` as written in serverless.yml. */
  handler: string;
  /** Absolute path of the handler file. */
  handlerFile: string;
  /** Exported member to call. */
  handlerExport: string;
  runtime: string;
  /** MB, 128..10240. */
  memorySize: number;
  /** Seconds, 1..900. */
  timeout: number;
  /** provider.environment merged with the function's. */
  environment: Record<string, string>;
  events: EventConfig[];
  provisionedConcurrency: number;
  /** null when the function has no reservation. */
  reservedConcurrency: number | null;
  /** True when `vpc` (function or provider) is set. */
  vpc: boolean;
  /** Bytes of the deployment package the function would ship (zipped); a fast estimate while packageSizeExact is false. */
  packageBytes: number;
  /** False while the zipped size is still being measured in the background; undefined or true once exact. */
  packageSizeExact?: boolean;
  /** ARN of the target for async invocations that exhaust their retries (destinations.onFailure or onError DLQ). */
  onFailureTarget: string | null;
}

/** An SQS queue declared as an AWS::SQS::Queue resource. */
export interface QueueConfig {
  /** CloudFormation logical id. */
  logicalId: string;
  name: string;
  /** Seconds. */
  visibilityTimeout: number;
  /** Seconds. */
  messageRetentionPeriod: number;
  /** Seconds. */
  delaySeconds: number;
  redrivePolicy: { deadLetterTargetArn: string; maxReceiveCount: number } | null;
}

/** Token bucket of the gateway stage. */
export interface StageThrottle {
  rateLimit: number;
  burstLimit: number;
}

/** Emulator settings: custom.coldstart, overridden by command-line flags. */
export interface EmulatorSettings {
  accountConcurrency: number;
  /** Seconds an idle on-demand instance lives. */
  idleTimeout: number;
  /** Seconds; null means the API's own default (29 REST, 30 HTTP API). */
  gatewayTimeout: number | null;
  coldStart: 'realistic' | 'off';
  model: ModelCoefficients;
  seed: number;
  ssm: Record<string, string>;
  throttle: StageThrottle | null;
  /** Delays, in seconds, before each retry of a failed asynchronous invocation. */
  asyncRetryDelays: number[];
  /** Instance threads kept booted per memory size in use, so a cold start does not wait for Node's thread boot. */
  spareThreads: number;
  /** What each instance runs in. */
  isolation: Isolation;
  /** Sets IS_OFFLINE=true in every instance, as serverless-offline does (projects switch to local resources on it). */
  isOffline: boolean;
  /** Host names answered besides this server's address, localhost and IP addresses (`.name` = with subdomains, `*` = any). */
  allowedHosts: string[];
}

/**
 * How instances are kept apart: a worker thread each (the default), or a child process each, so
 * that V8 running out of memory in one ends that instance even in a single large allocation.
 */
export type Isolation = 'thread' | 'process';

/** A configuration smell that caused real incidents; reported at start-up, never fatal. */
export interface ConfigWarning {
  code: string;
  message: string;
  function?: string;
  key?: string;
}

/** The whole loaded service. */
export interface ServiceConfig {
  service: string;
  stage: string;
  region: string;
  /** Absolute path of serverless.yml. */
  configPath: string;
  /** Directory of serverless.yml: the service root. */
  serviceDir: string;
  functions: FunctionConfig[];
  queues: QueueConfig[];
  settings: EmulatorSettings;
  /** REST API settings; absent means none configured. */
  restApi?: RestApiSettings;
  /** Top-level keys found that coldstart accepts but does not emulate (named once at start-up). */
  notEmulated: string[];
  warnings: ConfigWarning[];
  /** Files the configuration was read from (serverless.yml and `${file()}` includes), for hot reload. */
  configFiles: string[];
}

/** Settings given on the command line (one per settings-table row with a flag that overrides serverless.yml). */
export type CliOverrides = SettingOverrides & {
  /** Values for `${opt:NAME}`. */
  options?: Record<string, string>;
};
