// The last events, replayed in the snapshot so a console opened late still shows recent activity.
import type { LifecycleEvent } from '../types/events.js';

/** Log messages longer than this are cut in the history (live events are sent whole). */
export const HISTORY_MESSAGE_LIMIT = 8 * 1024;

/** A bounded ring of recent events; memory is capped by count and by log message length. */
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
        ? { ...event, message: `${event.message.slice(0, HISTORY_MESSAGE_LIMIT)}… [truncated]` }
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
