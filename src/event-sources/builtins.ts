// Where the built-in event sources register themselves: each folder's source.ts calls
// registerBuiltinEventSource when it is imported (event-sources/builtin.ts imports them all).
import type { EventSource } from '../types/event-source.js';

const builtins: EventSource[] = [];

/** Adds a source coldstart ships; called once by each source's own module, in import order. */
export function registerBuiltinEventSource(source: EventSource): void {
  builtins.push(source);
}

/** The built-in sources registered so far, in registration order. */
export function registeredBuiltins(): readonly EventSource[] {
  return builtins;
}
