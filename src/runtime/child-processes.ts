// The child processes a thread instance's handler started (reported by worker/child-tracker.ts),
// ended with the instance as Lambda ends a whole sandbox.
import { readdirSync, readFileSync } from 'node:fs';

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

  /**
   * Kills every child still running that is still this process's child (a pid may have been
   * reused), and what those children started in turn (`exec` runs a shell, which starts the command).
   */
  killAll(): void {
    if (this.pids.size === 0) return;
    const own = [...this.pids].filter(isOwnChild);
    this.pids.clear();
    for (const pid of [...own, ...descendantsOf(own)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

/** Every process below the given ones, from /proc (none where there is no /proc). */
function descendantsOf(roots: number[]): number[] {
  if (roots.length === 0 || !hasProc()) return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

// The parent pid field of /proc/PID/stat (after the parenthesised command name, which may hold
// spaces). Where /proc does not exist, the pid is trusted: a thread's child that has exited
// stays a zombie until reaped, so its pid is not reused while it is recorded here.
function isOwnChild(pid: number): boolean {
  if (!hasProc()) return true;
  return parentOf(pid) === process.pid;
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
