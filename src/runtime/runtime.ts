// The invocation service: one entry point for every front end, routing each call to a function's
// pool under the concurrency rules. It knows nothing of HTTP.
import { randomUUID } from 'node:crypto';
import { functionNotFoundMessage } from '../types/arn.js';
import type { EventBus } from '../events/bus.js';
import type { EmulatorSettings, FunctionConfig, ServiceConfig } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import { functionSettingsText } from '../config/function-settings.js';
import type { FunctionSnapshot, InvocationRequest, InvocationResult, SpareEnvironmentsStatus } from '../types/runtime.js';
import { provisionedProblem } from '../model/provisioned-bound.js';
import type { CodeReloader, ConcurrencyControls, FailureDestination, InvocationService, ProvisionedStatus } from '../types/service.js';
import { seededUniform } from '../model/random.js';
import { leavesMinimumUnreserved, MIN_UNRESERVED } from '../platform/admission.js';
import { AsyncInvoker } from './async-invoker.js';
import { ConcurrencyLimiter } from './concurrency.js';
import { FunctionPool } from './function-pool.js';
import type { Instance } from './instance.js';
import { createRuntimeResources, type RuntimeResources } from './runtime-resources.js';
import { SpareEnvironments } from './spare-environments.js';


/** Options that do not come from serverless.yml. */
export interface RuntimeOptions {
  /** `http://HOST:PORT` of the emulator, given to instances as COLDSTART_ENDPOINT. */
  endpoint: () => string;
  /** Put the main thread under SCHED_BATCH before the first instance starts (it changes the host process). */
  batchScheduling?: boolean;
}

/** The runtime: pools, limits, async queue, code versions. */
export class Runtime implements InvocationService, ConcurrencyControls, CodeReloader {
  private config: ServiceConfig;
  private readonly settings: EmulatorSettings;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byFullName = new Map<string, string>();
  private readonly limiter: ConcurrencyLimiter;
  private readonly asyncInvoker: AsyncInvoker;
  private readonly spares: SpareEnvironments;
  private readonly resources: RuntimeResources;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly random: () => number;
  private version = 1;
  private sweeper: NodeJS.Timeout | null = null;
  private accepting = true;

  constructor(
    config: ServiceConfig,
    private readonly bus: EventBus,
    private readonly options: RuntimeOptions,
  ) {
    this.config = config;
    this.settings = { ...config.settings };
    this.resources = createRuntimeResources({ batchScheduling: options.batchScheduling });
    this.spares = new SpareEnvironments(config.settings.isolation, this.resources);
    this.random = seededUniform(config.settings.seed);
    this.limiter = new ConcurrencyLimiter(config.settings.accountConcurrency);
    this.asyncInvoker = new AsyncInvoker({
      run: (req) => this.invoke(req),
      hasCapacity: (fn) => this.limiter.hasCapacity(fn),
      retryDelaysMs: () => this.settings.asyncRetryDelays.map((s) => s * 1000),
      onFailureTarget: (fn) => this.pools.get(fn)?.fn.onFailureTarget ?? null,
      reportFailure: (r, delivered) =>
        this.bus.log({
          time: r.time,
          function: r.function,
          requestId: r.requestId,
          level: 'ERROR',
          message:
            `Async invocation ${r.requestId} failed after ${r.attempts} attempt(s): ${r.errorType}: ${r.errorMessage}; ` +
            `payload ${r.payloadJson}; ${delivered ? `delivered to ${delivered}` : 'no on-failure destination received it'}`,
        }),
    });
    for (const fn of config.functions) this.addFunction(fn);
  }

  private addFunction(fn: FunctionConfig): FunctionPool {
    const pool = new FunctionPool(fn, this.version, {
      bus: this.bus,
      settings: this.settings,
      random: this.random,
      region: this.config.region,
      serviceDir: this.config.serviceDir,
      endpoint: this.options.endpoint,
      limiter: this.limiter,
      spares: this.spares,
    });
    this.pools.set(fn.name, pool);
    this.byFullName.set(fn.fullName, fn.name);
    this.limiter.setReservation(fn.name, fn.reservedConcurrency);
    return pool;
  }

  /**
   * Initializes provisioned concurrency, boots the spare environments and starts idle retirement;
   * resolves when both are ready.
   */
  async start(onProvisionedReady?: (fn: string, ready: number, total: number) => void): Promise<void> {
    this.startSweeper();
    await Promise.all([
      ...[...this.pools.values()].map((pool) => {
        let ready = 0;
        return pool.fillProvisioned(() => onProvisionedReady?.(pool.fn.name, ++ready, pool.provisionedTarget));
      }),
      this.configureSpares(),
    ]);
  }

  // Spares are kept for the memory sizes the functions have now.
  private configureSpares(): Promise<void> {
    return this.spares.configure(
      [...this.pools.values()].map((p) => p.fn.memorySize),
      this.settings.spareThreads,
      this.settings.isolation,
    );
  }

  /** The spare environments: how many are kept, ready and booting, and how many cold starts took one. */
  spareEnvironments(): SpareEnvironmentsStatus {
    return this.spares.status();
  }

  private startSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    const idleMs = this.settings.idleTimeout * 1000;
    // Sweeping on an interval keeps the invocation path free of per-call timers.
    this.sweeper = setInterval(() => {
      const cutoff = Date.now() - this.settings.idleTimeout * 1000;
      for (const pool of this.pools.values()) pool.sweepIdle(cutoff);
    }, Math.min(1000, Math.max(50, idleMs / 10)));
    this.sweeper.unref();
  }

  /** The pool of a function named by its short or its deployed (long) name. */
  private poolNamed(name: string): FunctionPool | undefined {
    return this.pools.get(name) ?? this.pools.get(this.byFullName.get(name) ?? '');
  }

  private poolFor(name: string): FunctionPool {
    const pool = this.poolNamed(name);
    if (!pool) {
      throw new ColdstartError('FUNCTION_NOT_FOUND', functionNotFoundMessage(this.config.region, name));
    }
    return pool;
  }

  /** Runs one invocation: a warm instance if one is idle, else a cold start if concurrency allows, else a throttle. */
  invoke(request: InvocationRequest): Promise<InvocationResult> {
    const pool = this.poolFor(request.functionName);
    const name = pool.fn.name;
    const requestId = request.requestId ?? randomUUID();
    const reason = this.accepting ? this.limiter.tryAcquire(name) : 'ConcurrentInvocationLimitExceeded';
    if (reason) {
      this.bus.publish({ type: 'invoke.throttled', time: Date.now(), function: name, requestId, reason, source: request.source });
      return Promise.resolve({ status: 'throttled', requestId, function: name, reason });
    }
    const p = this.run(pool, request, requestId).finally(() => {
      this.limiter.release(name);
      this.inFlight.delete(p);
      this.drainAsync();
    });
    this.inFlight.add(p);
    return p;
  }

  private async run(pool: FunctionPool, request: InvocationRequest, requestId: string): Promise<InvocationResult> {
    let inst: Instance | undefined = pool.takeIdle();
    const cold = !inst;
    if (!inst) {
      // Past 1,000 new instances in 10 s the function scales no faster: the call is throttled.
      if (!pool.scaling.take(performance.now())) {
        const reason = 'ConcurrentInvocationLimitExceeded';
        this.bus.publish({ type: 'invoke.throttled', time: Date.now(), function: pool.fn.name, requestId, reason, source: request.source });
        return { status: 'throttled', requestId, function: pool.fn.name, reason };
      }
      inst = pool.create('on-demand');
      await inst.initialize();
    }
    const result = await inst.invoke(
      { requestId, payloadJson: request.payloadJson, source: request.source, clientContext: request.clientContext },
      cold,
    );
    pool.afterInvoke(inst, result);
    return result;
  }

  // Called after every invocation: it looks only at functions that have events waiting.
  private drainAsync(): void {
    for (const name of [...this.asyncInvoker.waitingFunctions()]) this.asyncInvoker.drain(name);
  }

  /** Queues an Event invocation (202); it is never throttled to the caller. */
  invokeAsync(request: InvocationRequest): { requestId: string } {
    const pool = this.poolFor(request.functionName);
    return { requestId: this.asyncInvoker.enqueue(pool.fn.name, { ...request, functionName: pool.fn.name }) };
  }

  /** Registers the on-failure destination of async invocations. */
  setFailureDestination(d: FailureDestination): void {
    this.asyncInvoker.setDestination(d);
  }

  findFunction(name: string): FunctionConfig | undefined {
    return this.poolNamed(name)?.fn;
  }

  listFunctions(): FunctionConfig[] {
    return [...this.pools.values()].map((p) => p.fn);
  }

  codeVersion(name: string): number {
    return this.poolFor(name).codeVersion;
  }

  snapshot(): FunctionSnapshot[] {
    return [...this.pools.values()].map((p) => ({
      name: p.fn.name,
      fullName: p.fn.fullName,
      handler: p.fn.handler,
      memorySize: p.fn.memorySize,
      timeout: p.fn.timeout,
      reservedConcurrency: this.limiter.reservation(p.fn.name),
      provisionedConcurrency: p.provisionedTarget,
      codeVersion: p.codeVersion,
      packageBytes: p.fn.packageBytes,
      events: p.fn.events,
      instances: p.snapshot(),
    }));
  }

  /** Concurrent executions of a function now (busy or initializing instances). */
  concurrentExecutions(name: string): number {
    return this.limiter.running(this.poolFor(name).fn.name);
  }

  reloadCode(functionNames: string[]): number {
    this.version++;
    for (const name of functionNames) {
      const pool = this.poolNamed(name);
      if (pool) void pool.reload(this.version, pool.fn);
    }
    return this.version;
  }

  /** Follows a new configuration: added functions appear, removed ones retire, changed ones get a new version. */
  applyConfig(next: ServiceConfig): string[] {
    const prev = this.config;
    this.config = next;
    Object.assign(this.settings, next.settings);
    this.limiter.setAccountLimit(next.settings.accountConcurrency);
    this.startSweeper();
    const changed: string[] = [];
    const nextNames = new Set(next.functions.map((f) => f.name));
    for (const [name, pool] of this.pools) {
      if (nextNames.has(name)) continue;
      pool.retireAll('reload');
      this.pools.delete(name);
      this.byFullName.delete(pool.fn.fullName);
      this.limiter.setReservation(name, null);
      changed.push(name);
    }
    const before = new Map(prev.functions.map((f) => [f.name, functionSettingsText(f)]));
    const bumped: FunctionPool[] = [];
    for (const fn of next.functions) {
      const pool = this.pools.get(fn.name);
      if (!pool) {
        void this.addFunction(fn).fillProvisioned();
        changed.push(fn.name);
      } else if (before.get(fn.name) !== functionSettingsText(fn)) {
        const old = pool.fn;
        if (old.reservedConcurrency !== fn.reservedConcurrency) this.limiter.setReservation(fn.name, fn.reservedConcurrency);
        this.byFullName.delete(old.fullName);
        this.byFullName.set(fn.fullName, fn.name);
        pool.fn = fn;
        bumped.push(pool);
        changed.push(fn.name);
      }
    }
    if (bumped.length > 0) {
      this.version++;
      for (const pool of bumped) void pool.reload(this.version, pool.fn);
    }
    void this.configureSpares();
    return changed;
  }

  putReservedConcurrency(name: string, value: number): void {
    const pool = this.poolFor(name);
    if (!Number.isInteger(value) || value < 0) {
      throw new ColdstartError('INVALID_PARAMETER', `ReservedConcurrentExecutions must be a non-negative integer, got ${value}`);
    }
    const others = this.limiter.totalReserved - (this.limiter.reservation(pool.fn.name) ?? 0);
    if (!leavesMinimumUnreserved(this.limiter.account, others + value)) {
      throw new ColdstartError(
        'INVALID_PARAMETER',
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
      );
    }
    this.limiter.setReservation(pool.fn.name, value);
    this.drainAsync();
  }

  getReservedConcurrency(name: string): number | null {
    return this.limiter.reservation(this.poolFor(name).fn.name);
  }

  deleteReservedConcurrency(name: string): void {
    this.limiter.setReservation(this.poolFor(name).fn.name, null);
    this.drainAsync();
  }

  putProvisionedConcurrency(name: string, value: number): ProvisionedStatus {
    const pool = this.poolFor(name);
    if (!Number.isInteger(value) || value < 1) {
      throw new ColdstartError('INVALID_PARAMETER', `ProvisionedConcurrentExecutions must be an integer of at least 1, got ${value}`);
    }
    let otherUnreservedProvisioned = 0;
    for (const other of this.pools.values()) {
      if (other !== pool && this.limiter.reservation(other.fn.name) === null) otherUnreservedProvisioned += Math.max(0, other.provisionedTarget);
    }
    const problem = provisionedProblem(value, {
      reserved: this.limiter.reservation(pool.fn.name),
      accountConcurrency: this.limiter.account,
      totalReserved: this.limiter.totalReserved,
      otherUnreservedProvisioned,
    });
    if (problem) throw new ColdstartError('INVALID_PARAMETER', problem);
    void pool.setProvisioned(value);
    return this.getProvisionedConcurrency(name)!;
  }

  getProvisionedConcurrency(name: string): ProvisionedStatus | null {
    const pool = this.poolFor(name);
    if (pool.provisionedTarget <= 0) return null;
    const ready = pool.provisionedReady();
    return {
      requested: pool.provisionedTarget,
      allocated: ready,
      available: ready,
      status: ready >= pool.provisionedTarget ? 'READY' : 'IN_PROGRESS',
    };
  }

  deleteProvisionedConcurrency(name: string): void {
    void this.poolFor(name).setProvisioned(0);
  }

  /** Stops taking calls, lets in-flight invocations finish (each bounded by its timeout), retires everything. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    if (this.sweeper) clearInterval(this.sweeper);
    const dropped = await this.asyncInvoker.stop();
    for (const r of dropped) {
      this.bus.log({ function: r.functionName, requestId: r.requestId, level: 'WARN', message: `Async invocation ${r.requestId} not run before shutdown; payload ${r.payloadJson}` });
    }
    await Promise.allSettled([...this.inFlight]);
    for (const pool of this.pools.values()) pool.destroyAll('shutdown');
    await this.spares.close();
    this.resources.close();
  }
}
