// The one event bus. Publishing is a loop over listeners: nothing is serialised here, so an
// event nobody listens to costs one object allocation.
import type { LifecycleEvent } from '../types/events.js';

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

  /** Number of listeners, so producers can skip building optional payloads. */
  get listenerCount(): number {
    return this.listeners.length;
  }
}
