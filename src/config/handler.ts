// `handler: path/to/file.export` -> the file on disk and the export, both checked before start-up.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { scanExports } from './handler-exports.js';
import type { KeyPath, Locator } from './location.js';

/** Extensions tried, in order, when the handler path has none (as Serverless does for Node.js). */
export const HANDLER_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts'];

/**
 * Splits a handler string as the Node.js runtime does: at the first dot of the file's base name,
 * the rest a property path. `src/api.users.list` -> file `src/api`, export path `users.list`.
 */
export function splitHandler(handler: string, at: KeyPath, loc: Locator): { file: string; exportName: string } {
  const slash = handler.lastIndexOf('/');
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  const exportName = dot > 0 ? base.slice(dot + 1) : '';
  if (dot <= 0 || !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(exportName)) {
    throw loc.invalid(`handler "${handler}" must be path/to/file.export (e.g. src/handler.main, or src/handler.ns.fn)`, at);
  }
  return { file: handler.slice(0, slash + 1 + dot), exportName };
}

/** A handler as found on disk. `problem` is set when the function cannot load: it fails only its own invocations. */
export interface ResolvedHandler {
  handlerFile: string;
  /** The property path to walk in the module (`main`, `ns.fn`). */
  handlerExport: string;
  problem?: { errorType: 'Runtime.ImportModuleError' | 'Runtime.HandlerNotFound'; message: string };
}

/** Finds the handler file and checks (statically) that it exports the first name of the handler's path. */
export async function resolveHandler(handler: string, serviceDir: string, at: KeyPath, loc: Locator): Promise<ResolvedHandler> {
  const { file, exportName } = splitHandler(handler, at, loc);
  const base = path.resolve(serviceDir, file);
  const candidates = HANDLER_EXTENSIONS.map((ext) => base + ext);
  let handlerFile: string | undefined;
  for (const candidate of candidates) {
    if ((await stat(candidate).catch(() => undefined))?.isFile()) {
      handlerFile = candidate;
      break;
    }
  }
  if (!handlerFile) {
    // A missing file outside the service directory is a mistyped path (or a probe), not a function
    // the deployed package could hold: refuse it instead of starting a function that can never load.
    const rel = path.relative(serviceDir, base);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw loc.invalid(`handler file not found for "${handler}" (looked for ${candidates[0]}): it points outside the service directory`, at);
    }
    const tried = candidates.map((c) => path.relative(serviceDir, c) || c).join(', ');
    return {
      handlerFile: candidates[0]!,
      handlerExport: exportName,
      problem: { errorType: 'Runtime.ImportModuleError', message: `handler file not found for "${handler}" (looked for ${tried})` },
    };
  }
  let scan;
  try {
    scan = await scanExports(handlerFile);
  } catch {
    // Unparseable here: the runtime's own error (a syntax error, most likely) says it better at init.
    return { handlerFile, handlerExport: exportName };
  }
  const first = exportName.split('.')[0]!;
  if (!scan.names.has(first) && scan.complete) {
    const found = [...scan.names];
    const list = found.length > 0 ? `it exports ${found.join(', ')}` : 'it exports nothing';
    return {
      handlerFile,
      handlerExport: exportName,
      problem: { errorType: 'Runtime.HandlerNotFound', message: `${path.relative(serviceDir, handlerFile)} has no export "${first}"; ${list}` },
    };
  }
  return { handlerFile, handlerExport: exportName };
}
