// Fires each enabled schedule on its cadence as an asynchronous invocation, the way EventBridge
// invokes a Lambda target (an Event invocation, so throttles wait and retry instead of failing).
// One unref'd timer per schedule; everything is recomputed when the configuration changes.
import type { ServiceConfig } from '../types/config.js';
import type { ScheduleEventConfig } from './config.js';
import { nextFiring, parseScheduleExpression, type ScheduleExpression } from './expression.js';
import { defaultRuleName, scheduledEventJson } from './payload.js';

/** Longest single setTimeout (Node caps delays at 2^31-1 ms); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the scheduler needs from the emulator. */
export interface SchedulerDeps {
  invokeAsync(functionName: string, payloadJson: string): void;
  region(): string;
  warn(line: string): void;
  now?: () => number;
}

/** One schedule as the state document shows it. */
export interface ScheduleState {
  function: string;
  name: string;
  expression: string;
  enabled: boolean;
  input?: unknown;
  /** ISO time of the next firing; null when disabled, invalid or finished. */
  nextFiring: string | null;
  lastFiring: string | null;
  firings: number;
  error?: string;
}

interface Entry {
  key: string;
  functionName: string;
  ruleName: string;
  event: ScheduleEventConfig;
  parsed: ScheduleExpression | null;
  error: string | null;
  createdAt: Date;
  next: Date | null;
  lastFiring: Date | null;
  firings: number;
  timer: NodeJS.Timeout | null;
}

/** Runs the schedules of the current configuration. */
export class Scheduler {
  private entries = new Map<string, Entry>();
  private readonly deps: SchedulerDeps;
  private running = false;

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Starts (or re-plans) the schedules of `config`; unchanged schedules keep their cadence. */
  apply(config: ServiceConfig): void {
    this.running = true;
    const next = new Map<string, Entry>();
    for (const fn of config.functions) {
      let n = 0;
      fn.events.forEach((event, i) => {
        if (event.kind !== 'schedule') return;
        n++;
        const key = `${fn.name}#${i}#${JSON.stringify(event)}`;
        const existing = this.entries.get(key);
        if (existing) {
          next.set(key, existing);
          return;
        }
        next.set(key, this.createEntry(key, fn.name, event, event.name ?? defaultRuleName(config.service, config.stage, fn.name, n)));
      });
    }
    for (const [key, entry] of this.entries) {
      if (!next.has(key) && entry.timer) clearTimeout(entry.timer);
    }
    this.entries = next;
    for (const entry of this.entries.values()) if (!entry.timer) this.arm(entry);
  }

  /** Clears every timer. */
  stop(): void {
    this.running = false;
    for (const entry of this.entries.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    }
  }

  /** Every schedule with its next firing. */
  state(): ScheduleState[] {
    return [...this.entries.values()].map((e) => {
      const s: ScheduleState = {
        function: e.functionName,
        name: e.ruleName,
        expression: e.event.expression,
        enabled: e.event.enabled,
        nextFiring: e.next ? e.next.toISOString() : null,
        lastFiring: e.lastFiring ? e.lastFiring.toISOString() : null,
        firings: e.firings,
      };
      if (e.event.input !== undefined) s.input = e.event.input;
      if (e.error) s.error = e.error;
      return s;
    });
  }

  private createEntry(key: string, functionName: string, event: ScheduleEventConfig, ruleName: string): Entry {
    let parsed: ScheduleExpression | null = null;
    let error: string | null = null;
    try {
      parsed = parseScheduleExpression(event.expression);
    } catch (err) {
      error = (err as Error).message;
      this.deps.warn(`schedule ${ruleName} of function ${functionName} will not fire: ${error}`);
    }
    const createdAt = new Date(this.now());
    return { key, functionName, ruleName, event, parsed, error, createdAt, next: null, lastFiring: null, firings: 0, timer: null };
  }

  /** Computes the next firing after `after` and sets the timer. */
  private arm(entry: Entry, after = new Date(this.now())): void {
    entry.timer = null;
    if (!this.running || !entry.parsed || !entry.event.enabled) {
      entry.next = null;
      return;
    }
    entry.next = nextFiring(entry.parsed, entry.createdAt, after);
    this.setTimer(entry);
  }

  private setTimer(entry: Entry): void {
    if (!entry.next) return;
    const delay = entry.next.getTime() - this.now();
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.entries.get(entry.key) !== entry || !this.running) return;
      if (entry.next && entry.next.getTime() > this.now()) return this.setTimer(entry); // a long wait re-armed early
      this.fire(entry);
    }, Math.min(Math.max(0, delay), MAX_TIMER_MS));
    entry.timer.unref();
  }

  private fire(entry: Entry): void {
    const scheduled = entry.next!;
    entry.lastFiring = scheduled;
    entry.firings++;
    try {
      this.deps.invokeAsync(entry.functionName, scheduledEventJson({ region: this.deps.region(), ruleName: entry.ruleName, time: scheduled, input: entry.event.input }));
    } catch (err) {
      this.deps.warn(`schedule ${entry.ruleName}: could not invoke ${entry.functionName}: ${(err as Error).message}`);
    }
    // The next firing after both the one just made and now: a stalled process skips, it does not burst.
    const after = new Date(Math.max(scheduled.getTime(), this.now()));
    this.arm(entry, after);
  }
}
