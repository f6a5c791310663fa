// A function's `events` list -> EventConfig, through the event sources in use: each entry's kind
// is read by the source that registered it. Kinds no source emulates are skipped here and listed
// as not emulated (see not-emulated.ts).
import type { EventConfig, EventScope, EventSources, ReadEvent } from '../types/event-source.js';
import { readList, show } from './fields.js';
import type { KeyPath, Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** Parses the events of one function; each is also returned with what the user wrote and where. */
export function readEvents(
  raw: unknown,
  base: KeyPath,
  loc: Locator,
  scope: EventScope,
  sources: EventSources,
): { events: EventConfig[]; read: ReadEvent[] } {
  const read: ReadEvent[] = [];
  readList(raw, base, loc).forEach((entry, i) => {
    const at: KeyPath = [...base, i];
    if (!isPlainObject(entry) || Object.keys(entry).length === 0) {
      throw loc.invalid(`events[${i}] must be a map such as {http: "GET /path"}, got ${show(entry)}`, at);
    }
    const [kind, value] = Object.entries(entry)[0]!;
    const reader = sources.reader(kind);
    if (!reader) return;
    const path: KeyPath = [...at, kind];
    for (const event of reader.read(value, path, loc, scope)) read.push({ event, raw: value, path });
  });
  return { events: read.map((r) => r.event), read };
}
