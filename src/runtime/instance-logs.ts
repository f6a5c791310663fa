// The log lines of one instance: its handler's console lines (to the bus and, during an
// invocation, to that invocation's CloudWatch-style log), the lines the runtime writes about
// failures, and the wait for the lines of the init phase.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from '../events/bus.js';
import type { FunctionErrorPayload } from '../types/runtime.js';
import { handlerLine } from '../types/log-lines.js';
import type { WorkerLogMessage } from './worker/protocol.js';

/** How long the init phase's lines are awaited after its result, ms. */
const INIT_LOGS_WAIT_MS = 200;

/** The log of one instance. */
export class InstanceLogs {
  private current: { requestId: string; lines: string[] } | null = null;
  /** Lines posted by the init phase so far, and a waiter for the rest. */
  private readonly initLogs = { received: 0, expected: 0, wake: undefined as (() => void) | undefined };

  constructor(
    private readonly bus: EventBus,
    private readonly functionName: string,
    private readonly instanceId: string,
  ) {}

  /** A console line the environment posted. */
  onLog(m: WorkerLogMessage): void {
    const line = handlerLine(m.time, m.requestId, m.level, m.message);
    if (m.requestId === undefined) {
      this.initLogs.received++;
      if (this.initLogs.received >= this.initLogs.expected) this.initLogs.wake?.();
    }
    const cur = this.current;
    // An invocation's lines travel on the same port as its result, so all of them precede it.
    if (cur && m.requestId === cur.requestId) cur.lines.push(line);
    this.bus.log({ time: m.time, function: this.functionName, instanceId: this.instanceId, requestId: m.requestId, level: m.level, message: m.message });
  }

  /** Starts collecting the lines of invocation `requestId`. */
  begin(requestId: string): void {
    this.current = { requestId, lines: [] };
  }

  /** The handler lines of the invocation that just ended. */
  end(): string[] {
    const lines = this.current?.lines ?? [];
    this.current = null;
    return lines;
  }

  /**
   * Logs a failed init phase's error as the Node.js runtime does
   * (`Uncaught Exception \t{"errorType":...,"errorMessage":...,"stack":[...]}`); returns its line.
   */
  uncaught(e: FunctionErrorPayload): string {
    const message = `Uncaught Exception \t${JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, stack: e.trace })}`;
    const time = Date.now();
    this.bus.publish({ type: 'log', time, function: this.functionName, instanceId: this.instanceId, level: 'ERROR', message });
    return handlerLine(time, undefined, 'ERROR', message);
  }

  /** Logs a failed invocation's error, as the Node runtime does: `ERROR\tInvoke Error \t{...}`. */
  invokeError(requestId: string, e: FunctionErrorPayload): void {
    const message = `Invoke Error \t${JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, stack: e.trace })}`;
    const time = Date.now();
    this.current?.lines.push(handlerLine(time, requestId, 'ERROR', message));
    this.bus.log({ time, function: this.functionName, instanceId: this.instanceId, requestId, level: 'ERROR', message });
  }

  /** A line of the platform (INIT_REPORT, the timeout message). */
  platform(message: string, requestId?: string): void {
    this.bus.log({ function: this.functionName, instanceId: this.instanceId, requestId, level: 'PLATFORM', message });
  }

  /**
   * Lines printed while the module loads travel on the instance port, the init result on piscina's:
   * they are let in before instance.init.end, as CloudWatch shows them.
   */
  async awaitInitLogs(expected: number): Promise<void> {
    const l = this.initLogs;
    if (l.received >= expected) return;
    l.expected = expected;
    await Promise.race([new Promise<void>((resolve) => (l.wake = resolve)), sleep(INIT_LOGS_WAIT_MS)]);
    l.wake = undefined;
  }
}
