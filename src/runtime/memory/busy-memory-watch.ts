// Watches the memory of execution environments that are running synchronous code. A worker thread
// in that state reads no messages until its code yields, so its own memory watch
// (environment-memory.ts) cannot run, and V8's cap (memorySize + 1 GB, heap-caps.ts) would stop a
// leak only seconds later. A thread whose event loop stayed busy for a whole check interval is
// measured through the inspector (heap-probe.ts) and ended like any other instance over its memory
// size. An environment in a process of its own has its resident memory read instead
// (resident-memory.ts).
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { HeapProbe } from './heap-probe.js';
import { residentOverLimit } from './resident-memory.js';

/** How often running environments are looked at, ms. */
const CHECK_MS = 100;
/** The share of a check interval a thread's event loop must have been busy to be measured. */
const BUSY_UTILIZATION = 0.9;
/** Checks after which an unanswered question is given up (the thread is asked again if still busy). */
const ANSWER_CHECKS = 10;

/** An environment running a task, as the watch sees it. */
export interface WatchedEnvironment {
  /** The thread, once started. */
  worker(): Worker | undefined;
  /** The process, once started, for an instance in a process of its own. */
  pid(): number | undefined;
  readonly memoryMb: number;
  /** Called once the environment measured more than `memoryMb` in use. */
  overMemory(usedMb: number): void;
}

interface Watch {
  last?: EventLoopUtilization;
  /** The question put to the thread and not yet answered, and how many checks ago. */
  question?: { id: number; age: number };
}

/** One interval for all running environments of a runtime, so a task costs a map entry, not a timer. */
export class BusyMemoryWatch {
  private readonly running = new Map<WatchedEnvironment, Watch>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly heapProbe: HeapProbe) {}

  /** Starts watching an environment whose task began. */
  add(environment: WatchedEnvironment): void {
    this.running.set(environment, {});
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.timer.unref();
  }

  /** Stops watching an environment whose task ended. */
  delete(environment: WatchedEnvironment): void {
    const question = this.running.get(environment)?.question;
    if (question) this.heapProbe.forget(question.id);
    this.running.delete(environment);
  }

  private check(): void {
    if (this.running.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      return;
    }
    for (const [environment, watch] of this.running) {
      const pid = environment.pid();
      if (pid !== undefined) {
        const residentMb = residentOverLimit(pid, environment.memoryMb);
        if (residentMb !== null) environment.overMemory(residentMb);
        continue;
      }
      const worker = environment.worker();
      if (!worker) continue;
      if (watch.question) {
        const answer = this.heapProbe.take(watch.question.id);
        if (answer === undefined && ++watch.question.age < ANSWER_CHECKS) continue;
        if (answer === undefined) this.heapProbe.forget(watch.question.id);
        watch.question = undefined;
        if (typeof answer === 'number' && answer > environment.memoryMb) {
          environment.overMemory(answer);
          continue;
        }
      }
      const now = worker.performance.eventLoopUtilization();
      const busy = watch.last !== undefined && worker.performance.eventLoopUtilization(now, watch.last).utilization >= BUSY_UTILIZATION;
      watch.last = now;
      if (!busy) continue;
      const id = this.heapProbe.ask(worker.threadId);
      if (id !== null) watch.question = { id, age: 0 };
    }
  }
}
