// The virtual-time engine: Lambda's lifecycle rules replayed on a simulated clock. Arrivals,
// completions (a heap) and idle retirements (the bottom of each idle stack) are the only events;
// instances live in typed arrays and statistics stream into fixed-size structures, so an hour at
// thousands of requests per second runs in seconds and constant memory.
import { seededUniform } from '../model/random.js';
import { admit, unreservedLimit } from '../platform/admission.js';
import { billedDurationMs } from '../model/cold-start.js';
import { retiresAt, takeMostRecentIdle } from '../platform/idle-stack.js';
import { ScalingBudget } from '../platform/scaling.js';
import { TokenBucket } from '../gateway/throttle.js';
import type { StageThrottle } from '../types/config.js';
import type { ArrivalStream } from './arrivals.js';
import { EventHeap } from './event-heap.js';
import { LogHistogram } from './histogram.js';
import type { ColdDraw, ServiceModel } from './service.js';
import { Counter, Level, TIMELINE_BINS } from './timeline.js';

/** The API in front of a function, which decides what a caller sees on a throttle or a slow answer. */
export type FrontEnd = 'rest' | 'httpApi' | 'sqs' | 'direct';

/** One function as the engine sees it. */
export interface SimFunction {
  name: string;
  memoryMb: number;
  timeoutMs: number;
  reserved: number | null;
  provisioned: number;
  frontEnd: FrontEnd;
  /** The gateway's timeout (29 s REST, 30 s HTTP API); Infinity without a gateway. */
  gatewayTimeoutMs: number;
  service: ServiceModel;
}

/** An arrival stream feeding one function. */
export interface SimSource {
  fn: number;
  stream: ArrivalStream;
}

/** Everything one simulated run needs. */
export interface SimInput {
  functions: SimFunction[];
  sources: SimSource[];
  accountConcurrency: number;
  idleTimeoutMs: number;
  durationMs: number;
  /** The REST/HTTP API stage throttle, shared by every function behind the gateway. */
  stageThrottle: StageThrottle | null;
  /** Seed of the service-time draws (arrivals carry their own generators). */
  seed: number;
  onProgress?: (fraction: number) => void;
}

/** Throttles by cause. */
export interface ThrottleCounts {
  reserved: number;
  account: number;
  scaling: number;
  stage: number;
}

/** Raw results of one function in one run. */
export interface FunctionRun {
  name: string;
  requests: Counter;
  invocations: number;
  coldStarts: Counter;
  throttled: Counter;
  throttles: ThrottleCounts;
  timeouts: number;
  gatewayTimeouts: number;
  latency: LogHistogram;
  instances: Level;
  concurrency: Level;
  /** Sum of Billed Duration (ms) of invocations on on-demand instances (cold ones include init). */
  onDemandBilledMs: number;
  /** Sum of Billed Duration (ms) of invocations served by provisioned instances. */
  provisionedBilledMs: number;
  provisionedInvocations: number;
}

/** Raw results of one run. */
export interface SimRun {
  durationMs: number;
  binMs: number;
  functions: FunctionRun[];
  instances: Level;
  concurrency: Level;
  events: number;
}

interface FnState {
  spec: SimFunction;
  run: FunctionRun;
  idle: number[];
  idleProvisioned: number[];
  running: number;
  scaling: ScalingBudget;
}

const TAKE = (): 'take' => 'take';

/** Runs one configuration to the end of its window. */
export function simulate(input: SimInput): SimRun {
  const end = input.durationMs;
  const binMs = end / TIMELINE_BINS;
  const uniform = seededUniform(input.seed);
  const idleMs = input.idleTimeoutMs;
  const heap = new EventHeap();
  const bucket = input.stageThrottle ? new TokenBucket(input.stageThrottle, 0) : null;
  const reservedSum = input.functions.reduce((s, f) => s + (f.reserved ?? 0), 0);
  const unreserved = unreservedLimit(input.accountConcurrency, reservedSum);
  let unreservedRunning = 0;

  // Instance slots, reused after retirement.
  let slotFn = new Int32Array(1024);
  let slotLastUsed = new Float64Array(1024);
  let slotFlags = new Uint8Array(1024); // 1 provisioned, 2 destroy after this invocation
  let slots = 0;
  const free: number[] = [];
  const newSlot = (fn: number, flags: number): number => {
    let s = free.pop();
    if (s === undefined) {
      if (slots === slotFn.length) {
        const n = slots * 2;
        const a = new Int32Array(n);
        a.set(slotFn);
        slotFn = a;
        const b = new Float64Array(n);
        b.set(slotLastUsed);
        slotLastUsed = b;
        const c = new Uint8Array(n);
        c.set(slotFlags);
        slotFlags = c;
      }
      s = slots++;
    }
    slotFn[s] = fn;
    slotFlags[s] = flags;
    return s;
  };

  const fns: FnState[] = input.functions.map((spec) => ({
    spec,
    run: {
      name: spec.name,
      requests: new Counter(binMs),
      invocations: 0,
      coldStarts: new Counter(binMs),
      throttled: new Counter(binMs),
      throttles: { reserved: 0, account: 0, scaling: 0, stage: 0 },
      timeouts: 0,
      gatewayTimeouts: 0,
      latency: new LogHistogram(),
      instances: new Level(binMs),
      concurrency: new Level(binMs),
      onDemandBilledMs: 0,
      provisionedBilledMs: 0,
      provisionedInvocations: 0,
    },
    idle: [],
    idleProvisioned: [],
    running: 0,
    scaling: new ScalingBudget(0),
  }));
  // With one function the totals are its own levels: no need to count twice.
  const single = fns.length === 1;
  const totalInstances = single ? fns[0]!.run.instances : new Level(binMs);
  const totalConcurrency = single ? fns[0]!.run.concurrency : new Level(binMs);

  // Provisioned instances are initialized before the window opens and never retire for idleness.
  fns.forEach((f, i) => {
    for (let k = 0; k < f.spec.provisioned; k++) {
      f.idleProvisioned.push(newSlot(i, 1));
      f.run.instances.add(1, 0);
      if (!single) totalInstances.add(1, 0);
    }
  });

  const sources = input.sources;
  const nextArrival = Float64Array.from(sources, (s) => s.stream.next());
  const cold: ColdDraw = { platformMs: 0, initMs: 0, durationMs: 0 };
  let events = 0;

  for (;;) {
    let tA = Infinity;
    let src = -1;
    for (let i = 0; i < sources.length; i++) {
      if (nextArrival[i]! < tA) {
        tA = nextArrival[i]!;
        src = i;
      }
    }
    let tR = Infinity;
    let retiring = -1;
    for (let i = 0; i < fns.length; i++) {
      const idle = fns[i]!.idle;
      if (idle.length > 0) {
        const r = retiresAt(slotLastUsed[idle[0]!]!, idleMs);
        if (r < tR) {
          tR = r;
          retiring = i;
        }
      }
    }
    const tC = heap.peekTime();
    const t = Math.min(tA, tR, tC);
    if (t >= end) break;
    if ((++events & 0x3ffff) === 0 && input.onProgress) input.onProgress(t / end);

    if (tC <= t) {
      // An invocation ended: its instance goes back on top of the idle stack, or is destroyed.
      const slot = heap.pop();
      const f = fns[slotFn[slot]!]!;
      f.running--;
      if (f.spec.reserved === null) unreservedRunning--;
      f.run.concurrency.add(-1, t);
      if (!single) totalConcurrency.add(-1, t);
      const flags = slotFlags[slot]!;
      if (flags & 2) {
        f.run.instances.add(-1, t);
        if (!single) totalInstances.add(-1, t);
        free.push(slot);
      } else {
        slotLastUsed[slot] = t;
        (flags & 1 ? f.idleProvisioned : f.idle).push(slot);
      }
      continue;
    }

    if (tR <= t) {
      // The least recently used idle instance reached its idle timeout.
      const f = fns[retiring]!;
      free.push(f.idle.shift()!);
      f.run.instances.add(-1, t);
      if (!single) totalInstances.add(-1, t);
      continue;
    }

    // An arrival.
    const source = sources[src]!;
    nextArrival[src] = source.stream.next();
    const fi = source.fn;
    const f = fns[fi]!;
    const spec = f.spec;
    const run = f.run;
    run.requests.hit(t);
    if (bucket && (spec.frontEnd === 'rest' || spec.frontEnd === 'httpApi') && !bucket.take(t)) {
      run.throttles.stage++;
      run.throttled.hit(t);
      continue;
    }
    const refused = admit(spec.reserved, f.running, unreservedRunning, unreserved);
    if (refused) {
      if (refused === 'ReservedFunctionConcurrentInvocationLimitExceeded') run.throttles.reserved++;
      else run.throttles.account++;
      run.throttled.hit(t);
      continue;
    }
    const warm = f.idleProvisioned.length > 0 ? f.idleProvisioned.pop()! : takeMostRecentIdle(f.idle, TAKE);
    let slot: number;
    let latency: number;
    let duration: number;
    let initMs = 0;
    const isCold = warm === undefined;
    if (isCold) {
      if (!f.scaling.take(t)) {
        run.throttles.scaling++;
        run.throttled.hit(t);
        continue;
      }
      slot = newSlot(fi, 0);
      spec.service.cold(uniform, cold);
      initMs = cold.initMs;
      duration = cold.durationMs;
      latency = cold.platformMs + cold.initMs;
      run.coldStarts.hit(t);
      run.instances.add(1, t);
      if (!single) totalInstances.add(1, t);
    } else {
      slot = warm;
      duration = spec.service.warmMs(uniform);
      latency = 0;
    }
    if (duration > spec.timeoutMs) {
      // The function timed out: Lambda destroys the instance; the next call starts cold.
      duration = spec.timeoutMs;
      slotFlags[slot] |= 2;
      run.timeouts++;
    }
    latency += duration;
    heap.push(t + latency, slot);
    if (latency > spec.gatewayTimeoutMs) {
      // The gateway gives up; the invocation runs on, holding its instance.
      latency = spec.gatewayTimeoutMs;
      run.gatewayTimeouts++;
    }
    run.latency.add(latency);
    run.invocations++;
    if (slotFlags[slot]! & 1) {
      run.provisionedBilledMs += billedDurationMs(duration, undefined, 'provisioned-concurrency');
      run.provisionedInvocations++;
    } else run.onDemandBilledMs += billedDurationMs(duration, isCold ? initMs : undefined, 'on-demand');
    f.running++;
    if (spec.reserved === null) unreservedRunning++;
    run.concurrency.add(1, t);
    if (!single) totalConcurrency.add(1, t);
  }
  for (const f of fns) {
    f.run.instances.advance(end);
    f.run.concurrency.advance(end);
  }
  if (!single) {
    totalInstances.advance(end);
    totalConcurrency.advance(end);
  }
  input.onProgress?.(1);
  return { durationMs: end, binMs, functions: fns.map((f) => f.run), instances: totalInstances, concurrency: totalConcurrency, events };
}
