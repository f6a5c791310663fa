// The module format a Node.js file is loaded as: by its extension, else by the `type` of the
// nearest package.json, as Node (and so Lambda's runtime) decides.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** esbuild's names for the two formats. */
export type ModuleFormat = 'esm' | 'cjs';

/** ESM for .mjs/.mts, CommonJS for .cjs/.cts, otherwise what the nearest package.json says (CommonJS by default). */
export async function moduleFormat(file: string): Promise<ModuleFormat> {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'cjs';
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (path.dirname(dir) === dir) return 'cjs';
  }
}
