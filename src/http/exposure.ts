// The start-up warning for a server listening beyond this machine.
import { isLoopbackAddress } from './local-guard.js';

/** The warning line for a non-loopback listening address, or null on loopback. */
export function exposureWarning(host: string, port: number): string | null {
  if (isLoopbackAddress(host)) return null;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return (
    `coldstart: warning: listening on ${shown}:${port}, which other machines can reach: anyone on the network can invoke ` +
    'your functions (which run with your AWS credentials), read their logs and environment through the Lambda API, and send to ' +
    'your queues. Use --host 127.0.0.1 unless you mean to share it.'
  );
}
