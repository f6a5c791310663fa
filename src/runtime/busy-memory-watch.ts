// Watches the memory of instance threads that are running synchronous code. Such a thread reads no
// messages until its code yields, so its own memory watch (worker/memory.ts) cannot run, and V8's
// cap (memorySize + 1 GB) would stop a leak only seconds later. A thread whose event loop stayed
// busy for a whole check interval is measured through the inspector (heap-probe.ts) and ended like
// any other instance over its memory size.
// An instance in a process of its own (`isolation: process`) has V8's cap at its memory size, but
// Buffers are outside V8's heap: a loop that never yields could fill the machine with them. Its
// resident anonymous memory is read from /proc instead, with room for what V8 holds beyond the
// live heap (the young generation, free pages not yet returned), so a handler inside its limit
// is never ended for it.
import { readFileSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { HeapProbe } from './heap-probe.js';

/** How often running threads are looked at, ms. */
const CHECK_MS = 100;
/** The share of a check interval a thread's event loop must have been busy to be measured. */
const BUSY_UTILIZATION = 0.9;
/** Checks after which an unanswered question is given up (the thread is asked again if still busy). */
const ANSWER_CHECKS = 10;
/**
 * Resident memory a process may hold above its memory size before it is ended, MB. A handler with
 * at most 65 MB alive and much garbage (test/fixtures/memory, `churn`) held 158-170 MB at 128 MB.
 */
const PROCESS_SLACK_MB = 96;

// A process's resident anonymous memory (its heaps and Buffers, not the shared code), MB; 0 off Linux.
function residentAnonMb(pid: number): number {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A thread running a task, as the watch sees it. */
export interface WatchedEnvironment {
  /** The thread, once started. */
  worker(): Worker | undefined;
  /** The process, once started, for an instance in a process of its own. */
  pid(): number | undefined;
  readonly memoryMb: number;
  /** Called once the thread measured more than `memoryMb` in use. */
  overMemory(usedMb: number): void;
}

interface Watch {
  last?: EventLoopUtilization;
  /** The question put to the thread and not yet answered, and how many checks ago. */
  question?: { id: number; age: number };
}

/** One interval for all running threads of a runtime, so a task costs a map entry, not a timer. */
export class BusyMemoryWatch {
  private readonly running = new Map<WatchedEnvironment, Watch>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly heapProbe: HeapProbe) {}

  /** Starts watching a thread whose task began. */
  add(thread: WatchedEnvironment): void {
    this.running.set(thread, {});
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.timer.unref();
  }

  /** Stops watching a thread whose task ended. */
  delete(thread: WatchedEnvironment): void {
    const question = this.running.get(thread)?.question;
    if (question) this.heapProbe.forget(question.id);
    this.running.delete(thread);
  }

  private check(): void {
    if (this.running.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      return;
    }
    for (const [thread, watch] of this.running) {
      const pid = thread.pid();
      if (pid !== undefined) {
        const residentMb = residentAnonMb(pid);
        if (residentMb > thread.memoryMb + PROCESS_SLACK_MB) thread.overMemory(residentMb);
        continue;
      }
      const worker = thread.worker();
      if (!worker) continue;
      if (watch.question) {
        const answer = this.heapProbe.take(watch.question.id);
        if (answer === undefined && ++watch.question.age < ANSWER_CHECKS) continue;
        if (answer === undefined) this.heapProbe.forget(watch.question.id);
        watch.question = undefined;
        if (typeof answer === 'number' && answer > thread.memoryMb) {
          thread.overMemory(answer);
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
