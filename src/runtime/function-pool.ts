// The instances of one function: routing to warm instances (provisioned first, then the most
// recently used, so surplus instances age out as in AWS), cold starts, idle retirement,
// provisioned concurrency and code versions.
import type { FunctionConfig, InitType } from '../types/config.js';
import type { InstanceSnapshot, InvocationCompleted, RetireReason } from '../types/runtime.js';
import { faultRetireReason } from './environment-death.js';
import { Instance, type InstanceOptions } from './instance.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import { takeMostRecentIdle } from '../platform/idle-stack.js';
import { ScalingBudget } from '../platform/scaling.js';

/** What every instance of the pool shares. */
export type PoolDeps = Omit<InstanceOptions, 'fn' | 'initType' | 'codeVersion'> & { limiter: ConcurrencyLimiter };

/** Instances of one function. */
export class FunctionPool {
  fn: FunctionConfig;
  codeVersion: number;
  provisionedTarget: number;
  private readonly deps: PoolDeps;
  private readonly instances = new Set<Instance>();
  /** Idle on-demand instances, most recently used last. */
  private idle: Instance[] = [];
  /** Idle provisioned instances. */
  private idleProvisioned: Instance[] = [];
  /** Lambda's scaling rate: new on-demand instances this function may start. */
  readonly scaling = new ScalingBudget(performance.now());

  constructor(fn: FunctionConfig, codeVersion: number, deps: PoolDeps) {
    this.fn = fn;
    this.codeVersion = codeVersion;
    this.provisionedTarget = fn.provisionedConcurrency;
    this.deps = deps;
  }

  /** A warm instance, if any: provisioned first (current code before old), then the most recently used. */
  takeIdle(): Instance | undefined {
    const pick = (list: Instance[], allowOld: boolean): Instance | undefined =>
      takeMostRecentIdle(list, (inst) => {
        const fault = faultRetireReason({ diedIdle: inst.dead });
        if (inst.state !== 'idle' || fault) {
          if (fault) this.retire(inst, fault);
          return 'drop';
        }
        return inst.codeVersion === this.codeVersion || allowOld ? 'take' : 'skip';
      });
    if (this.idleProvisioned.length > 0) {
      const p = pick(this.idleProvisioned, false) ?? pick(this.idleProvisioned, true);
      if (p) return p;
    }
    return this.idle.length > 0 ? pick(this.idle, false) : undefined;
  }

  /** A new instance of the current code, not yet initialized. */
  create(initType: InitType): Instance {
    const inst = new Instance({ fn: this.fn, initType, codeVersion: this.codeVersion, ...this.deps });
    this.instances.add(inst);
    return inst;
  }

  /** Puts an instance back after an invocation, or retires it when it failed, is outdated or was told to. */
  afterInvoke(inst: Instance, result: InvocationCompleted): void {
    const fault = faultRetireReason({ outcome: result.outcome, initFailed: inst.initFailed });
    if (fault) {
      this.retire(inst, fault);
      if (inst.initType === 'provisioned-concurrency') this.fillProvisioned();
      return;
    }
    if (inst.retireWhenDone || inst.codeVersion !== this.codeVersion && inst.initType === 'on-demand') {
      this.retire(inst, inst.retireWhenDone ?? 'reload');
      return;
    }
    inst.release();
    (inst.initType === 'provisioned-concurrency' ? this.idleProvisioned : this.idle).push(inst);
  }

  /** Retires on-demand instances idle since before `cutoff` (ms since epoch). */
  sweepIdle(cutoff: number): void {
    if (this.idle.length === 0) return;
    this.idle = this.idle.filter((inst) => {
      if (inst.state === 'idle' && inst.lastUsed < cutoff) {
        this.retire(inst, 'idle');
        return false;
      }
      return inst.state === 'idle';
    });
  }

  private retire(inst: Instance, reason: RetireReason): void {
    this.instances.delete(inst);
    inst.retire(reason);
  }

  /** Starts provisioned instances until the target is met; resolves when those started now are ready. */
  fillProvisioned(onReady?: (inst: Instance) => void): Promise<void> {
    const alive = [...this.instances].filter((i) => i.initType === 'provisioned-concurrency' && i.codeVersion === this.codeVersion).length;
    const missing = this.provisionedTarget - alive;
    const starts: Promise<void>[] = [];
    for (let i = 0; i < missing; i++) starts.push(this.startProvisioned(onReady));
    return Promise.all(starts).then(() => undefined);
  }

  private async startProvisioned(onReady?: (inst: Instance) => void): Promise<void> {
    const inst = this.create('provisioned-concurrency');
    const name = this.fn.name;
    // An initializing instance counts against the limits, but provisioned allocation is never refused.
    this.deps.limiter.tryAcquire(name, true);
    try {
      await inst.initialize();
    } finally {
      this.deps.limiter.release(name);
    }
    if (inst.state === 'retired') return;
    if (inst.codeVersion !== this.codeVersion) {
      this.retire(inst, 'reload');
      return;
    }
    const fault = faultRetireReason({ initFailed: inst.initFailed, diedIdle: inst.dead });
    if (fault) {
      this.retire(inst, fault);
      return;
    }
    inst.markReady();
    this.idleProvisioned.push(inst);
    this.retireSurplusProvisioned();
    onReady?.(inst);
  }

  // Old-version provisioned instances serve until their replacements are ready, as when an alias moves.
  private retireSurplusProvisioned(): void {
    const prov = [...this.instances].filter((i) => i.initType === 'provisioned-concurrency');
    const current = prov.filter((i) => i.codeVersion === this.codeVersion && i.state !== 'initializing').length;
    let surplus = prov.filter((i) => i.state !== 'initializing').length - Math.max(this.provisionedTarget, 0);
    const old = prov.filter((i) => i.codeVersion !== this.codeVersion);
    for (const inst of old) {
      if (surplus <= 0 && current < this.provisionedTarget) break;
      this.retireProvisioned(inst, 'reload');
      surplus--;
    }
    // A lowered target retires current-version surplus too.
    for (const inst of prov.filter((i) => i.codeVersion === this.codeVersion && i.state !== 'initializing')) {
      if (surplus <= 0) break;
      this.retireProvisioned(inst, 'shutdown');
      surplus--;
    }
  }

  private retireProvisioned(inst: Instance, reason: RetireReason): void {
    if (inst.state === 'busy') inst.retireWhenDone = reason;
    else {
      this.idleProvisioned = this.idleProvisioned.filter((i) => i !== inst);
      this.retire(inst, reason);
    }
  }

  /** Changes the provisioned target: starts or retires instances. */
  setProvisioned(target: number): Promise<void> {
    this.provisionedTarget = target;
    this.retireSurplusProvisioned();
    return this.fillProvisioned();
  }

  /** Provisioned instances of the current code ready to serve. */
  provisionedReady(): number {
    let ready = 0;
    for (const i of this.instances) {
      if (i.initType === 'provisioned-concurrency' && i.codeVersion === this.codeVersion && (i.state === 'idle' || i.state === 'busy')) ready++;
    }
    return ready;
  }

  /** New code (or new settings): idle instances of the old version retire now, busy ones when done. */
  reload(codeVersion: number, fn: FunctionConfig): Promise<void> {
    this.codeVersion = codeVersion;
    this.fn = fn;
    this.provisionedTarget = fn.provisionedConcurrency;
    for (const inst of this.idle) this.retire(inst, 'reload');
    this.idle = [];
    for (const inst of this.instances) {
      if (inst.initType === 'on-demand' && inst.codeVersion !== codeVersion && inst.state !== 'idle') inst.retireWhenDone = 'reload';
    }
    return this.fillProvisioned();
  }

  /** Retires every instance (shutdown or removal of the function). */
  retireAll(reason: RetireReason): void {
    for (const inst of this.instances) {
      if (inst.state === 'busy' || inst.state === 'initializing') inst.retireWhenDone = reason;
      else this.retire(inst, reason);
    }
    this.idle = [];
    this.idleProvisioned = [];
    this.provisionedTarget = 0;
  }

  /** Force-retires whatever is left (end of shutdown). */
  destroyAll(reason: RetireReason): void {
    for (const inst of this.instances) this.retire(inst, reason);
  }

  /** Instances for the state endpoint. */
  snapshot(): InstanceSnapshot[] {
    return [...this.instances].map((i) => i.snapshot());
  }

}
