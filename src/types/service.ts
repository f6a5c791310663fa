// The invocation service: the one seam between the front ends (gateway, Lambda API, SQS,
// schedules, CLI) and the runtime. Nothing behind it knows about HTTP.
import type { FunctionConfig, ServiceConfig } from './config.js';
import type { FunctionSnapshot, InvocationRequest, InvocationResult, SpareEnvironmentsStatus } from './runtime.js';

/** A failed asynchronous invocation handed to its on-failure destination. */
export interface AsyncFailureRecord {
  function: string;
  requestId: string;
  payloadJson: string;
  attempts: number;
  errorType: string;
  errorMessage: string;
  /** ms since epoch */
  time: number;
}

/** Delivers a record to an ARN (an SQS queue, when the SQS emulation is running); false if no such target. */
export type FailureDestination = (targetArn: string, record: AsyncFailureRecord) => boolean;

/** Provisioned concurrency status as the Lambda API reports it. */
export interface ProvisionedStatus {
  requested: number;
  allocated: number;
  available: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
}

/** What front ends may ask of the runtime. */
export interface InvocationService {
  /** Runs one invocation synchronously (RequestResponse); resolves with its result or a throttle. */
  invoke(request: InvocationRequest): Promise<InvocationResult>;
  /** Queues an asynchronous (Event) invocation; never throttles the caller. */
  invokeAsync(request: InvocationRequest): { requestId: string };
  /** Finds a function by its short or long name. */
  findFunction(name: string): FunctionConfig | undefined;
  /** Every function of the current configuration. */
  listFunctions(): FunctionConfig[];
  /** Functions with their instances, for the state endpoint and the console. */
  snapshot(): FunctionSnapshot[];
  /** The execution environments booted ahead of need (the state document's `spareThreads`). */
  spareEnvironments(): SpareEnvironmentsStatus;
  /** Current code version of a function. */
  codeVersion(name: string): number;
}

/** Concurrency controls of the Lambda API; each throws a ColdstartError (INVALID_PARAMETER / FUNCTION_NOT_FOUND) on bad input. */
export interface ConcurrencyControls {
  putReservedConcurrency(name: string, value: number): void;
  getReservedConcurrency(name: string): number | null;
  deleteReservedConcurrency(name: string): void;
  putProvisionedConcurrency(name: string, value: number): ProvisionedStatus;
  getProvisionedConcurrency(name: string): ProvisionedStatus | null;
  deleteProvisionedConcurrency(name: string): void;
}

/** Holds the current configuration and tells subscribers when hot reload replaces it. */
export interface ConfigSource {
  current(): ServiceConfig;
  onChange(listener: (next: ServiceConfig, previous: ServiceConfig) => void): () => void;
}

/** What hot reload asks of the runtime when code changes. */
export interface CodeReloader {
  /**
   * Marks these functions' code as changed: bumps their code version, retires their idle
   * instances at once and busy ones when they finish, re-initializes provisioned ones.
   * Returns the new code version.
   */
  reloadCode(functionNames: string[]): number;
}

/** A ConfigSource that hot reload can replace; the runtime and the features follow each replacement. */
export interface ConfigStore extends ConfigSource {
  replace(next: ServiceConfig): void;
}
