// The current configuration, replaced by hot reload; subscribers follow each replacement.
import type { ServiceConfig } from '../types/config.js';
import type { ConfigStore } from '../types/service.js';

type Listener = (next: ServiceConfig, previous: ServiceConfig) => void;

/** An in-memory ConfigStore. */
export class MemoryConfigStore implements ConfigStore {
  private listeners: Listener[] = [];

  constructor(private config: ServiceConfig) {}

  current(): ServiceConfig {
    return this.config;
  }

  onChange(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  replace(next: ServiceConfig): void {
    const previous = this.config;
    this.config = next;
    for (const l of this.listeners) l(next, previous);
  }
}
