// What the instances of one runtime share: the boot gate, the busy-memory watch and the inspector
// session behind it. Each runtime makes its own, so two emulators in one process (two test files'
// servers, say) never wait at each other's gate or close each other's probe.
import { availableParallelism } from 'node:os';
import { useBatchScheduling } from './batch-scheduling.js';
import { BusyMemoryWatch } from './memory/busy-memory-watch.js';
import { HeapProbe } from './memory/heap-probe.js';
import { BootGate } from './boot-gate.js';

/** Services shared by every execution environment of one runtime. */
export interface RuntimeResources {
  /** How many environments boot at once (booting is CPU-bound). */
  readonly bootGate: BootGate;
  /** Measures environments whose code runs without yielding. */
  readonly memoryWatch: BusyMemoryWatch;
  /** The inspector session the memory watch asks worker threads through. */
  readonly heapProbe: HeapProbe;
  /** Called just before a thread or process is started. */
  beforeBoot(): void;
  /** Ends the inspector session. */
  close(): void;
}

/** Options of createRuntimeResources. */
export interface RuntimeResourceOptions {
  /**
   * Put this process's main thread under SCHED_BATCH before the first environment starts, so that
   * environments inherit it (batch-scheduling.ts). It changes the host process, so only the
   * command-line program asks for it.
   */
  batchScheduling?: boolean;
}

/** A fresh set of shared services for one runtime. */
export function createRuntimeResources(options: RuntimeResourceOptions = {}): RuntimeResources {
  const heapProbe = new HeapProbe();
  return {
    bootGate: new BootGate(Math.max(2, availableParallelism())),
    memoryWatch: new BusyMemoryWatch(heapProbe),
    heapProbe,
    beforeBoot: options.batchScheduling ? useBatchScheduling : () => undefined,
    close: () => heapProbe.close(),
  };
}
