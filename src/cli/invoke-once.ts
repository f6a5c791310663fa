// `coldstart invoke FUNCTION`: one cold invocation without a server; the result on stdout, the
// START/END/REPORT lines on stderr.
import { readFile } from 'node:fs/promises';
import { EventBus } from '../events/bus.js';
import { loadServiceConfig } from '../config/load.js';
import { Runtime } from '../runtime/runtime.js';
import { ColdstartError } from '../types/errors.js';
import type { InvokeArgs } from './args.js';

/** Runs the invocation; resolves with the process exit status (0 success, 1 function error). */
export async function invokeOnce(args: InvokeArgs): Promise<number> {
  const config = await loadServiceConfig(args.configPath, args.overrides);
  const payloadJson = args.path !== undefined ? await readFile(args.path, 'utf8') : (args.data ?? '{}');
  try {
    JSON.parse(payloadJson);
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `the event is not JSON: ${(err as Error).message}`, { file: args.path });
  }
  const runtime = new Runtime(config, new EventBus(), { endpoint: () => '', batchScheduling: true });
  if (!runtime.findFunction(args.functionName)) {
    throw new ColdstartError('FUNCTION_NOT_FOUND', `no function "${args.functionName}" in this service`, { file: config.configPath });
  }
  try {
    const result = await runtime.invoke({ functionName: args.functionName, payloadJson, source: 'cli' });
    if (result.status === 'throttled') {
      process.stderr.write(`coldstart: ${args.functionName} throttled: ${result.reason}\n`);
      return 1;
    }
    for (const line of result.logLines) process.stderr.write(line + '\n');
    process.stdout.write(result.payloadJson + '\n');
    return result.outcome === 'success' ? 0 : 1;
  } finally {
    await runtime.shutdown();
  }
}
