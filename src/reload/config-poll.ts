// A safety net under the native watcher for the configuration files: their size and mtime are
// polled a few times a second, so a save that native file events miss (seen with inotify under
// rapid successive writes) still reloads. The files are few and small; a stat each is cheap.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Polls files and reports those whose size or modification time changed. */
export class ConfigFilePoller {
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
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const f of this.files()) {
        const sig = await signature(f);
        const before = this.seen.get(f);
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
