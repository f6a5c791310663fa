// Execution environments run under Linux's SCHED_BATCH policy: the same CPU share as any other
// thread, but a thread that wakes up waits for the running one's turn to end instead of preempting it.
// Without it, handing an event to an instance's thread preempted the main thread on the spot (0.6
// involuntary switches per request at 10 connections), and the main thread, which parses every
// request, spent a fifth of its time waiting for a CPU. Node has no API for the policy, and a thread
// (or process) inherits it from the thread that creates it, so the main thread takes it once,
// through util-linux's `chrt`, before the first environment starts. Where that cannot be done (not
// Linux, no `chrt`) nothing changes but throughput.
import { spawnSync } from 'node:child_process';

let tried = false;

/** Puts this process's main thread (and so every thread it starts later) under SCHED_BATCH; tries once. */
export function useBatchScheduling(): void {
  if (tried) return;
  tried = true;
  if (process.platform !== 'linux') return;
  // The process id names the main thread; the threads already running keep their policy. A failure
  // (no chrt, a container that forbids the call) leaves everything as it was.
  spawnSync('chrt', ['--batch', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5000 });
}
