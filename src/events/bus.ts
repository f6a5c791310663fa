// The one event bus. Publishing is a loop over listeners: nothing is serialised here, so an
// event nobody listens to costs one object allocation.
import type { LifecycleEvent, LogEvent } from '../types/events.js';

/** A log line to publish: a LogEvent without its type, stamped now unless `time` is given. */
export type LogLine = Omit<LogEvent, 'type' | 'time'> & { time?: number };

/** A subscriber to lifecycle events. */
export type EventListener = (event: LifecycleEvent) => void;

/** Typed publish/subscribe for lifecycle events. */
export class EventBus {
  private listeners: EventListener[] = [];

  /** Delivers an event to every listener; a listener that throws does not stop the others. */
  publish(event: LifecycleEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i]!(event);
      } catch {
        // A faulty observer must never fail an invocation.
      }
    }
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Publishes one log line (handler output, or a line the emulator writes on a function's behalf). */
  log(line: LogLine): void {
    this.publish({ ...line, type: 'log', time: line.time ?? Date.now() });
  }
}
