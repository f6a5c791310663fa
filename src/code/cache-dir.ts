// Where coldstart keeps what it derives from a project (builds, package sizes): the convention
// bundlers and test runners share, node_modules/.cache, so the project gets no new folder and
// version control ignores it. A project without node_modules gets a directory under the system's
// temporary directory instead: creating node_modules would look like a dependency change to hot
// reload (and to the user).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `<service>/node_modules/.cache/coldstart`, or `<tmp>/coldstart-cache/<hash of the service path>`. */
export function cacheDir(serviceDir: string): string {
  const modules = path.join(serviceDir, 'node_modules');
  if (existsSync(modules)) return path.join(modules, '.cache', 'coldstart');
  return path.join(os.tmpdir(), 'coldstart-cache', createHash('sha256').update(path.resolve(serviceDir)).digest('hex').slice(0, 16));
}
