// Lambda ends everything an environment started when it ends the environment. In a worker
// thread, a handler's child process is a child of the emulator itself and would outlive its
// instance (and the emulator): each one started here is reported to the main thread, which ends
// it with the instance (../child-processes.ts). Every way of starting one (spawn, exec, execFile,
// fork) goes through ChildProcess.prototype.spawn; the synchronous ones wait for their child.
import { ChildProcess } from 'node:child_process';
import { isMainThread } from 'node:worker_threads';

/** Reports the pid of every child process this thread starts, and its exit. */
export function trackChildProcesses(report: (event: { kind: 'child-process'; pid: number; exited: boolean }) => void): void {
  // A process of its own (isolation: process) is ended with its whole process group instead.
  if (isMainThread) return;
  const proto = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, ...args: unknown[]): unknown };
  const original = proto.spawn;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const result = original.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      report({ kind: 'child-process', pid, exited: false });
      this.once('exit', () => report({ kind: 'child-process', pid, exited: true }));
    }
    return result;
  };
}
