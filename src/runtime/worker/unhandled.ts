// A promise rejected with nobody to handle it ends the environment, as in the Node.js runtime,
// which first logs `Unhandled Promise Rejection` with the reason: without that line the user
// sees only that the instance crashed, often after the invocation had already answered.
import type { WorkerLogMessage } from './protocol.js';

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
    throw fatal;
  });
}
