// One instance: an explicit state machine (initializing -> idle <-> busy -> retired) around its
// execution environment (a worker thread, or a child process under `isolation: process`). The
// init phase (init-phase.ts), the model's time (modelled-time.ts), what an end means
// (invocation-outcome.ts) and the log (instance-logs.ts) each live in a module of their own; this
// one drives them through an instance's life.
import { randomBytes } from 'node:crypto';
import type { EventBus } from '../events/bus.js';
import type { EmulatorSettings, FunctionConfig, InitType } from '../types/config.js';
import type { InstanceSnapshot, InstanceState, InvocationCompleted, InvocationSource, RetireReason } from '../types/runtime.js';
import { buildCompletion } from './completion.js';
import { environmentVariables, logStreamName, workerBootData } from './environment-setup.js';
import { ExecutionEnvironment } from './execution-environment.js';
import { InitPhase } from './init-phase.js';
import { InstanceLogs } from './instance-logs.js';
import { settleInvocation, type InvocationEnd, type SettledInvocation } from './invocation-outcome.js';
import { InvocationClock, isRealistic, settleModelledRun } from './modelled-time.js';
import type { SpareEnvironments } from './spare-environments.js';

/** What an instance needs besides its function. */
export interface InstanceOptions {
  fn: FunctionConfig;
  initType: InitType;
  codeVersion: number;
  bus: EventBus;
  settings: EmulatorSettings;
  random: () => number;
  region: string;
  serviceDir: string;
  /** `http://HOST:PORT` of the emulator (known once it listens). */
  endpoint: () => string;
  /** Where the instance's environment comes from: a spare booted ahead, or a new one. */
  spares: SpareEnvironments;
}

/** The request an instance runs. */
export interface InstanceInvocation {
  requestId: string;
  payloadJson: string;
  source: InvocationSource;
  clientContext?: unknown;
}

const LEGAL: Record<InstanceState, InstanceState[]> = {
  initializing: ['idle', 'busy', 'retired'],
  idle: ['busy', 'retired'],
  busy: ['idle', 'retired'],
  retired: [],
};

/** One instance of a function and its execution environment. */
export class Instance {
  readonly id = randomBytes(4).toString('hex');
  readonly createdAt = Date.now();
  readonly fn: FunctionConfig;
  readonly initType: InitType;
  readonly codeVersion: number;
  state: InstanceState = 'initializing';
  invocations = 0;
  lastUsed = this.createdAt;
  /** Set by the pool when the instance must retire as soon as its invocation ends. */
  retireWhenDone: RetireReason | null = null;

  private readonly opts: InstanceOptions;
  private readonly logs: InstanceLogs;
  private readonly logStream = logStreamName();
  private readonly initPhase: InitPhase;
  private environment: ExecutionEnvironment | null = null;
  private maxMemoryMb = 0;
  private diedOutsideTask = false;

  constructor(opts: InstanceOptions) {
    this.opts = opts;
    this.fn = opts.fn;
    this.initType = opts.initType;
    this.codeVersion = opts.codeVersion;
    this.logs = new InstanceLogs(opts.bus, opts.fn.name, this.id);
    this.initPhase = new InitPhase({
      id: this.id,
      opts,
      logs: this.logs,
      startEnvironment: (entryFile) => this.startEnvironment(entryFile),
      dropEnvironment: () => this.dropEnvironment(),
    });
  }

  private transition(to: InstanceState): void {
    if (!LEGAL[this.state].includes(to)) throw new Error(`instance ${this.id}: illegal transition ${this.state} -> ${to}`);
    this.state = to;
  }

  /** Public view for the state endpoint. */
  snapshot(): InstanceSnapshot {
    return {
      id: this.id,
      function: this.fn.name,
      state: this.state,
      initType: this.initType,
      codeVersion: this.codeVersion,
      invocations: this.invocations,
      lastUsed: this.lastUsed,
      createdAt: this.createdAt,
    };
  }

  /** True when the environment died between invocations and the instance can no longer serve. */
  get dead(): boolean {
    return this.diedOutsideTask;
  }

  /** Whether its init failed (the instance cannot serve). */
  get initFailed(): boolean {
    return this.initPhase.failed;
  }

  /**
   * The cold start: platform delay, then the init phase, held to the modelled Init Duration.
   * Resolves when the instance can take its first invocation (or has failed its init).
   */
  initialize(): Promise<void> {
    return this.initPhase.run();
  }

  // The instance's environment, a spare or one booted now, for the compiled handler `entryFile`.
  private startEnvironment(entryFile: string): ExecutionEnvironment {
    const { fn, region, serviceDir, settings, spares } = this.opts;
    const env = environmentVariables(fn, {
      region,
      serviceDir,
      initType: this.initType,
      logStream: this.logStream,
      endpoint: this.opts.endpoint(),
      host: process.env,
      isOffline: settings.isOffline,
    });
    const boot = workerBootData(fn, { entryFile, region, logStream: this.logStream, instanceId: this.id });
    const onDeath = () => {
      this.diedOutsideTask = true;
    };
    this.environment = new ExecutionEnvironment(spares.take(fn.memorySize), boot, env, (m) => this.logs.onLog(m), onDeath, spares.resources.memoryWatch);
    return this.environment;
  }

  // A failed init is re-run on a fresh environment.
  private async dropEnvironment(): Promise<void> {
    await this.environment?.destroy();
    this.environment = null;
  }

  /** Runs one invocation. The first one after a cold start reports its Init Duration. */
  async invoke(req: InstanceInvocation, cold: boolean): Promise<InvocationCompleted> {
    this.transition('busy');
    this.invocations++;
    const { fn, bus } = this.opts;
    const clock = new InvocationClock(fn.timeout * 1000);
    const init = cold ? this.initPhase.outcome : null;
    const preLines = init ? [...init.logLines] : [];
    this.logs.begin(req.requestId);
    bus.publish({ type: 'invoke.start', time: Date.now(), function: fn.name, instanceId: this.id, requestId: req.requestId, cold, source: req.source });
    const end = await this.run(req, clock, preLines);
    const settled = settleInvocation(end, { requestId: req.requestId, timeoutSeconds: fn.timeout, memorySizeMb: fn.memorySize, elapsedMs: () => clock.elapsed() });
    if (settled.outcome === 'oom') this.maxMemoryMb = fn.memorySize;
    return this.complete(req, cold, settled, init?.initDurationMs, preLines);
  }

  // A failed init is re-run first ("suppressed init"); then the handler runs, held to the modelled
  // duration. INIT_REPORT lines of a re-run are added to `preLines`.
  private async run(req: InstanceInvocation, clock: InvocationClock, preLines: string[]): Promise<InvocationEnd> {
    if (this.initPhase.outcome?.rerun && !this.environment) {
      const rerun = await this.initPhase.rerunInsideInvoke(clock);
      preLines.push(...rerun.lines);
      if (rerun.failure) return { kind: 'failed', failure: rerun.failure };
    }
    const initError = this.initPhase.outcome?.error;
    if (initError) return { kind: 'init-error', error: initError };
    if (!this.environment) return { kind: 'skipped' };
    const remaining = clock.timeoutMs - clock.elapsed();
    const run = await this.environment.invoke(
      { requestId: req.requestId, eventJson: req.payloadJson, deadline: Date.now() + remaining, clientContext: req.clientContext, measureCpu: isRealistic(this.opts) },
      Math.max(1, remaining),
    );
    if (!run.ok) return { kind: 'failed', failure: run.failure };
    const result = run.value;
    this.maxMemoryMb = Math.max(this.maxMemoryMb, result.memoryUsedMb);
    const modelled = await settleModelledRun(this.opts, clock, result);
    if (!modelled.timedOut && result.error) this.logs.invokeError(req.requestId, result.error);
    return { kind: 'returned', result, ...modelled };
  }

  private complete(req: InstanceInvocation, cold: boolean, r: SettledInvocation, initDurationMs: number | undefined, preLines: string[]): InvocationCompleted {
    const handlerLines = this.logs.end();
    if (r.extraLine) this.logs.platform(r.extraLine, req.requestId);
    this.lastUsed = Date.now();
    // The spread goes last: `{ ...r, more }` falls off V8's fast path (about 9 µs a call on Node 20).
    const { event, result } = buildCompletion(
      { fn: this.fn, instanceId: this.id, requestId: req.requestId, cold, initType: this.initType, maxMemoryUsedMb: this.maxMemoryMb, handlerLines, initDurationMs, preLines, ...r },
      this.lastUsed,
    );
    this.opts.bus.publish(event);
    return result;
  }

  /** Marks the end of an invocation that left the instance usable. */
  release(): void {
    if (this.state === 'busy') this.transition('idle');
  }

  /** Initialized and waiting: used after a provisioned init. */
  markReady(): void {
    if (this.state === 'initializing') this.transition('idle');
  }

  /** Takes the instance out of service for good and ends its environment. */
  retire(reason: RetireReason): void {
    if (this.state === 'retired') return;
    this.state = 'retired';
    void this.environment?.destroy();
    this.environment = null;
    this.opts.bus.publish({ type: 'instance.retired', time: Date.now(), function: this.fn.name, instanceId: this.id, reason });
  }
}
