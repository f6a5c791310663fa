// Where coldstart keeps what it derives from a project (builds, package sizes): the convention
// bundlers and test runners share, so the project gets no new folder and version control ignores it.
import path from 'node:path';

/** `<service>/node_modules/.cache/coldstart`. */
export function cacheDir(serviceDir: string): string {
  return path.join(serviceDir, 'node_modules', '.cache', 'coldstart');
}
