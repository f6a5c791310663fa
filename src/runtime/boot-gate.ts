// How many execution environments (threads, or processes under `isolation: process`) boot at
// once. Booting a Node thread is CPU-bound (about 40 ms of CPU here), so 100 boots take the same
// total time whether they run 100 or a few at a time; started all at once, they starve the main
// thread, which must go on answering requests and throttles, and every one of them finishes late.
// A slot is held only until a thread is online (a process: until its runtime entry has loaded):
// the handler's own init, which may wait on the network, runs outside the gate.

/** `now`: a cold start waits for it; `background`: a spare, which goes after every waiting `now`. */
export type BootPriority = 'now' | 'background';

/** A first-come, first-served limit on concurrent boots, with background boots served last. */
export class BootGate {
  private active = 0;
  private readonly waiting: Record<BootPriority, (() => void)[]> = { now: [], background: [] };

  constructor(readonly capacity: number) {}

  /** Resolves, once a slot is free, with the function that frees it again (safe to call twice). */
  acquire(priority: BootPriority = 'now'): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          (this.waiting.now.shift() ?? this.waiting.background.shift())?.();
        });
      };
      if (this.active < this.capacity) grant();
      else this.waiting[priority].push(grant);
    });
  }
}
