// Turns a handler file into something a worker can import: JavaScript as it is, TypeScript
// bundled by esbuild (compiled, not type-checked, as SPEC section 2 says).
import { build } from 'esbuild';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ColdstartError } from '../types/errors.js';

/** A handler ready to load. */
export interface CompiledHandler {
  /** Absolute path of the file the worker imports. */
  entryFile: string;
  /** Size of what would be deployed for this code: the bundle for TypeScript, undefined for plain JS. */
  bundleBytes?: number;
  /** Local source files the bundle was built from (TypeScript only). */
  inputs: string[];
}

/** Directory, inside the service, where TypeScript bundles are written (node_modules stays resolvable from there). */
export function buildDir(serviceDir: string): string {
  return path.join(serviceDir, '.coldstart', 'build');
}

/** True for handler files that need compiling. */
export function needsCompile(file: string): boolean {
  return file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts');
}

/** Compiles a TypeScript handler into an ESM bundle; returns plain JS files unchanged. */
export async function compileHandler(file: string, serviceDir: string): Promise<CompiledHandler> {
  if (!needsCompile(file)) return { entryFile: file, inputs: [file] };
  const rel = path.relative(serviceDir, file).replace(/\.[cm]?ts$/, '');
  const outfile = path.join(buildDir(serviceDir), `${rel}.mjs`);
  await mkdir(path.dirname(outfile), { recursive: true });
  try {
    const result = await build({
      entryPoints: [file],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(process.cwd(), p));
    const { size } = await stat(outfile);
    return { entryFile: outfile, bundleBytes: size, inputs };
  } catch (err) {
    const detail = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
    throw new ColdstartError('COMPILE_FAILED', `TypeScript handler does not compile: ${detail?.text ?? String(err)}`, {
      file: detail?.location?.file ? path.resolve(detail.location.file) : file,
      line: detail?.location?.line,
      column: detail?.location ? detail.location.column + 1 : undefined,
    });
  }
}
