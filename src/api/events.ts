// The lifecycle events the console streams, for a program: subscribe to one type or all, or wait
// for the next event that matches.
import type { EventBus } from '../events/bus.js';
import type { LifecycleEvent, LifecycleEventType } from '../types/events.js';

/** The event of a given type. */
export type EventOfType<T extends LifecycleEventType> = Extract<LifecycleEvent, { type: T }>;

/** Subscription to one emulator's lifecycle events. */
export interface ColdstartEvents {
  /** Calls `listener` with every event of `type` (or every event for `*`); returns the unsubscribe function. */
  on<T extends LifecycleEventType>(type: T, listener: (event: EventOfType<T>) => void): () => void;
  on(type: '*', listener: (event: LifecycleEvent) => void): () => void;
  /**
   * Resolves with the next event of `type` that `filter` accepts; rejects after `timeoutMs`
   * (default 30 s) so a test fails instead of hanging.
   */
  next<T extends LifecycleEventType>(type: T, filter?: (event: EventOfType<T>) => boolean, timeoutMs?: number): Promise<EventOfType<T>>;
}

/** The events of the emulator whose bus this is. */
export function eventsOf(bus: EventBus): ColdstartEvents {
  const on = (type: string, listener: (event: LifecycleEvent) => void): (() => void) =>
    bus.subscribe((event) => {
      if (type === '*' || event.type === type) listener(event);
    });
  return {
    on: on as ColdstartEvents['on'],
    next(type, filter, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no ${type} event within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = on(type, (event) => {
          const typed = event as EventOfType<typeof type>;
          if (filter && !filter(typed)) return;
          clearTimeout(timer);
          off();
          resolve(typed);
        });
      });
    },
  };
}
