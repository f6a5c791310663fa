// The init phase of one instance: the platform delay, loading the handler in a new environment,
// held to the modelled Init Duration and cut at its limit; and, when it did not finish, its re-run
// inside the first invocation, as Lambda does ("suppressed init").
import { performance } from 'node:perf_hooks';
import type { LocalTiming } from '../types/events.js';
import type { FunctionErrorPayload } from '../types/runtime.js';
import { compileHandler } from '../code/compile.js';
import { packageSizeEstimated } from '../code/package-status.js';
import { isColdstartError } from '../types/errors.js';
import { failureErrorType, initDiedEarly, type EnvironmentFailure } from './environment-death.js';
import type { ExecutionEnvironment } from './execution-environment.js';
import type { InstanceLogs } from './instance-logs.js';
import type { InstanceOptions } from './instance.js';
import { initReportLine } from '../types/log-lines.js';
import { drawInitSpread, initLimitMs, isRealistic, localTiming, modelledInitMs, platformDelay, sleepUntil, type InvocationClock } from './modelled-time.js';
import type { InitResult } from './worker/protocol.js';

/** Outcome of an init phase, carried into the first invocation. */
export interface InitOutcome {
  initDurationMs: number;
  error?: FunctionErrorPayload;
  /**
   * The init did not finish (it passed its limit, or the environment died or ran out of memory):
   * it is re-run inside the first invocation.
   */
  rerun: boolean;
  logLines: string[];
}

/** What the init phase needs of its instance. */
export interface InitHost {
  readonly id: string;
  readonly opts: InstanceOptions;
  readonly logs: InstanceLogs;
  /** Starts the instance's environment for the compiled handler `entryFile`. */
  startEnvironment(entryFile: string): ExecutionEnvironment;
  /** Ends the instance's environment (a failed init is re-run on a fresh one). */
  dropEnvironment(): Promise<void>;
}

/** A re-run of the init phase inside an invocation: its INIT_REPORT lines, and how it failed if it did. */
export interface InitRerun {
  lines: string[];
  failure?: EnvironmentFailure;
}

/** The init phase of one instance, and its outcome. */
export class InitPhase {
  /** Null until the init phase ran. */
  outcome: InitOutcome | null = null;

  constructor(private readonly host: InitHost) {}

  /**
   * The cold start: platform delay, then the init phase, held to the modelled Init Duration.
   * Resolves when the instance can take its first invocation (or has failed its init).
   */
  async run(): Promise<void> {
    const { fn, serviceDir, random } = this.host.opts;
    const spread = drawInitSpread(this.host.opts, random);
    // The exact package size may still be measured in the background; its fast estimate is enough.
    await packageSizeEstimated(fn);
    const platformMs = platformDelay(this.host.opts, spread);
    const platformStart = performance.now();
    let entryFile: string;
    try {
      entryFile = (await compileHandler(fn.handlerFile, serviceDir)).entryFile;
    } catch (err) {
      const msg = isColdstartError(err) ? err.describe() : String(err);
      const error: FunctionErrorPayload = { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: msg, trace: [] };
      this.publishStart();
      this.outcome = { initDurationMs: 0, error, rerun: false, logLines: [this.host.logs.uncaught(error)] };
      this.publishEnd(0, 0, 0, platformMs, msg);
      return;
    }
    // The environment boots during the platform delay: booting Node is this machine's cost, which
    // the model's runtime base already stands for.
    const environment = this.host.startEnvironment(entryFile);
    await sleepUntil(platformStart + platformMs);
    this.publishStart();
    const start = performance.now();
    const limit = initLimitMs(this.host.opts);
    const run = await environment.init(limit, isRealistic(this.host.opts));
    if (!run.ok && initDiedEarly(run.failure)) {
      // The environment died or ran out of memory: the init phase failed now, not at its limit.
      const duration = performance.now() - start;
      const errorType = failureErrorType(run.failure);
      await this.endForRerun(initReportLine(duration, 'init', 'error', errorType), duration, duration, duration, platformMs, errorType);
      return;
    }
    if (run.ok) await this.host.logs.awaitInitLogs(run.value.logCount);
    const measured = run.ok ? run.value : null;
    const target = measured ? modelledInitMs(this.host.opts, this.host.opts.initType, measured, spread) : 0;
    if (!run.ok || target > limit) {
      // Lambda cuts the init at its limit and retries it inside the first invocation.
      await sleepUntil(start + limit);
      const duration = performance.now() - start;
      await this.endForRerun(initReportLine(duration, 'init', 'timeout'), duration, measured?.wallMs ?? duration, target || duration, platformMs, 'timeout');
      return;
    }
    await sleepUntil(start + target);
    this.finish(measured!, performance.now() - start, target, platformMs, 'init');
  }

  /** Re-runs a failed init phase inside the first invocation, on a fresh environment, throttled like the invoke phase and counted against the timeout. */
  async rerunInsideInvoke(clock: InvocationClock): Promise<InitRerun> {
    const { fn, serviceDir } = this.host.opts;
    const entryFile = (await compileHandler(fn.handlerFile, serviceDir)).entryFile;
    const t0 = clock.elapsed();
    const started = performance.now();
    const environment = this.host.startEnvironment(entryFile);
    const run = await environment.init(Math.max(1, clock.timeoutMs - t0), isRealistic(this.host.opts));
    if (!run.ok) {
      const line = initDiedEarly(run.failure) ? initReportLine(performance.now() - started, 'invoke', 'error', failureErrorType(run.failure)) : null;
      if (line) this.host.logs.platform(line);
      return { lines: line ? [line] : [], failure: run.failure };
    }
    await this.host.logs.awaitInitLogs(run.value.logCount);
    const target = modelledInitMs(this.host.opts, 'suppressed', run.value, 1);
    if (t0 + target > clock.timeoutMs) {
      await clock.waitUntil(clock.timeoutMs);
      return { lines: [], failure: { kind: 'timeout' } };
    }
    await sleepUntil(started + target);
    this.finish(run.value, performance.now() - started, target, 0, 'invoke');
    return { lines: this.outcome?.logLines ?? [] };
  }

  /** Whether the init failed with an error (the instance cannot serve). */
  get failed(): boolean {
    return !!this.outcome?.error;
  }

  // Lambda re-runs a failed init phase inside the first invocation, on a fresh runtime.
  private async endForRerun(line: string, duration: number, measuredMs: number, modelledMs: number, platformMs: number, error: string): Promise<void> {
    this.outcome = { initDurationMs: duration, rerun: true, logLines: [line] };
    this.publishEnd(duration, measuredMs, modelledMs, platformMs, error);
    this.host.logs.platform(line);
    await this.host.dropEnvironment();
  }

  private finish(measured: InitResult, duration: number, target: number, platformMs: number, phase: 'init' | 'invoke'): void {
    const lines: string[] = [];
    if (measured.error) {
      // Lambda logs the error itself before INIT_REPORT: the terminal shows why, not only the type.
      lines.push(this.host.logs.uncaught(measured.error));
      const line = initReportLine(duration, phase, 'error', measured.error.errorType);
      lines.push(line);
      this.host.logs.platform(line);
    }
    this.outcome = { initDurationMs: duration, error: measured.error, rerun: false, logLines: lines };
    this.publishEnd(duration, measured.wallMs, target || duration, platformMs, measured.error?.errorType, localTiming(measured));
  }

  private publishStart(): void {
    const { fn, initType, codeVersion, bus } = this.host.opts;
    bus.publish({ type: 'instance.init.start', time: Date.now(), function: fn.name, instanceId: this.host.id, initType, codeVersion });
  }

  private publishEnd(initDurationMs: number, measuredMs: number, modelledMs: number, platformDelayMs: number, error?: string, measured?: LocalTiming): void {
    const fn = this.host.opts.fn;
    this.host.opts.bus.publish({
      type: 'instance.init.end',
      time: Date.now(),
      function: fn.name,
      instanceId: this.host.id,
      initDurationMs,
      measuredMs,
      modelledMs,
      platformDelayMs,
      packageBytes: fn.packageBytes,
      ...(fn.packageSizeExact === false ? { packageSizeEstimated: true as const } : {}),
      ...(error ? { error } : {}),
      ...(measured ? { measured } : {}),
    });
  }
}
