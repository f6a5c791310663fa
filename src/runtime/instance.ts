// One execution environment: an explicit state machine (initializing -> idle <-> busy -> retired)
// around a worker thread, applying the cold-start and CPU model to what the thread measures.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from '../events/bus.js';
import type { LocalTiming } from '../types/events.js';
import type { EmulatorSettings, FunctionConfig, InitType } from '../types/config.js';
import type { FunctionErrorPayload, InstanceSnapshot, InstanceState, InvocationCompleted, InvocationOutcome, InvocationSource, RetireReason } from '../types/runtime.js';
import { compileHandler } from '../code/compile.js';
import { packageSizeEstimated } from '../code/package-status.js';
import { isColdstartError } from '../types/errors.js';
import { drawSpread, invokeDurationMs, platformDelayMs, spreadInitDurationMs } from '../model/cold-start.js';
import { buildCompletion, failureErrorType, threadFailureError } from './completion.js';
import { instanceEnvironment, logStreamName, workerBootData } from './environment.js';
import { handlerLine, initReportLine, timeoutMessage } from '../types/log-lines.js';
import type { SpareThreads } from './spare-threads.js';
import { InstanceThread, type ThreadFailure } from './thread.js';
import type { InitResult, WorkerLogMessage } from './worker/protocol.js';

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
  /** Where the instance's thread comes from: a spare booted ahead, or a new one. */
  threads: SpareThreads;
}

/** The request an instance runs. */
export interface InstanceInvocation {
  requestId: string;
  payloadJson: string;
  source: InvocationSource;
  clientContext?: unknown;
}

/** Outcome of an init phase, carried into the first invocation. */
interface InitOutcome {
  initDurationMs: number;
  error?: FunctionErrorPayload;
  /**
   * The init did not finish (it passed the 10 s limit, or the thread died or ran out of memory):
   * it is re-run inside the first invocation.
   */
  rerun: boolean;
  logLines: string[];
}

const LEGAL: Record<InstanceState, InstanceState[]> = {
  initializing: ['idle', 'busy', 'retired'],
  idle: ['busy', 'retired'],
  busy: ['idle', 'retired'],
  retired: [],
};

/** One execution environment. */
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
  private readonly logStream = logStreamName();
  private thread: InstanceThread | null = null;
  private init: InitOutcome | null = null;
  private maxMemoryMb = 0;
  private current: { requestId: string; lines: string[] } | null = null;
  private diedOutsideTask = false;
  /** Lines posted by the init phase so far, and a waiter for the rest. */
  private initLogs = { received: 0, expected: 0, wake: undefined as (() => void) | undefined };

  constructor(opts: InstanceOptions) {
    this.opts = opts;
    this.fn = opts.fn;
    this.initType = opts.initType;
    this.codeVersion = opts.codeVersion;
  }

  private get realistic(): boolean {
    return this.opts.settings.coldStart === 'realistic';
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

  /** True when the thread died between invocations and the instance can no longer serve. */
  get dead(): boolean {
    return this.diedOutsideTask;
  }

  /**
   * The cold start: platform delay, then the init phase, held to the modelled Init Duration.
   * Resolves when the instance can take its first invocation (or has failed its init).
   */
  async initialize(): Promise<void> {
    const { settings, fn, bus } = this.opts;
    const model = settings.model;
    const spread = this.realistic ? drawSpread(model, this.opts.random) : 1;
    // The exact package size may still be measured in the background; its fast estimate is enough.
    await packageSizeEstimated(fn);
    const platformMs = this.realistic ? platformDelayMs(model, fn.packageBytes, fn.vpc) * spread : 0;
    const platformStart = performance.now();
    let entryFile: string;
    try {
      entryFile = (await compileHandler(fn.handlerFile, this.opts.serviceDir)).entryFile;
    } catch (err) {
      const msg = isColdstartError(err) ? err.describe() : String(err);
      const error: FunctionErrorPayload = { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: msg, trace: [] };
      bus.publish({ type: 'instance.init.start', time: Date.now(), function: fn.name, instanceId: this.id, initType: this.initType, codeVersion: this.codeVersion });
      this.init = { initDurationMs: 0, error, rerun: false, logLines: [this.logUncaught(error)] };
      this.publishInitEnd(0, 0, 0, platformMs, msg);
      return;
    }
    // The thread boots during the platform delay: booting a Node thread is this machine's cost,
    // which the model's runtime base already stands for.
    this.thread = this.startThread(entryFile);
    await sleepUntil(platformStart + platformMs);
    bus.publish({ type: 'instance.init.start', time: Date.now(), function: fn.name, instanceId: this.id, initType: this.initType, codeVersion: this.codeVersion });
    const start = performance.now();
    // Provisioned init may run up to max(130 s, timeout); on-demand init is cut at 10 s.
    const limit = this.initType === 'provisioned-concurrency' ? Math.max(130_000, fn.timeout * 1000) : model.initTimeoutMs;
    const run = await this.thread.init(limit, this.realistic);
    if (!run.ok && run.failure.kind !== 'timeout') {
      // The thread died or ran out of memory: the init phase failed now, not at its limit.
      const duration = performance.now() - start;
      const errorType = failureErrorType(run.failure);
      await this.endInitForRerun(initReportLine(duration, 'init', 'error', errorType), duration, duration, duration, platformMs, errorType);
      return;
    }
    if (run.ok) await this.awaitInitLogs(run.value.logCount);
    const measured = run.ok ? run.value : null;
    const target = measured && this.realistic ? spreadInitDurationMs(model, fn.memorySize, this.initType, measured, spread) : 0;
    if (!run.ok || target > limit) {
      // Lambda cuts the init at its limit and retries it inside the first invocation.
      await sleepUntil(start + limit);
      const duration = performance.now() - start;
      await this.endInitForRerun(initReportLine(duration, 'init', 'timeout'), duration, measured?.wallMs ?? duration, target || duration, platformMs, 'timeout');
      return;
    }
    await sleepUntil(start + target);
    this.finishInit(measured!, performance.now() - start, target, platformMs, 'init');
  }

  // Lambda re-runs a failed init phase inside the first invocation, on a fresh runtime.
  private async endInitForRerun(line: string, duration: number, measuredMs: number, modelledMs: number, platformMs: number, error: string): Promise<void> {
    this.init = { initDurationMs: duration, rerun: true, logLines: [line] };
    this.publishInitEnd(duration, measuredMs, modelledMs, platformMs, error);
    this.log('PLATFORM', line);
    await this.thread?.destroy();
    this.thread = null;
  }

  private finishInit(measured: InitResult, duration: number, target: number, platformMs: number, phase: 'init' | 'invoke'): void {
    const lines: string[] = [];
    if (measured.error) {
      // Lambda logs the error itself before INIT_REPORT: the terminal shows why, not only the type.
      lines.push(this.logUncaught(measured.error));
      const line = initReportLine(duration, phase, 'error', measured.error.errorType);
      lines.push(line);
      this.log('PLATFORM', line);
    }
    this.init = { initDurationMs: duration, error: measured.error, rerun: false, logLines: lines };
    this.publishInitEnd(duration, measured.wallMs, target || duration, platformMs, measured.error?.errorType, localTiming(measured));
  }

  // `Uncaught Exception \t{"errorType":...,"errorMessage":...,"stack":[...]}`, as the Node.js runtime logs a failed init.
  private logUncaught(e: FunctionErrorPayload): string {
    const message = `Uncaught Exception \t${JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, stack: e.trace })}`;
    const time = Date.now();
    this.opts.bus.publish({ type: 'log', time, function: this.fn.name, instanceId: this.id, level: 'ERROR', message });
    return handlerLine(time, undefined, 'ERROR', message);
  }

  private publishInitEnd(initDurationMs: number, measuredMs: number, modelledMs: number, platformDelayMs: number, error?: string, measured?: LocalTiming): void {
    this.opts.bus.publish({
      type: 'instance.init.end',
      time: Date.now(),
      function: this.fn.name,
      instanceId: this.id,
      initDurationMs,
      measuredMs,
      modelledMs,
      platformDelayMs,
      packageBytes: this.fn.packageBytes,
      ...(this.fn.packageSizeExact === false ? { packageSizeEstimated: true as const } : {}),
      ...(error ? { error } : {}),
      ...(measured ? { measured } : {}),
    });
  }

  private startThread(entryFile: string): InstanceThread {
    const fn = this.fn;
    const env = instanceEnvironment(fn, {
      region: this.opts.region,
      serviceDir: this.opts.serviceDir,
      initType: this.initType,
      logStream: this.logStream,
      endpoint: this.opts.endpoint(),
      host: process.env,
      isOffline: this.opts.settings.isOffline,
    });
    const boot = workerBootData(fn, { entryFile, region: this.opts.region, logStream: this.logStream, instanceId: this.id });
    const onDeath = () => {
      this.diedOutsideTask = true;
    };
    return new InstanceThread(this.opts.threads.take(fn.memorySize), boot, env, (m) => this.onLog(m), onDeath, this.opts.threads.resources.memoryWatch);
  }

  private onLog(m: WorkerLogMessage): void {
    const line = handlerLine(m.time, m.requestId, m.level, m.message);
    if (m.requestId === undefined) {
      this.initLogs.received++;
      if (this.initLogs.received >= this.initLogs.expected) this.initLogs.wake?.();
    }
    const cur = this.current;
    // An invocation's lines travel on the same port as its result, so all of them precede it.
    if (cur && m.requestId === cur.requestId) cur.lines.push(line);
    this.opts.bus.log({ time: m.time, function: this.fn.name, instanceId: this.id, requestId: m.requestId, level: m.level, message: m.message });
  }

  // The Node runtime logs a failed invocation's error as `ERROR\tInvoke Error \t{...}`.
  private logInvokeError(requestId: string, e: FunctionErrorPayload): void {
    const message = `Invoke Error \t${JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, stack: e.trace })}`;
    const time = Date.now();
    this.current?.lines.push(handlerLine(time, requestId, 'ERROR', message));
    this.opts.bus.log({ time, function: this.fn.name, instanceId: this.id, requestId, level: 'ERROR', message });
  }

  private log(level: string, message: string, requestId?: string): void {
    this.opts.bus.log({ function: this.fn.name, instanceId: this.id, requestId, level, message });
  }

  /** Runs one invocation. The first one after a cold start reports its Init Duration. */
  async invoke(req: InstanceInvocation, cold: boolean): Promise<InvocationCompleted> {
    this.transition('busy');
    this.invocations++;
    const { fn, bus, settings } = this.opts;
    const timeoutMs = fn.timeout * 1000;
    const start = performance.now();
    const init = cold ? this.init : null;
    const preLines = init ? [...init.logLines] : [];
    const initDurationMs = init?.initDurationMs;
    this.current = { requestId: req.requestId, lines: [] };
    bus.publish({ type: 'invoke.start', time: Date.now(), function: fn.name, instanceId: this.id, requestId: req.requestId, cold, source: req.source });

    let outcome: InvocationOutcome = 'success';
    let error: FunctionErrorPayload | undefined;
    let payloadJson = 'null';
    let durationMs = 0;
    let extraLine: string | undefined;
    let measured: LocalTiming | undefined;

    // A failed init is re-run here ("suppressed init"), throttled like the invoke phase and counted against the timeout.
    if (this.init?.rerun && !this.thread) {
      const reinit = await this.reinitInsideInvoke(timeoutMs, start);
      preLines.push(...reinit.lines);
      if (reinit.failure) ({ outcome, error } = threadFailureError(reinit.failure, req.requestId, fn.memorySize));
    }
    if (this.init?.error && outcome === 'success') {
      outcome = 'error';
      error = this.init.error;
    }
    if (outcome === 'success' && this.thread) {
      const remaining = timeoutMs - (performance.now() - start);
      const run = await this.thread.invoke(
        { requestId: req.requestId, eventJson: req.payloadJson, deadline: Date.now() + remaining, clientContext: req.clientContext, measureCpu: this.realistic },
        Math.max(1, remaining),
      );
      if (run.ok) {
        const r = run.value;
        measured = localTiming(r);
        this.maxMemoryMb = Math.max(this.maxMemoryMb, r.memoryUsedMb);
        const spent = performance.now() - start;
        const runMs = this.realistic ? invokeDurationMs(settings.model, fn.memorySize, r) : r.wallMs;
        const modelledEnd = spent - r.wallMs + runMs; // re-init time (if any) + the modelled run
        if (modelledEnd > timeoutMs) {
          outcome = 'timeout';
          await sleepUntil(start + timeoutMs);
        } else {
          await sleepUntil(start + modelledEnd);
          durationMs = this.realistic ? modelledEnd : spent;
          if (r.error) {
            outcome = 'error';
            error = r.error;
            this.logInvokeError(req.requestId, r.error);
          } else payloadJson = r.resultJson ?? 'null';
        }
      } else {
        ({ outcome, error } = threadFailureError(run.failure, req.requestId, fn.memorySize));
        if (outcome === 'timeout') durationMs = timeoutMs;
      }
    }
    if (outcome === 'timeout') {
      durationMs = timeoutMs;
      error = { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${req.requestId} Error: ${timeoutMessage(fn.timeout)}`, trace: [] };
      extraLine = `${new Date().toISOString()} ${req.requestId} ${timeoutMessage(fn.timeout)}`;
    } else if (outcome !== 'success' && durationMs === 0) {
      durationMs = performance.now() - start;
    }
    if (error) payloadJson = JSON.stringify(error);
    if (outcome === 'oom') this.maxMemoryMb = fn.memorySize;
    return this.complete(req, cold, { outcome, error, payloadJson, durationMs, initDurationMs, preLines, extraLine, measured });
  }

  private complete(
    req: InstanceInvocation,
    cold: boolean,
    r: { outcome: InvocationOutcome; error?: FunctionErrorPayload; payloadJson: string; durationMs: number; initDurationMs?: number; preLines: string[]; extraLine?: string; measured?: LocalTiming },
  ): InvocationCompleted {
    const handlerLines = this.current?.lines ?? [];
    this.current = null;
    if (r.extraLine) this.log('PLATFORM', r.extraLine, req.requestId);
    this.lastUsed = Date.now();
    // The spread goes last: `{ ...r, more }` falls off V8's fast path (about 9 µs a call on Node 20).
    const { event, result } = buildCompletion(
      { fn: this.fn, instanceId: this.id, requestId: req.requestId, cold, initType: this.initType, maxMemoryUsedMb: this.maxMemoryMb, handlerLines, ...r },
      this.lastUsed,
    );
    this.opts.bus.publish(event);
    return result;
  }

  private async reinitInsideInvoke(timeoutMs: number, start: number): Promise<{ lines: string[]; failure?: ThreadFailure }> {
    const fn = this.fn;
    const entryFile = (await compileHandler(fn.handlerFile, this.opts.serviceDir)).entryFile;
    const t0 = performance.now();
    this.thread = this.startThread(entryFile);
    const run = await this.thread.init(Math.max(1, timeoutMs - (t0 - start)), this.realistic);
    if (!run.ok) {
      const line = run.failure.kind === 'timeout' ? null : initReportLine(performance.now() - t0, 'invoke', 'error', failureErrorType(run.failure));
      if (line) this.log('PLATFORM', line);
      return { lines: line ? [line] : [], failure: run.failure };
    }
    await this.awaitInitLogs(run.value.logCount);
    const target = this.realistic ? spreadInitDurationMs(this.opts.settings.model, fn.memorySize, 'suppressed', run.value, 1) : 0;
    if (t0 - start + target > timeoutMs) {
      await sleepUntil(start + timeoutMs);
      return { lines: [], failure: { kind: 'timeout' } };
    }
    await sleepUntil(t0 + target);
    const duration = performance.now() - t0;
    this.finishInit(run.value, duration, target, 0, 'invoke');
    return { lines: this.init?.logLines ?? [] };
  }

  // Lines printed while the module loads travel on the instance port, the init result on piscina's: let them
  // arrive before instance.init.end, as CloudWatch shows them.
  private async awaitInitLogs(expected: number): Promise<void> {
    const l = this.initLogs;
    if (l.received >= expected) return;
    l.expected = expected;
    await Promise.race([new Promise<void>((resolve) => (l.wake = resolve)), sleep(200)]);
    l.wake = undefined;
  }

  /** Marks the end of an invocation that left the instance usable. */
  release(): void {
    if (this.state === 'busy') this.transition('idle');
  }

  /** Initialized and waiting: used after a provisioned init. */
  markReady(): void {
    if (this.state === 'initializing') this.transition('idle');
  }

  /** Takes the instance out of service for good and terminates its thread. */
  retire(reason: RetireReason): void {
    if (this.state === 'retired') return;
    this.state = 'retired';
    void this.thread?.destroy();
    this.thread = null;
    this.opts.bus.publish({ type: 'instance.retired', time: Date.now(), function: this.fn.name, instanceId: this.id, reason });
  }

  /** Whether its init failed (the instance cannot serve). */
  get initFailed(): boolean {
    return !!this.init?.error;
  }
}

async function sleepUntil(deadline: number): Promise<void> {
  const ms = deadline - performance.now();
  if (ms >= 1) await sleep(ms);
}

function localTiming(t: { cpuMs: number; wallMs: number; queuedMs: number }): LocalTiming {
  return { cpuMs: t.cpuMs, wallMs: t.wallMs, queuedMs: t.queuedMs };
}
