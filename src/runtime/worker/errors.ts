// Error payloads as the Node.js runtime interface client reports them (lambda-facts.md B5).
import type { FunctionErrorPayload } from '../../types/runtime.js';

/** A handler threw or rejected with `null` or `undefined` (which otherwise reads as success). */
export class NothingThrown {
  constructor(readonly value: null | undefined) {}
}

/** The `{errorType, errorMessage, trace}` of a thrown value. */
export function toErrorPayload(err: unknown): FunctionErrorPayload {
  if (err instanceof NothingThrown || err === null || err === undefined) {
    // The runtime cannot read a message from it and says so in these words.
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
  }
  // Non-Error values: the runtime reports their type and their text.
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err) ?? String(err), trace: [] };
}

/** The payload of an error raised while loading the handler module. */
export function initErrorPayload(err: unknown): FunctionErrorPayload {
  const base = toErrorPayload(err);
  const code = (err as { code?: string } | null)?.code;
  if (err instanceof SyntaxError) return { ...base, errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `${err.name}: ${err.message}` };
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
    return { ...base, errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${base.errorMessage}` };
  }
  return base;
}
