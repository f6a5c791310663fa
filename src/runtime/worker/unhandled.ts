// A promise rejected with nobody to handle it ends the environment, as in the Node.js runtime,
// which first logs `Unhandled Promise Rejection` with the reason: without that line the user
// sees only that the instance crashed, often after the invocation had already answered.
import type { WorkerLogMessage } from './protocol.js';

// Between the handler's answer and its delivery to the emulator (the CPU reading, the memory
// check), a rejection from a timer the handler left behind must not overtake the answer: the
// Node.js runtime posts the response as soon as the handler settles, so such a rejection ends the
// environment after it, and so it does here.
let answerOnItsWay = false;
let deferred: Error | null = null;

/** The handler settled: its answer is on its way to the emulator. */
export function answerSettled(): void {
  answerOnItsWay = true;
}

/** The answer was posted: a rejection that came meanwhile now ends the environment. */
export function answerPosted(): void {
  answerOnItsWay = false;
  const fatal = deferred;
  deferred = null;
  if (fatal) {
    setImmediate(() => {
      throw fatal;
    });
  }
}

/** Lambda's error type for it. */
export const UNHANDLED_REJECTION = 'Runtime.UnhandledPromiseRejection';

/** The reason's text as the runtime shows it (`Error: message` for an Error). */
export function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    return String(reason);
  } catch {
    return Object.prototype.toString.call(reason);
  }
}

/**
 * Logs the reason on the instance's channel, then ends the environment with an error of that
 * type (the emulator reports the instance as crashed with it).
 */
export function installUnhandledRejectionReport(log: (msg: WorkerLogMessage) => void, requestId: () => string | undefined): void {
  process.on('unhandledRejection', (reason: unknown) => {
    const message = describeReason(reason);
    const stack = reason instanceof Error && typeof reason.stack === 'string' ? reason.stack.split('\n') : [];
    const record = { errorType: UNHANDLED_REJECTION, errorMessage: message, reason: { message, stack } };
    log({ kind: 'log', requestId: requestId(), level: 'ERROR', message: `Unhandled Promise Rejection \t${JSON.stringify(record)}`, time: Date.now() });
    const fatal = new Error(message);
    fatal.name = UNHANDLED_REJECTION;
    if (answerOnItsWay) {
      deferred ??= fatal;
      return;
    }
    throw fatal;
  });
}
