// The child processes a thread instance's handler started (reported by worker/child-tracker.ts),
// ended with the instance as Lambda ends a whole sandbox.
import { readFileSync } from 'node:fs';

/** Pids of one instance's live child processes. */
export class InstanceChildren {
  private readonly pids = new Set<number>();

  /** Records a start or an exit reported by the instance. */
  record(pid: number, exited: boolean): void {
    if (exited) this.pids.delete(pid);
    else this.pids.add(pid);
  }

  /** Number of children still running (as far as the instance reported). */
  get size(): number {
    return this.pids.size;
  }

  /** Kills every child still running that is still this process's child (a pid may have been reused). */
  killAll(): void {
    for (const pid of this.pids) {
      if (isOwnChild(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
    this.pids.clear();
  }
}

// The parent pid field of /proc/PID/stat (after the parenthesised command name, which may hold
// spaces). Where /proc does not exist, the pid is trusted: a thread's child that has exited
// stays a zombie until reaped, so its pid is not reused while it is recorded here.
function isOwnChild(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' || !hasProc();
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]) === process.pid;
}

let procExists: boolean | undefined;
function hasProc(): boolean {
  if (procExists === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procExists = true;
    } catch {
      procExists = false;
    }
  }
  return procExists;
}
