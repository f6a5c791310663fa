// Where `coldstart simulate` keeps the last report of a service, for the console to show.
import path from 'node:path';

/** The last simulation report of the service in `serviceDir` (the usual cache folder of Node tools). */
export function lastReportPath(serviceDir: string): string {
  return path.join(serviceDir, 'node_modules', '.cache', 'coldstart', 'last-simulation.html');
}
