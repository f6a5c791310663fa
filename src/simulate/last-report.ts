// Where `coldstart simulate` keeps the last report of a service, for the console to show. It lives
// outside the project: a file under the service would count in its deployment package size.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The last simulation report of the service in `serviceDir`. */
export function lastReportPath(serviceDir: string): string {
  const key = createHash('sha256').update(path.resolve(serviceDir)).digest('hex').slice(0, 16);
  return path.join(tmpdir(), 'coldstart', key, 'last-simulation.html');
}
