// @ts-check
// The console's picture of the emulator, folded from the snapshot and the event stream.
// Everything here is bounded: old segments, lanes, throttles and invocations are pruned.
// The event types are the server's own (checked by tsc with tsconfig.console.json).

/** @typedef {import('../../types/events.js').LifecycleEvent} LifecycleEvent */
/** @typedef {import('../../types/runtime.js').FunctionSnapshot} FunctionSnapshot */
/** @typedef {import('../../types/runtime.js').InvocationOutcome} InvocationOutcome */
/** @typedef {import('../state.js').StateDocument} StateDocument */
/** @typedef {import('../metrics.js').MetricsReport} MetricsReport */
/**
 * @template {LifecycleEvent['type']} T
 * @typedef {Extract<LifecycleEvent, { type: T }>} EventOf
 */
/** @typedef {StateDocument & { metrics?: MetricsReport, recent?: LifecycleEvent[] }} Snapshot */

/**
 * One bar of a lane: an init phase or an invocation.
 * @typedef {{ kind: 'init' | 'invoke', start: number, end: number | null, initType?: string, initDurationMs?: number,
 *   platformDelayMs?: number, packageBytes?: number, error?: string, requestId?: string, cold?: boolean,
 *   outcome?: InvocationOutcome | null }} Segment
 */
/**
 * One instance of a function, as the timeline draws it.
 * @typedef {{ id: string, fn: string, initType: string, codeVersion: number | null, createdAt: number, state: string,
 *   retiredAt: number | null, retireReason: string | null, segments: Segment[], invocations: number }} Lane
 */
/** @typedef {{ time: number, requestId?: string, reason: string, source: string }} Throttle */
/** @typedef {{ name: string, config: FunctionSnapshot | null, lanes: Map<string, Lane>, throttles: Throttle[] }} FunctionEntry */
/**
 * What the detail view shows of one invocation.
 * @typedef {{ requestId: string, fn: string, instanceId: string | null, start: number | null, end: number | null,
 *   outcome: InvocationOutcome | null, report: string | null, logs: EventOf<'log'>[], revision: number, segment: Segment | null,
 *   cold?: boolean, source?: string, durationMs?: number, billedDurationMs?: number, initDurationMs?: number,
 *   maxMemoryUsedMb?: number, memorySizeMb?: number, errorType?: string, errorMessage?: string }} Invocation
 */
/**
 * A line of the log pane.
 * @typedef {{ time: number, fn: string, requestId?: string, level: string, kind: string, text: string }} LogEntry
 */
/** @typedef {(entry: LogEntry) => void} OnEntry */

/** How far back the model keeps timeline data (the widest window plus a margin). */
export const HORIZON_MS = 6 * 60 * 1000;
/** Invocations remembered for the detail view. */
const MAX_INVOCATIONS = 4000;
/** Log lines remembered per invocation. */
const MAX_LINES_PER_INVOCATION = 300;

/** Fold of the snapshot and events; views read it on each frame. */
export class Model {
  /** @type {Map<string, FunctionEntry>} by function name */
  functions = new Map();
  /** @type {Map<string, Invocation>} by request id */
  invocations = new Map();
  /** @type {{ time: number, codeVersion: number, functions: string[] }[]} */
  reloads = [];
  /** @type {{ service: string, stage: string, region: string, settings: StateDocument['settings'] } | null} */
  meta = null;
  /** @type {MetricsReport | null} */
  metrics = null;
  /** Bumped on every change the views care about. */
  revision = 0;

  /** Forgets everything (a new snapshot follows): the same values as a new Model. */
  reset() {
    this.functions = new Map();
    this.invocations = new Map();
    this.reloads = [];
    this.meta = null;
    this.metrics = null;
    this.revision = 0;
  }

  /**
   * Replaces the model with a snapshot, then replays the recent events it carries.
   * @param {Snapshot} snapshot
   * @param {OnEntry} onEntry
   */
  loadSnapshot(snapshot, onEntry) {
    this.reset();
    this.meta = { service: snapshot.service, stage: snapshot.stage, region: snapshot.region, settings: snapshot.settings };
    this.setFunctions(snapshot.functions || []);
    this.metrics = snapshot.metrics || null;
    // Replay first (bars and log lines), then let the snapshot's instance figures win: it counts
    // invocations older than the replayed history too.
    for (const event of snapshot.recent || []) this.apply(event, onEntry);
    for (const f of snapshot.functions || []) {
      for (const inst of f.instances || []) {
        const lane = this.lane(f.name, inst.id, inst.createdAt);
        lane.initType = inst.initType;
        lane.state = inst.state;
        lane.codeVersion = inst.codeVersion;
        lane.invocations = inst.invocations;
      }
    }
  }

  /**
   * Updates function settings from a state document, keeping lanes.
   * @param {FunctionSnapshot[]} functions
   */
  setFunctions(functions) {
    for (const f of functions) this.fn(f.name).config = f;
    this.revision++;
  }

  /**
   * Applies one event; `onEntry` receives the log-pane entries it makes.
   * @param {LifecycleEvent} e
   * @param {OnEntry} onEntry
   */
  apply(e, onEntry) {
    this.revision++;
    const handle = /** @type {(e: LifecycleEvent, onEntry: OnEntry) => void} */ (HANDLERS[e.type]);
    handle.call(this, e, onEntry);
  }

  /** @param {EventOf<'instance.init.start'>} e */
  initStarted(e) {
    const lane = this.lane(e.function, e.instanceId, e.time);
    lane.initType = e.initType;
    lane.codeVersion = e.codeVersion;
    lane.state = 'initializing';
    lane.segments.push({ kind: 'init', start: e.time, end: null, initType: e.initType });
  }

  /** @param {EventOf<'instance.init.end'>} e @param {OnEntry} onEntry */
  initEnded(e, onEntry) {
    const lane = this.lane(e.function, e.instanceId, e.time - e.initDurationMs);
    let seg = lastOpen(lane, 'init');
    if (!seg) {
      seg = { kind: 'init', start: e.time - e.initDurationMs, end: null, initType: lane.initType };
      lane.segments.push(seg);
    }
    seg.end = e.time;
    seg.initDurationMs = e.initDurationMs;
    seg.platformDelayMs = e.platformDelayMs;
    seg.packageBytes = e.packageBytes;
    seg.error = e.error;
    if (lane.state === 'initializing') lane.state = e.error ? 'failed' : 'idle';
    const pc = lane.initType === 'provisioned-concurrency';
    onEntry({
      time: e.time,
      fn: e.function,
      level: e.error ? 'ERROR' : '',
      kind: e.error ? 'system' : 'cold',
      text: e.error
        ? `INIT FAILED on instance ${e.instanceId}: ${e.error}`
        : `${pc ? 'PROVISIONED INIT' : 'COLD START'} instance ${e.instanceId} · Init Duration: ${e.initDurationMs.toFixed(2)} ms`,
    });
  }

  /** @param {EventOf<'invoke.start'>} e */
  invokeStarted(e) {
    const lane = this.lane(e.function, e.instanceId, e.time);
    lane.state = 'busy';
    /** @type {Segment} */
    const seg = { kind: 'invoke', start: e.time, end: null, requestId: e.requestId, cold: e.cold, outcome: null };
    lane.segments.push(seg);
    const inv = this.invocation(e.requestId, e.function);
    Object.assign(inv, { instanceId: e.instanceId, start: e.time, cold: e.cold, source: e.source, segment: seg });
    inv.revision++;
  }

  /** @param {EventOf<'invoke.end'>} e @param {OnEntry} onEntry */
  invokeEnded(e, onEntry) {
    const lane = this.lane(e.function, e.instanceId, e.time - e.durationMs);
    const inv = this.invocation(e.requestId, e.function);
    let seg = inv.segment;
    if (!seg) {
      seg = { kind: 'invoke', start: e.time - e.durationMs, end: null, requestId: e.requestId, cold: e.cold };
      lane.segments.push(seg);
      inv.segment = seg;
      inv.start = seg.start;
    }
    seg.end = e.time;
    seg.outcome = e.outcome;
    if (lane.state === 'busy') lane.state = 'idle';
    lane.invocations = (lane.invocations || 0) + 1;
    Object.assign(inv, {
      instanceId: e.instanceId,
      end: e.time,
      cold: e.cold,
      outcome: e.outcome,
      durationMs: e.durationMs,
      billedDurationMs: e.billedDurationMs,
      initDurationMs: e.initDurationMs,
      maxMemoryUsedMb: e.maxMemoryUsedMb,
      memorySizeMb: e.memorySizeMb,
      report: e.report,
      errorType: e.errorType,
      errorMessage: e.errorMessage,
    });
    inv.revision++;
    onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: '', kind: 'report', text: reportSummary(e) });
    if (e.outcome === 'timeout') {
      onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: 'ERROR', kind: 'system', text: `TIMEOUT after ${e.durationMs.toFixed(0)} ms; instance ${e.instanceId} is destroyed` });
    }
  }

  /** @param {EventOf<'invoke.throttled'>} e @param {OnEntry} onEntry */
  invokeThrottled(e, onEntry) {
    const f = this.fn(e.function);
    f.throttles.push({ time: e.time, requestId: e.requestId, reason: e.reason, source: e.source });
    onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: 'WARN', kind: 'throttle', text: `THROTTLED ${e.reason} (${e.source})` });
  }

  /** @param {EventOf<'instance.retired'>} e @param {OnEntry} onEntry */
  instanceRetired(e, onEntry) {
    const lane = this.lane(e.function, e.instanceId, e.time);
    lane.state = 'retired';
    lane.retiredAt = e.time;
    lane.retireReason = e.reason;
    for (const seg of lane.segments) if (seg.end === null) seg.end = e.time;
    onEntry({ time: e.time, fn: e.function, level: '', kind: 'system', text: `retired instance ${e.instanceId} (${e.reason})` });
  }

  /** @param {EventOf<'code.reloaded'>} e @param {OnEntry} onEntry */
  codeReloaded(e, onEntry) {
    this.reloads.push({ time: e.time, codeVersion: e.codeVersion, functions: e.functions });
    const files = e.files.length ? ` (${e.files.join(', ')})` : '';
    onEntry({ time: e.time, fn: '', level: '', kind: 'reload', text: `RELOAD code version ${e.codeVersion}: ${e.functions.join(', ') || 'no function changed'}${files}` });
  }

  /** @param {EventOf<'log'>} e @param {OnEntry} onEntry */
  logged(e, onEntry) {
    if (e.requestId) {
      const inv = this.invocation(e.requestId, e.function);
      if (inv.logs.length < MAX_LINES_PER_INVOCATION) inv.logs.push(e);
      inv.revision++;
    }
    onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: e.level, kind: 'log', text: e.message });
  }

  /** @param {EventOf<'gateway.response'>} e @param {OnEntry} onEntry */
  gatewayResponded(e, onEntry) {
    const level = e.status >= 500 ? 'ERROR' : '';
    onEntry({ time: e.time, fn: e.function || 'gateway', requestId: e.requestId, level, kind: 'system', text: `${e.method} ${e.path} → ${e.status} in ${e.durationMs.toFixed(0)} ms` });
  }

  /**
   * Drops what fell off the widest window.
   * @param {number} now
   */
  prune(now) {
    const horizon = now - HORIZON_MS;
    for (const f of this.functions.values()) {
      while ((f.throttles[0]?.time ?? Infinity) < horizon) f.throttles.shift();
      for (const [id, lane] of f.lanes) {
        if (lane.retiredAt !== null && lane.retiredAt < horizon) {
          f.lanes.delete(id);
          continue;
        }
        const first = lane.segments[0];
        if (first && first.end !== null && first.end < horizon) {
          lane.segments = lane.segments.filter((s) => s.end === null || s.end >= horizon);
        }
      }
    }
    while ((this.reloads[0]?.time ?? Infinity) < horizon) this.reloads.shift();
  }

  /**
   * Instances alive (not retired) and how many are busy, of one function.
   * @param {string} name
   */
  instanceCounts(name) {
    const f = this.functions.get(name);
    let alive = 0;
    let busy = 0;
    if (f) {
      for (const lane of f.lanes.values()) {
        if (lane.state === 'retired' || lane.state === 'failed') continue;
        alive++;
        if (lane.state === 'busy') busy++;
      }
    }
    return { alive, busy };
  }

  /**
   * The entry of a function, made on first use.
   * @param {string} name
   * @returns {FunctionEntry}
   */
  fn(name) {
    let f = this.functions.get(name);
    if (!f) {
      f = { name, config: null, lanes: new Map(), throttles: [] };
      this.functions.set(name, f);
    }
    return f;
  }

  /**
   * The lane of an instance, made on first use; an earlier creation time moves its start back.
   * @param {string} fnName
   * @param {string} id
   * @param {number} createdAt
   * @returns {Lane}
   */
  lane(fnName, id, createdAt) {
    const f = this.fn(fnName);
    let lane = f.lanes.get(id);
    if (!lane) {
      lane = { id, fn: fnName, initType: 'on-demand', codeVersion: null, createdAt, state: 'idle', retiredAt: null, retireReason: null, segments: [], invocations: 0 };
      f.lanes.set(id, lane);
    } else if (createdAt < lane.createdAt) {
      lane.createdAt = createdAt;
    }
    return lane;
  }

  /**
   * The record of an invocation, made on first use; the oldest is forgotten past MAX_INVOCATIONS.
   * @param {string} requestId
   * @param {string} fnName
   * @returns {Invocation}
   */
  invocation(requestId, fnName) {
    let inv = this.invocations.get(requestId);
    if (!inv) {
      inv = { requestId, fn: fnName, instanceId: null, start: null, end: null, outcome: null, report: null, logs: [], revision: 0, segment: null };
      this.invocations.set(requestId, inv);
      if (this.invocations.size > MAX_INVOCATIONS) {
        const oldest = this.invocations.keys().next().value;
        if (oldest !== undefined) this.invocations.delete(oldest);
      }
    }
    return inv;
  }
}

/**
 * A one-line REPORT for the log pane (the detail panel shows the line exactly as CloudWatch would).
 * @param {EventOf<'invoke.end'>} e
 */
function reportSummary(e) {
  const parts = [`REPORT ${e.durationMs.toFixed(2)} ms`, `billed ${e.billedDurationMs} ms`, `${Math.ceil(e.maxMemoryUsedMb)}/${e.memorySizeMb} MB`];
  if (e.initDurationMs !== undefined && e.initDurationMs !== null) parts.push(`init ${e.initDurationMs.toFixed(2)} ms`);
  if (e.outcome !== 'success') parts.push(e.outcome);
  return parts.join(' · ');
}

/**
 * The newest segment of a kind that has not ended.
 * @param {Lane} lane
 * @param {Segment['kind']} kind
 */
function lastOpen(lane, kind) {
  for (let i = lane.segments.length - 1; i >= 0; i--) {
    const s = lane.segments[i];
    if (s && s.kind === kind && s.end === null) return s;
  }
  return null;
}

/**
 * The Model method that applies each kind of event: a new event type fails the type check until it
 * has a handler here.
 * @type {{ [T in LifecycleEvent['type']]: (this: Model, e: EventOf<T>, onEntry: OnEntry) => void }}
 */
const HANDLERS = {
  'instance.init.start': Model.prototype.initStarted,
  'instance.init.end': Model.prototype.initEnded,
  'invoke.start': Model.prototype.invokeStarted,
  'invoke.end': Model.prototype.invokeEnded,
  'invoke.throttled': Model.prototype.invokeThrottled,
  'instance.retired': Model.prototype.instanceRetired,
  'code.reloaded': Model.prototype.codeReloaded,
  log: Model.prototype.logged,
  'gateway.response': Model.prototype.gatewayResponded,
};
