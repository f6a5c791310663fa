// The welcome a console client gets: the snapshot, framed once and shared by every client that
// connects while it is fresh, followed by the event batches broadcast since it was built. One
// snapshot with a full history is megabytes of JSON; building and copying it per client made a
// burst of connections stall the server and pin gigabytes. Written to each socket as the same
// Buffer, it is held once however many clients are still reading it.
import { textFrames } from './frames.js';

/** A snapshot older than this is rebuilt for the next client, ms (queue counts and the like change without events). */
export const SNAPSHOT_MAX_AGE_MS = 1000;
/** Event bytes broadcast since the snapshot past which the next client gets a new one. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

/** Builds the snapshot at most once per change, and keeps what was broadcast since. */
export class SnapshotCache {
  private frames: Buffer | null = null;
  private builtAt = 0;
  private backlog: Buffer[] = [];
  private backlogBytes = 0;

  constructor(private readonly build: () => Record<string, unknown>) {}

  /**
   * What to write to a new client, in order: the snapshot frame, then the batches since it. Call
   * it after the pending events were broadcast, in the turn the client joins the broadcast.
   */
  welcome(now = Date.now()): Buffer[] {
    if (!this.frames || now - this.builtAt > SNAPSHOT_MAX_AGE_MS || this.backlogBytes > MAX_BACKLOG_BYTES) {
      this.frames = textFrames([JSON.stringify({ type: 'snapshot', ...this.build() })]);
      this.builtAt = now;
      this.backlog = [];
      this.backlogBytes = 0;
    }
    return [this.frames, ...this.backlog];
  }

  /** A batch of events was broadcast: clients that join later get it after the snapshot. */
  broadcasted(batch: Buffer): void {
    if (!this.frames) return;
    this.backlog.push(batch);
    this.backlogBytes += batch.length;
  }

  /** Events are no longer followed (nobody listens): the snapshot can no longer be brought up to date. */
  invalidate(): void {
    this.frames = null;
    this.backlog = [];
    this.backlogBytes = 0;
  }

  /** Bytes of the current snapshot frame (0 when none). */
  get snapshotBytes(): number {
    return this.frames?.length ?? 0;
  }
}
