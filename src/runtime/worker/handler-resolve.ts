// Loading the handler module and finding the handler in it, as the Node.js runtime interface
// client does: the handler string's part after the file's first dot is a property path walked
// from the module (`file.ns.fn`, a static method of an exported class, a method of an exported
// instance), and what goes wrong is reported as Runtime.ImportModuleError or Runtime.HandlerNotFound.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionErrorPayload } from '../../types/runtime.js';
import { initErrorPayload } from './errors.js';

/** What the init phase gets: the handler function, or the error the runtime would report. */
export type LoadedHandler<F> = { handler: F; error?: undefined } | { handler?: undefined; error: FunctionErrorPayload };

/** Imports `entryFile` and walks `exportPath` in it. `handlerString` is the function's `handler` as configured (_HANDLER). */
export async function loadHandler<F>(entryFile: string, exportPath: string, handlerString: string): Promise<LoadedHandler<F>> {
  if (!existsSync(entryFile)) {
    // The runtime's words for a missing handler module.
    const moduleName = path.basename(entryFile).replace(/\.[cm]?[jt]s$/, '');
    const message = `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${entryFile}`;
    return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: message, trace: [`Runtime.ImportModuleError: ${message}`] } };
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entryFile).href)) as Record<string, unknown>;
  } catch (err) {
    return { error: initErrorPayload(err) };
  }
  const fn = walk(mod, exportPath) ?? walk(mod.default, exportPath);
  if (typeof fn !== 'function') {
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerString} is undefined or not exported`, trace: [] } };
  }
  return { handler: fn as F };
}

// Unbound, as the runtime calls it: a method that uses `this` fails here as it does on AWS.
function walk(root: unknown, exportPath: string): unknown {
  let value = root;
  for (const key of exportPath.split('.')) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
