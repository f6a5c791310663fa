// `handler: path/to/file.export` -> the file on disk and the export, both checked before start-up.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { scanExports } from './handler-exports.js';
import type { KeyPath, Locator } from './location.js';

/** Extensions tried, in order, when the handler path has none (as Serverless does for Node.js). */
export const HANDLER_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts'];

/** Splits a handler string at its last dot: `src/api.users.list` -> file `src/api.users`, export `list`. */
export function splitHandler(handler: string, at: KeyPath, loc: Locator): { file: string; exportName: string } {
  const base = handler.slice(handler.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const exportName = dot > 0 ? base.slice(dot + 1) : '';
  if (dot <= 0 || !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw loc.invalid(`handler "${handler}" must be path/to/file.export (e.g. src/handler.main)`, at);
  }
  return { file: handler.slice(0, handler.length - exportName.length - 1), exportName };
}

/** Finds the handler file and checks that it exports the handler. Throws HANDLER_NOT_FOUND. */
export async function resolveHandler(
  handler: string,
  serviceDir: string,
  at: KeyPath,
  loc: Locator,
): Promise<{ handlerFile: string; handlerExport: string }> {
  const { file, exportName } = splitHandler(handler, at, loc);
  const base = path.resolve(serviceDir, file);
  const candidates = HANDLER_EXTENSIONS.includes(path.extname(base)) ? [base] : HANDLER_EXTENSIONS.map((ext) => base + ext);
  let handlerFile: string | undefined;
  for (const candidate of candidates) {
    if ((await stat(candidate).catch(() => undefined))?.isFile()) {
      handlerFile = candidate;
      break;
    }
  }
  if (!handlerFile) {
    const tried = candidates.map((c) => path.relative(serviceDir, c) || c).join(', ');
    throw loc.error('HANDLER_NOT_FOUND', `handler file not found for "${handler}" (looked for ${tried} in ${serviceDir})`, at);
  }
  let scan;
  try {
    scan = await scanExports(handlerFile);
  } catch (err) {
    throw loc.error('HANDLER_NOT_FOUND', `cannot read the exports of ${handlerFile}: ${firstLine(err)}`, at);
  }
  if (!scan.names.has(exportName) && scan.complete) {
    const found = [...scan.names];
    const list = found.length > 0 ? `it exports ${found.join(', ')}` : 'it exports nothing';
    throw loc.error('HANDLER_NOT_FOUND', `${path.relative(serviceDir, handlerFile)} has no export "${exportName}"; ${list}`, at);
  }
  return { handlerFile, handlerExport: exportName };
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}
