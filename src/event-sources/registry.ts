// The registry of event sources: which serverless.yml event kinds are emulated, who reads each,
// and the features to start. The configuration reader and the server ask it; neither names a kind.
import type { EventKindReader, EventSource, EventSources, ServiceEvents } from '../types/event-source.js';
import type { AppContext, Feature } from '../types/feature.js';

/** Event sources registered in order; one kind belongs to one source. */
export class EventSourceRegistry implements EventSources {
  private readonly sources: EventSource[] = [];
  private readonly readers = new Map<string, { source: EventSource; reader: EventKindReader }>();

  /** Adds a source; throws when one of its kinds is already registered (a programming error). */
  register(source: EventSource): this {
    for (const [kind, reader] of Object.entries(source.kinds) as [string, EventKindReader | undefined][]) {
      if (!reader) continue;
      const other = this.readers.get(kind);
      if (other) throw new Error(`event kind "${kind}" is registered by both the ${other.source.name} and the ${source.name} event source`);
      this.readers.set(kind, { source, reader });
    }
    this.sources.push(source);
    return this;
  }

  /** The registered sources, in registration order. */
  all(): readonly EventSource[] {
    return this.sources;
  }

  /** The emulated event kinds, in registration order. */
  kinds(): string[] {
    return [...this.readers.keys()];
  }

  reader(kind: string): EventKindReader | undefined {
    return this.readers.get(kind)?.reader;
  }

  complete(service: ServiceEvents): void {
    for (const source of this.sources) source.complete?.(service);
  }

  createFeatures(ctx: AppContext): Feature[] {
    return this.sources.flatMap((source) => (source.feature ? [source.feature.create(ctx)] : []));
  }
}
