// Execution environments booted ahead of need (the `spareThreads` setting). Booting a Node thread
// costs about 40-50 ms of CPU on the development VM. One cold start's environment boots inside the
// modelled platform delay (Lambda creates the sandbox outside Init Duration,
// docs/cold-start-model.md), but 100 simultaneous cold starts on 2 cores waited seconds for their
// threads: time that belongs to this machine, not to the model. A spare is a booted environment
// that knows no function yet: an instance that takes one sends it its function with the init task,
// so the cold start pays for the handler's init and not for Node's bootstrap. Under
// `isolation: process` the spares are booted processes, for the same reason.
import type { Isolation } from '../types/config.js';
import type { SpareEnvironmentsStatus } from '../types/runtime.js';
import type { BootedEnvironment } from './booted-environment.js';
import { BootedProcess } from './booted-process.js';
import { BootedThread } from './booted-thread.js';
import type { RuntimeResources } from './runtime-resources.js';
import type { BootPriority } from './boot-gate.js';

/**
 * How long after the last spare was taken before replacements boot, ms: booting competes with the
 * burst that took them for the same cores. A steady ramp of cold starts cannot hold them back for
 * long: once the spares run out, nothing takes one and the wait ends.
 */
const REFILL_QUIET_MS = 500;

/** The spare environments (threads or processes) of the emulator, per memory size. */
export class SpareEnvironments {
  private readonly ready = new Map<number, BootedEnvironment[]>();
  private readonly booting = new Map<number, number>();
  private sizes: number[] = [];
  private perSize = 0;
  private taken = 0;
  private closed = false;
  private refill: NodeJS.Timeout | null = null;
  /** Boots under way (close() waits for them, and ends what they booted). */
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * `isolation`: what spares and instances are booted as, until configure() says otherwise;
   * `resources`: the runtime's boot gate and memory watch, which every environment it boots uses.
   */
  constructor(
    private isolation: Isolation,
    readonly resources: RuntimeResources,
  ) {}

  /** An environment for a new instance of `memoryMb`: a ready spare when there is one, else one booted now. */
  take(memoryMb: number): BootedEnvironment {
    const list = this.ready.get(memoryMb);
    for (let t = list?.pop(); t; t = list?.pop()) {
      if (t.gone) {
        void t.destroy();
        continue;
      }
      this.taken++;
      this.scheduleRefill();
      return t;
    }
    return this.boot(memoryMb, 'now');
  }

  private boot(memoryMb: number, priority: BootPriority): BootedEnvironment {
    return this.isolation === 'process' ? new BootedProcess(memoryMb, priority, this.resources): new BootedThread(memoryMb, priority, this.resources);
  }

  /**
   * Keeps `perSize` spares of `isolation` for each of `memorySizes`, ending those no longer wanted;
   * resolves when the missing ones have booted.
   */
  configure(memorySizes: Iterable<number>, perSize: number, isolation: Isolation): Promise<void> {
    const kindChanged = isolation !== this.isolation;
    this.isolation = isolation;
    this.sizes = [...new Set(memorySizes)].sort((a, b) => a - b);
    this.perSize = Math.max(0, Math.floor(perSize));
    for (const [size, list] of this.ready) {
      const keep = this.sizes.includes(size) && !kindChanged ? this.perSize: 0;
      for (const t of list.splice(keep)) void t.destroy();
    }
    return this.fill();
  }

  private scheduleRefill(): void {
    if (this.refill) {
      this.refill.refresh();
      return;
    }
    this.refill = setTimeout(() => {
      this.refill = null;
      void this.fill();
    }, REFILL_QUIET_MS);
    // The emulator's lifetime is not tied to a pending refill.
    this.refill.unref();
  }

  // Boots what is missing at background priority: a cold start waiting for an environment goes first.
  private async fill(): Promise<void> {
    if (this.closed) return;
    const boots: Promise<void>[] = [];
    for (const size of this.sizes) {
      const missing = this.perSize - this.readyOf(size).length - (this.booting.get(size) ?? 0);
      for (let i = 0; i < missing; i++) {
        const boot = this.bootOne(size).finally(() => this.inFlight.delete(boot));
        this.inFlight.add(boot);
        boots.push(boot);
      }
    }
    await Promise.all(boots);
  }

  // The list of ready spares of one memory size (made on first use, never replaced).
  private readyOf(size: number): BootedEnvironment[] {
    let list = this.ready.get(size);
    if (!list) this.ready.set(size, (list = []));
    return list;
  }

  private async bootOne(size: number): Promise<void> {
    this.booting.set(size, (this.booting.get(size) ?? 0) + 1);
    const isolation = this.isolation;
    const spare = this.boot(size, 'background');
    const ok = await spare.prepare();
    this.booting.set(size, this.booting.get(size)! - 1);
    const list = this.readyOf(size);
    if (!ok || this.closed || isolation !== this.isolation || !this.sizes.includes(size) || list.length >= this.perSize) {
      await spare.destroy();
      return;
    }
    list.push(spare);
    // A spare that dies unused (nothing runs on it, so only the machine can end it) is dropped.
    spare.whenDead(() => {
      const at = list.indexOf(spare);
      if (at >= 0) list.splice(at, 1);
    });
  }

  /** Counts for the state document. */
  status(): SpareEnvironmentsStatus {
    let ready = 0;
    let booting = 0;
    for (const size of this.sizes) {
      ready += this.readyOf(size).length;
      booting += this.booting.get(size) ?? 0;
    }
    return { perMemorySize: this.perSize, memorySizes: [...this.sizes], ready, booting, taken: this.taken };
  }

  /** Ends every spare; none boots afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.refill) clearTimeout(this.refill);
    const all = [...this.ready.values()].flatMap((list) => list.splice(0));
    await Promise.all([...all.map((t) => t.destroy()), ...this.inFlight]);
  }
}
