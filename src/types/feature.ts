// The feature contract: what every front end and background feature is given (the bus, the
// configuration, the invocation service) and what it gives back. It sits below the features so
// that none of them depends on the composition root. Features never reach into each other; they
// meet here, and what one shows of its state to another is typed in FeatureStates.
import type { Express } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { EventBus } from '../events/bus.js';
import type { CliOverrides } from './config.js';
import type { EventSources } from './event-source.js';
import type { CodeReloader, ConcurrencyControls, ConfigStore, FailureDestination, InvocationService } from './service.js';

/** Why a request was refused, for the message the refusing API sends. */
export type Refusal = { kind: 'host'; message: string } | { kind: 'origin'; message: string };

/**
 * The keys features add to the state document, each with its type. Empty here: a feature declares
 * its own keys from its folder (`declare module '../types/feature.js' { interface FeatureStates {...} }`),
 * so a reader (the console) gets them typed without importing the feature.
 */
export interface FeatureStates {}

/** Some of the state-document keys, as one feature contributes them or all features together. */
export type FeatureState = Partial<FeatureStates>;

/** Shared services handed to each feature. */
export interface AppContext {
  bus: EventBus;
  /** The current configuration; hot reload replaces it and everyone subscribed follows. */
  config: ConfigStore;
  invocations: InvocationService;
  concurrency: ConcurrencyControls;
  reloader: CodeReloader;
  /** The event sources in use; serverless.yml is read through them (also on reload). */
  eventSources: EventSources;
  /** Options the server was started with (watch on/off, log format). */
  options: { watch: boolean; logFormat: 'pretty' | 'json'; cliOverrides: CliOverrides };
  /** `http://HOST:PORT` once the server listens (queue URLs, WebSocket origin checks). */
  baseUrl(): string;
  /** Registers where asynchronous invocations that exhausted their retries are delivered. */
  setFailureDestination(destination: FailureDestination): void;
  /** Writes one line to the terminal (stdout). */
  print(line: string): void;
  /** Writes one warning/error line to the terminal (stderr). */
  printError(line: string): void;
  /** Every feature's `state()` merged: the state document's feature keys; set by the composition root. */
  featureState(): FeatureState;
}

/** A part of the emulator: routes on the one port and/or background work. */
export interface Feature {
  readonly name: string;
  /**
   * Answers every request no other feature took (the gateway). The composition root puts it after
   * every other feature, so features added later never sit behind it.
   */
  readonly fallback?: boolean;
  /** Mounts routes; called in feature order, the gateway catch-all last. */
  routes?(app: Express): void;
  /** Whether a request belongs to this feature's express routes. */
  claims?(req: IncomingMessage): boolean;
  /**
   * Answers a hot-path request without express's layers and returns true, or returns false
   * (leaving the request untouched) when it is not one of them. Asked in feature order, before
   * `claims`; the gateway, last, takes everything left.
   */
  direct?(req: IncomingMessage, res: ServerResponse): boolean;
  /** Called once the HTTP server listens. */
  start?(server: Server): void | Promise<void>;
  /** Called on shutdown, before instances are retired. */
  stop?(): void | Promise<void>;
  /** This feature's keys of the state document (e.g. schedules, queues), declared in FeatureStates. */
  state?(): FeatureState;
  /**
   * A programmatic API, closed to browser pages of other origins: whether a request is one of its
   * calls, and how it says 403 in its own error format.
   */
  api?: {
    owns(req: IncomingMessage): boolean;
    refuse(res: ServerResponse, refusal: Refusal): void;
  };
}
