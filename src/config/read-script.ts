// serverless.ts and serverless.js, read as the Framework reads them: the module's export (its
// default export, for ES modules and TypeScript), awaited when it is a promise. TypeScript is
// compiled with esbuild as handlers are, into the cache directory, under a name taken from the
// content, so a changed file is a new module on reload.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cacheDir } from '../code/cache-dir.js';
import { packagesFromSource, sourceDirnamePlugin } from '../code/plugins.js';
import { ColdstartError } from '../types/errors.js';

const require = createRequire(import.meta.url);

/** True for configuration files that are programs rather than data. */
export function isScriptConfig(file: string): boolean {
  return /\.[cm]?[jt]s$/.test(file);
}

/** Runs serverless.ts/.js and returns the configuration object it exports. Throws CONFIG_INVALID naming the file. */
export async function readScriptConfig(file: string): Promise<unknown> {
  const outDir = path.join(cacheDir(path.dirname(file)), 'config');
  let code: Uint8Array;
  try {
    const result = await build({
      entryPoints: [file],
      outfile: path.join(outDir, 'serverless.cjs'),
      write: false,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      plugins: [packagesFromSource(outDir), sourceDirnamePlugin()],
    });
    code = result.outputFiles[0]!.contents;
  } catch (err) {
    const detail = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
    throw new ColdstartError('CONFIG_INVALID', `cannot compile the configuration: ${detail?.text ?? String(err)}`, {
      file: detail?.location?.file ? path.resolve(detail.location.file) : file,
      line: detail?.location?.line,
      column: detail?.location ? detail.location.column + 1 : undefined,
    });
  }
  const out = path.join(outDir, `serverless.${createHash('sha256').update(code).digest('hex').slice(0, 12)}.cjs`);
  if (!(await stat(out).catch(() => undefined))) {
    await mkdir(outDir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, out);
  }
  let exported: unknown;
  try {
    exported = require(out) as unknown;
  } catch (err) {
    throw new ColdstartError('CONFIG_INVALID', `the configuration threw while loading: ${(err as Error)?.message ?? String(err)}`, { file });
  }
  const value = isModuleWithDefault(exported) ? exported.default : exported;
  return await value;
}

function isModuleWithDefault(value: unknown): value is { default: unknown } {
  return typeof value === 'object' && value !== null && '__esModule' in value && 'default' in value;
}
