// A typed client of the state and metrics documents, so tests read them without casts.
import type { MetricsReport } from '../../src/console/metrics.js';
import type { StateDocument } from '../../src/console/state.js';
import type { ScheduleState } from '../../src/schedule/scheduler.js';
import type { MappingState, QueueState } from '../../src/sqs/feature.js';

export type { QueueState };
import type { FunctionSnapshot } from '../../src/types/runtime.js';

/** `GET /__coldstart/state` with the features' parts typed. */
export type State = StateDocument & {
  schedules: ScheduleState[];
  queues: QueueState[];
  sqsMappings: MappingState[];
  reload?: { watching: boolean };
};

/** `GET /__coldstart/metrics`. */
export type Metrics = MetricsReport & { queues: QueueState[] };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The state document of the server at `baseUrl`. */
export function getState(baseUrl: string): Promise<State> {
  return getJson<State>(`${baseUrl}/__coldstart/state`);
}

/** The metrics report of the server at `baseUrl`. */
export function getMetrics(baseUrl: string): Promise<Metrics> {
  return getJson<Metrics>(`${baseUrl}/__coldstart/metrics`);
}

/** One function of a state document; fails the test when it is missing. */
export function functionState(state: State, name: string): FunctionSnapshot {
  const fn = state.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function "${name}" in the state document (has ${state.functions.map((f) => f.name).join(', ')})`);
  return fn;
}
