// How the Node.js runtime settles one invocation, whatever style the handler is written in:
// - a returned promise (thenable) settles it when it settles;
// - any other return value is ignored: the invocation waits for the callback or for
//   context.done / succeed / fail;
// - callback(null, result) answers once the event loop is empty, unless the handler set
//   context.callbackWaitsForEmptyEventLoop = false; callback(err) and the context methods answer
//   at once;
// - when the event loop empties and nothing answered, the result is null.
// Only the first of them counts. A worker thread's loop never empties (its message port keeps it
// alive), so "empty" means: no resource keeps it alive that was not already there when the
// invocation started.
import { ActiveResources } from './active-resources.js';
import { NothingThrown } from './errors.js';

/** A handler as the runtime calls it. */
export type Handler = (event: unknown, context: unknown, callback: (err?: unknown, result?: unknown) => void) => unknown;

/** The callback-style members of the context object. */
export interface ContextCallbacks {
  done: (err?: unknown, result?: unknown) => void;
  succeed: (result?: unknown) => void;
  fail: (err?: unknown) => void;
}

/** Runs a handler and resolves with its result, or rejects with what it failed with. */
export function callHandler(fn: Handler, event: unknown, makeContext: (callbacks: ContextCallbacks) => Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const baseline = ActiveResources.snapshot();
    let answered = false;
    let waiting: { stop(): void } | null = null;
    const answer = (err: unknown, result: unknown) => {
      if (answered) return;
      answered = true;
      waiting?.stop();
      if (err !== undefined && err !== null) reject(err);
      else resolve(result);
    };
    // Only the first of callback, done, succeed and fail counts, as in the runtime.
    let finished = false;
    const first =
      <A extends unknown[]>(f: (...args: A) => void) =>
      (...args: A): void => {
        if (finished) return;
        finished = true;
        f(...args);
      };
    const succeed = first((result?: unknown) => answer(null, result));
    // The runtime reports a fail() without a reason as the error "handled".
    const fail = first((err?: unknown) => answer(err ?? 'handled', undefined));
    const context = makeContext({ done: first((err?: unknown, result?: unknown) => answer(err, result)), succeed, fail });
    const callback = first((err?: unknown, result?: unknown) => {
      if ((err !== undefined && err !== null) || context.callbackWaitsForEmptyEventLoop === false) return answer(err, result);
      waiting?.stop();
      waiting = baseline.whenEmpty(() => answer(null, result));
    });
    try {
      const ret = fn(event, context, callback);
      if (ret !== null && (typeof ret === 'object' || typeof ret === 'function') && typeof (ret as PromiseLike<unknown>).then === 'function') {
        (ret as PromiseLike<unknown>).then(succeed, (e: unknown) => fail(e ?? new NothingThrown(e as null | undefined)));
        return;
      }
    } catch (err) {
      // `throw null` is an error to the runtime, not a success.
      answer(err ?? new NothingThrown(err as null | undefined), undefined);
      return;
    }
    // Not a promise: nothing answers until a callback does, or the loop empties (null).
    if (!finished) waiting = baseline.whenEmpty(() => answer(null, null));
  });
}
