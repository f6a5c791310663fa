// Which idle instance takes a request: the most recently used one. Kept as a stack (most recently
// used on top), surplus instances sink to the bottom and age out, which is what keeps instance
// counts as low as AWS keeps them. Shared by the runtime and the simulator.

/** What to do with a candidate while looking for an idle instance. */
export type IdleVerdict = 'take' | 'skip' | 'drop';

/**
 * Takes the most recently used acceptable instance off `stack` (most recently used last).
 * `verdict` may skip a candidate (left in place) or drop it (removed: no longer idle).
 */
export function takeMostRecentIdle<T>(stack: T[], verdict: (candidate: T) => IdleVerdict): T | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const v = verdict(stack[i]!);
    if (v === 'skip') continue;
    const item = stack[i]!;
    // The top of the stack is the common case: pop() does not allocate as splice() does.
    if (i === stack.length - 1) stack.pop();
    else stack.splice(i, 1);
    if (v === 'take') return item;
  }
  return undefined;
}

/** When the least recently used idle instance retires: last use + idle timeout. */
export function retiresAt(lastUsedMs: number, idleTimeoutMs: number): number {
  return lastUsedMs + idleTimeoutMs;
}
