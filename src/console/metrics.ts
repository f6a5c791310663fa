// Per-function metrics folded from the event bus, named after CloudWatch's Lambda metrics where
// one exists (Invocations, Errors, Throttles, ConcurrentExecutions, Duration). Every counter is
// O(1) per event; percentiles come from fixed-size windows so memory never grows with uptime.
import type { EventBus } from '../events/bus.js';
import type { LifecycleEvent } from '../types/events.js';
import { SampleWindow } from './percentiles.js';

/** Durations kept per function for percentiles (the most recent ones). */
export const DURATION_WINDOW = 10_000;
/** Init durations kept per function for percentiles. */
export const INIT_WINDOW = 2_000;

/** The metrics of one function, as `GET /__coldstart/metrics` returns them. */
export interface FunctionMetrics {
  /** CloudWatch `Invocations`: invocations that ran (success or function error); throttles excluded. */
  invocations: number;
  /** Invocations that waited for an on-demand init. */
  coldStarts: number;
  /** CloudWatch `Throttles`. */
  throttles: number;
  /** Invocations that ended with `Task timed out`. */
  timeouts: number;
  /** CloudWatch `Errors`: every invocation that did not succeed (error, timeout, crash, oom). */
  errors: number;
  /** CloudWatch `ConcurrentExecutions`: invocations running right now. */
  concurrentExecutions: number;
  /** Highest `concurrentExecutions` seen since start-up. */
  peakConcurrentExecutions: number;
  /** CloudWatch `Duration` percentiles, ms, over the most recent invocations. */
  duration: { p50: number | null; p95: number | null; p99: number | null };
  /** Init Duration percentiles, ms, over the most recent inits (REPORT's `Init Duration`). */
  initDuration: { p50: number | null; p99: number | null };
}

/** Body of `GET /__coldstart/metrics`. */
export interface MetricsReport {
  /** ms since epoch when the report was made. */
  time: number;
  functions: Record<string, FunctionMetrics>;
}

class FunctionCounters {
  invocations = 0;
  coldStarts = 0;
  throttles = 0;
  timeouts = 0;
  errors = 0;
  running = 0;
  peak = 0;
  readonly durations = new SampleWindow(DURATION_WINDOW);
  readonly inits = new SampleWindow(INIT_WINDOW);

  report(): FunctionMetrics {
    const d = this.durations.percentiles([50, 95, 99] as const);
    const i = this.inits.percentiles([50, 99] as const);
    return {
      invocations: this.invocations,
      coldStarts: this.coldStarts,
      throttles: this.throttles,
      timeouts: this.timeouts,
      errors: this.errors,
      concurrentExecutions: this.running,
      peakConcurrentExecutions: this.peak,
      duration: { p50: d.p50, p95: d.p95, p99: d.p99 },
      initDuration: { p50: i.p50, p99: i.p99 },
    };
  }
}

/** Folds lifecycle events into per-function counters and percentile windows. */
export class MetricsCollector {
  private readonly byFunction = new Map<string, FunctionCounters>();

  /** Applies one event. */
  record(event: LifecycleEvent): void {
    switch (event.type) {
      case 'invoke.start': {
        const c = this.counters(event.function);
        c.running++;
        if (c.running > c.peak) c.peak = c.running;
        return;
      }
      case 'invoke.end': {
        const c = this.counters(event.function);
        if (c.running > 0) c.running--;
        c.invocations++;
        if (event.cold) c.coldStarts++;
        if (event.outcome !== 'success') c.errors++;
        if (event.outcome === 'timeout') c.timeouts++;
        c.durations.add(event.durationMs);
        return;
      }
      case 'invoke.throttled':
        this.counters(event.function).throttles++;
        return;
      case 'instance.init.end':
        this.counters(event.function).inits.add(event.initDurationMs);
        return;
      default:
        return;
    }
  }

  /** Starts following a bus; returns the unsubscribe function. */
  follow(bus: EventBus): () => void {
    return bus.subscribe((event) => this.record(event));
  }

  /** Metrics for the given functions (zeros for those without activity) plus any others seen. */
  report(functionNames: readonly string[], now = Date.now()): MetricsReport {
    const functions: Record<string, FunctionMetrics> = {};
    for (const name of functionNames) functions[name] = this.counters(name).report();
    for (const [name, c] of this.byFunction) if (!(name in functions)) functions[name] = c.report();
    return { time: now, functions };
  }

  private counters(name: string): FunctionCounters {
    let c = this.byFunction.get(name);
    if (!c) {
      c = new FunctionCounters();
      this.byFunction.set(name, c);
    }
    return c;
  }
}
