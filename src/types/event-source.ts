// The event-source contract: what a folder that emulates serverless.yml event kinds (`http`,
// `schedule`, `sqs`...) hands the configuration reader and the server. Nothing here names a kind:
// each source declares its own from its folder, so adding one never edits this file.
import type { KeyPath, Locator } from '../config/location.js';
import type { AppContext, Feature } from './feature.js';

/**
 * Every emulated event kind and the configuration it is read into. Empty here: each source adds
 * its kinds from its folder (`declare module '../types/event-source.js' { interface EventConfigs { sqs: SqsEventConfig } }`),
 * and `EventConfig` below stays a discriminated union on `kind`.
 */
export interface EventConfigs {}

/** A serverless.yml event kind coldstart emulates. */
export type EventKind = keyof EventConfigs & string;

/** Any event of a function, as read from serverless.yml. */
export type EventConfig = EventConfigs[EventKind];

/** What event parsing needs to know about the service. */
export interface EventScope {
  region: string;
  /** Declared queues: name -> canonical ARN. */
  queueArnsByName: ReadonlyMap<string, string>;
  /** Logical ids under resources.Resources, to explain unresolved !GetAtt references. */
  resourceIds: ReadonlySet<string>;
}

/** How one event kind is read and which of its keys are emulated. */
export interface EventKindReader {
  /**
   * Reads the value of one `- kind: value` entry (one entry may stand for several events, e.g. a
   * schedule with a list of rates). Throws a CONFIG_INVALID error located with `loc` at the key at fault.
   */
  read(value: unknown, path: KeyPath, loc: Locator, scope: EventScope): EventConfig[];
  /** Keys of the event's map that are emulated; any other key set is reported as not emulated. */
  keys: readonly string[];
  /** Further values accepted but not emulated (e.g. an http integration other than lambda-proxy), named from `at`. */
  notEmulated?(value: Record<string, unknown>, at: string): string[];
}

/** One event as read, with what the user wrote and where. */
export interface ReadEvent {
  event: EventConfig;
  /** The value after `kind:` as written. */
  raw: unknown;
  /** `functions.NAME.events[I].KIND`. */
  path: KeyPath;
}

/** What a source's service-wide step sees once every function's events are read. */
export interface ServiceEvents {
  /** Every event of every function, in file order. */
  events: readonly ReadEvent[];
  /** `provider`, variables resolved. */
  provider: Record<string, unknown>;
  /** `functions`, variables resolved. */
  functions: Record<string, unknown>;
  loc: Locator;
}

/** The feature an event source runs. */
export interface EventSourceFeature {
  create(ctx: AppContext): Feature;
}

/** An event source: its event kinds, how they are read and checked, and the feature that serves them. */
export interface EventSource {
  /** Short name, for messages. */
  readonly name: string;
  /** The serverless.yml event kinds this source reads. */
  readonly kinds: { readonly [K in EventKind]?: EventKindReader };
  /**
   * Completes and checks what spans functions once every event is read (e.g. CORS merged per
   * path, a route declared twice). Mutates the events in place; throws a located CONFIG_INVALID.
   */
  complete?(service: ServiceEvents): void;
  /** The feature that serves or fires these events once the server runs. */
  readonly feature?: EventSourceFeature;
}

/** The event sources in use, as the configuration reader and the server ask them. */
export interface EventSources {
  /** How to read a kind, or undefined when no source emulates it (it is then listed as not emulated). */
  reader(kind: string): EventKindReader | undefined;
  /** Runs every source's service-wide step, in registration order. */
  complete(service: ServiceEvents): void;
  /** Creates the features of the sources that have one, in registration order. */
  createFeatures(ctx: AppContext): Feature[];
}
