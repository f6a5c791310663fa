// Error payloads as the Node.js runtime interface client reports them.
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
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err: JSON.stringify(err) ?? String(err), trace: [] };
}

/** The payload of an error raised while loading the handler module. */
export function initErrorPayload(err: unknown): FunctionErrorPayload {
  const base = toErrorPayload(err);
  const code = (err as { code?: string } | null)?.code;
  if (err instanceof SyntaxError) return { ...base, errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `${err.name}: ${err.message}` };
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
    const hint = sdkHint(missingPackage(base.errorMessage), process.env.AWS_EXECUTION_ENV ?? '');
    const errorMessage = `Error: ${base.errorMessage}${hint ? `\n${hint}`: ''}`;
    return { ...base, errorType: 'Runtime.ImportModuleError', errorMessage, trace: [`Runtime.ImportModuleError: ${errorMessage}`, ...base.trace.slice(1)] };
  }
  return base;
}

/** The package a "cannot find" message names (`@scope/name` or `name`), if it names one. */
export function missingPackage(message: string): string | undefined {
  const spec = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
  if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/'): parts[0];
}

/**
 * What differs from AWS when the missing package is the AWS SDK: Lambda's Node.js 18+ runtimes
 * ship the SDK v3 (@aws-sdk/*) and no longer v2 (aws-sdk); Node.js 16 and older ship v2.
 * `executionEnv` is AWS_EXECUTION_ENV (`AWS_Lambda_nodejs20.x`).
 */
export function sdkHint(pkg: string | undefined, executionEnv: string): string | undefined {
  if (!pkg) return undefined;
  const major = Number(/nodejs(\d+)/.exec(executionEnv)?.[1] ?? 20);
  if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/')) {
    if (major < 18) return undefined;
    return `coldstart: Lambda's nodejs${major}.x runtime includes the AWS SDK for JavaScript v3, so ${pkg} loads on AWS without being installed; locally it must be installed: npm install --save-dev ${pkg}`;
  }
  if (pkg === 'aws-sdk') {
    if (major < 18) return `coldstart: Lambda's nodejs${major}.x runtime includes aws-sdk (v2), so it loads on AWS without being installed; locally it must be installed: npm install --save-dev aws-sdk`;
    return `coldstart: Lambda's Node.js 18 and later runtimes do not include aws-sdk (v2), so this fails on AWS too: add it to dependencies (npm install aws-sdk), or move to the v3 clients (@aws-sdk/client-*), which the runtime includes`;
  }
  return undefined;
}
