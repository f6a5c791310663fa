// The console's picture of the emulator, folded from the snapshot and the event stream.
// Everything here is bounded: old segments, lanes, throttles and invocations are pruned.

/** How far back the model keeps timeline data (the widest window plus a margin). */
export const HORIZON_MS = 6 * 60 * 1000;
/** Invocations remembered for the detail view. */
const MAX_INVOCATIONS = 4000;
/** Log lines remembered per invocation. */
const MAX_LINES_PER_INVOCATION = 300;

/** Fold of the snapshot and events; views read it on each frame. */
export class Model {
  constructor() {
    this.reset();
  }

  /** Forgets everything (a new snapshot follows). */
  reset() {
    /** @type {Map<string, any>} name -> function entry */
    this.functions = new Map();
    /** @type {Map<string, any>} requestId -> invocation */
    this.invocations = new Map();
    this.reloads = [];
    this.meta = null;
    this.metrics = null;
    /** Bumped on every change the views care about. */
    this.revision = 0;
  }

  /** Replaces the model with a snapshot, then replays the recent events it carries. */
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

  /** Updates function settings from a state document, keeping lanes. */
  setFunctions(functions) {
    for (const f of functions) this.fn(f.name).config = f;
    this.revision++;
  }

  /**
   * Applies one event. `onEntry` receives log-pane entries: `{time, fn, requestId, level, text, kind}`.
   */
  apply(e, onEntry) {
    this.revision++;
    switch (e.type) {
      case 'instance.init.start': {
        const lane = this.lane(e.function, e.instanceId, e.time);
        lane.initType = e.initType;
        lane.codeVersion = e.codeVersion;
        lane.state = 'initializing';
        lane.segments.push({ kind: 'init', start: e.time, end: null, initType: e.initType });
        return;
      }
      case 'instance.init.end': {
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
        return;
      }
      case 'invoke.start': {
        const lane = this.lane(e.function, e.instanceId, e.time);
        lane.state = 'busy';
        const seg = { kind: 'invoke', start: e.time, end: null, requestId: e.requestId, cold: e.cold, outcome: null };
        lane.segments.push(seg);
        const inv = this.invocation(e.requestId, e.function);
        Object.assign(inv, { instanceId: e.instanceId, start: e.time, cold: e.cold, source: e.source, segment: seg });
        inv.revision++;
        return;
      }
      case 'invoke.end': {
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
        return;
      }
      case 'invoke.throttled': {
        const f = this.fn(e.function);
        f.throttles.push({ time: e.time, requestId: e.requestId, reason: e.reason, source: e.source });
        onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: 'WARN', kind: 'throttle', text: `THROTTLED ${e.reason} (${e.source})` });
        return;
      }
      case 'instance.retired': {
        const lane = this.lane(e.function, e.instanceId, e.time);
        lane.state = 'retired';
        lane.retiredAt = e.time;
        lane.retireReason = e.reason;
        for (const seg of lane.segments) if (seg.end === null) seg.end = e.time;
        onEntry({ time: e.time, fn: e.function, level: '', kind: 'system', text: `retired instance ${e.instanceId} (${e.reason})` });
        return;
      }
      case 'code.reloaded': {
        this.reloads.push({ time: e.time, codeVersion: e.codeVersion, functions: e.functions });
        onEntry({ time: e.time, fn: '', level: '', kind: 'reload', text: `RELOAD code version ${e.codeVersion}: ${e.functions.join(', ') || 'no function changed'}${e.files.length ? ` (${e.files.join(', ')})` : ''}` });
        return;
      }
      case 'log': {
        if (e.requestId) {
          const inv = this.invocation(e.requestId, e.function);
          if (inv.logs.length < MAX_LINES_PER_INVOCATION) inv.logs.push(e);
          inv.revision++;
        }
        onEntry({ time: e.time, fn: e.function, requestId: e.requestId, level: e.level, kind: 'log', text: e.message });
        return;
      }
      case 'gateway.response': {
        onEntry({ time: e.time, fn: e.function || 'gateway', requestId: e.requestId, level: e.status >= 500 ? 'ERROR' : '', kind: 'system', text: `${e.method} ${e.path} → ${e.status} in ${e.durationMs.toFixed(0)} ms` });
        return;
      }
      default:
        return;
    }
  }

  /** Drops what fell off the widest window. */
  prune(now) {
    const horizon = now - HORIZON_MS;
    for (const f of this.functions.values()) {
      while (f.throttles.length && f.throttles[0].time < horizon) f.throttles.shift();
      for (const [id, lane] of f.lanes) {
        if (lane.retiredAt !== null && lane.retiredAt < horizon) {
          f.lanes.delete(id);
          continue;
        }
        if (lane.segments.length && lane.segments[0].end !== null && lane.segments[0].end < horizon) {
          lane.segments = lane.segments.filter((s) => s.end === null || s.end >= horizon);
        }
      }
    }
    while (this.reloads.length && this.reloads[0].time < horizon) this.reloads.shift();
  }

  /** Instances alive (not retired) and how many are busy, per function. */
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

  fn(name) {
    let f = this.functions.get(name);
    if (!f) {
      f = { name, config: null, lanes: new Map(), throttles: [] };
      this.functions.set(name, f);
    }
    return f;
  }

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

  invocation(requestId, fnName) {
    let inv = this.invocations.get(requestId);
    if (!inv) {
      inv = { requestId, fn: fnName, instanceId: null, start: null, end: null, outcome: null, report: null, logs: [], revision: 0, segment: null };
      this.invocations.set(requestId, inv);
      if (this.invocations.size > MAX_INVOCATIONS) {
        const oldest = this.invocations.keys().next().value;
        this.invocations.delete(oldest);
      }
    }
    return inv;
  }
}

/** A one-line REPORT for the log pane (the detail panel shows the line exactly as CloudWatch would). */
function reportSummary(e) {
  const parts = [`REPORT ${e.durationMs.toFixed(2)} ms`, `billed ${e.billedDurationMs} ms`, `${Math.ceil(e.maxMemoryUsedMb)}/${e.memorySizeMb} MB`];
  if (e.initDurationMs !== undefined && e.initDurationMs !== null) parts.push(`init ${e.initDurationMs.toFixed(2)} ms`);
  if (e.outcome !== 'success') parts.push(e.outcome);
  return parts.join(' · ');
}

function lastOpen(lane, kind) {
  for (let i = lane.segments.length - 1; i >= 0; i--) {
    const s = lane.segments[i];
    if (s.kind === kind && s.end === null) return s;
  }
  return null;
}
