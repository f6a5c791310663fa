// A function whose handler file or export is missing deploys on AWS and fails only its own
// invocations; here it is a loud start-up warning naming the file, line, function and what is
// missing, and the rest of the service runs.
import path from 'node:path';
import type { ConfigWarning } from '../types/config.js';
import type { Locator } from './location.js';
import type { ReadFunction } from './normalize.js';

/** One warning per function whose handler cannot load. */
export function handlerWarnings(read: ReadFunction[], loc: Locator): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const r of read) {
    const problem = r.handlerProblem;
    if (!problem) continue;
    const key = ['functions', r.config.name, 'handler'];
    const where = loc.at(key);
    const place = `${path.basename(where.file ?? loc.file)}${where.line ? `:${where.line}` : ''}`;
    warnings.push({
      code: 'HANDLER_MISSING',
      function: r.config.name,
      key: key.join('.'),
      message:
        `${place}: function "${r.config.name}" cannot load: ${problem.message}. ` +
        `The other functions run; invocations of "${r.config.name}" fail with ${problem.errorType}, as they would on AWS.`,
    });
  }
  return warnings;
}
