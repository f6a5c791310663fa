// The last events, replayed in the snapshot so a console opened late still shows recent activity.
import type { LifecycleEvent } from '../types/events.js';

/** Log messages longer than this (in UTF-16 code units) are cut in the history (live events are sent whole). */
export const HISTORY_MESSAGE_LIMIT = 8 * 1024;

/**
 * A bounded ring of recent events; memory is capped by count and by log message length: with
 * 1000 events, at most 8 MB of log text (16 MB in memory for text outside Latin-1).
 */
export class RecentEvents {
  private readonly ring: (LifecycleEvent | undefined)[];
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<LifecycleEvent | undefined>(capacity);
  }

  /** Keeps an event, evicting the oldest when full. */
  add(event: LifecycleEvent): void {
    this.ring[this.next] =
      event.type === 'log' && event.message.length > HISTORY_MESSAGE_LIMIT
        ? { ...event, message: `${detached(event.message.slice(0, HISTORY_MESSAGE_LIMIT))}… [truncated]` }
        : event;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** The kept events, oldest first. */
  list(): LifecycleEvent[] {
    const out: LifecycleEvent[] = [];
    const start = (this.next - this.filled + this.capacity) % this.capacity;
    for (let i = 0; i < this.filled; i++) out.push(this.ring[(start + i) % this.capacity]!);
    return out;
  }
}

/**
 * A copy of a string that shares no memory with the one it was cut from. V8 makes `slice` of a
 * long string a view that keeps the whole original alive (a 6 MB log line held for an 8 KB
 * excerpt); a round trip through bytes makes a flat string of its own.
 */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
