// A safety net under the native watcher for the files that matter most (the configuration and
// every local file a handler imports): their size and mtime are polled a few times a second, so a
// save that native events miss (seen with chokidar on inotify when saves follow each other
// closely) still reloads. node_modules is never among them, so the list stays short.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Polls files and reports those whose size or modification time changed. */
export class FilePoller {
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly files: () => string[],
    private readonly onChange: (file: string) => void,
    private readonly intervalMs = 250,
  ) {}

  /** Records the current state of the files and starts polling. */
  async start(): Promise<void> {
    for (const f of this.files()) this.seen.set(f, await signature(f));
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  /** One round of polling (the interval runs it; public for tests). */
  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const f of this.files()) {
        const before = this.seen.get(f);
        const sig = await signature(f);
        // Acknowledged while the stat was in flight: that reading is newer than this one, and this
        // one, taken perhaps before a save, must not overwrite it (it would be reported as a change).
        if (this.seen.get(f) !== before) continue;
        // A fresh change is left to the native watcher for a moment; reporting it here too would
        // reload twice. Only a change the watcher did not acknowledge by the next poll is reported.
        if (before !== undefined && before !== sig && Date.now() - mtimeOf(sig) < GRACE_MS) continue;
        this.seen.set(f, sig);
        if (before !== undefined && before !== sig) this.onChange(f);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * The native watcher reported this file: its state now is recorded so the poller does not report
   * the same save again. Read synchronously, at the moment of the event: a later save still differs.
   */
  acknowledge(file: string): void {
    if (this.seen.has(file)) this.seen.set(file, signatureSync(file));
  }

  /** Stops polling. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** How long a change is left to the native watcher before the poller reports it. */
const GRACE_MS = 150;

function mtimeOf(sig: string): number {
  const colon = sig.indexOf(':');
  return colon < 0 ? 0 : Number(sig.slice(colon + 1));
}

function signatureSync(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

async function signature(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
