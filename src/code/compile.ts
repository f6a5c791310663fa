// Turns a handler file into something a worker can import: JavaScript as it is, TypeScript compiled
// by esbuild (not type-checked) to the module format the project deploys. CommonJS unless the
// project is ESM, as serverless-esbuild, serverless-plugin-typescript and Lambda's runtime decide.
// Each code version is built once: concurrent cold starts share one build, and the output file is
// named by its content, so an instance never imports a file another build is writing.
import { build, type BuildResult } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ColdstartError } from '../types/errors.js';
import { cacheDir } from './cache-dir.js';
import { moduleFormat, type ModuleFormat } from './module-format.js';
import { packagesFromSource, sourceDirnamePlugin } from './plugins.js';

/** A handler ready to load. */
export interface CompiledHandler {
  /** Absolute path of the file the worker imports. */
  entryFile: string;
  /** Size of what would be deployed for this code: the bundle for TypeScript, undefined for plain JS. */
  bundleBytes?: number;
  /** Local source files the bundle was built from (TypeScript only). */
  inputs: string[];
  /** The module format of the output (TypeScript only). */
  format?: ModuleFormat;
}

/** Directory where TypeScript builds are written: inside node_modules/.cache, so the project gets no new folder. */
export function buildDir(serviceDir: string): string {
  return path.join(cacheDir(serviceDir), 'build');
}

/** True for handler files that need compiling. */
export function needsCompile(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}

/** A build and the `size:mtime` of each of its inputs when it was made: any change means a new code version. */
interface CachedBuild {
  compiled: CompiledHandler;
  stamps: Map<string, string>;
}

const builds = new Map<string, Promise<CachedBuild>>();

/** Compiles a TypeScript handler (once per version of its sources); returns plain JS files unchanged. */
export async function compileHandler(file: string, serviceDir: string): Promise<CompiledHandler> {
  if (!needsCompile(file)) return { entryFile: file, inputs: [file] };
  const key = `${serviceDir}\0${file}`;
  const pending = builds.get(key);
  if (pending) {
    const done = await pending.catch(() => null);
    if (done && (await unchanged(done.stamps))) return done.compiled;
    // Someone else may have started the next build meanwhile: share it.
    const latest = builds.get(key);
    if (latest && latest !== pending) return (await latest).compiled;
  }
  const next = (async (): Promise<CachedBuild> => {
    const compiled = await buildHandler(file, serviceDir);
    return { compiled, stamps: await stampsOf(compiled.inputs) };
  })();
  builds.set(key, next);
  next.catch(() => {
    if (builds.get(key) === next) builds.delete(key);
  });
  return (await next).compiled;
}

async function buildHandler(file: string, serviceDir: string): Promise<CompiledHandler> {
  const format = await moduleFormat(file);
  // `..` segments would climb out of the cache; a handler outside the service keeps its shape below it.
  const rel = path.relative(serviceDir, file).replace(/\.[cm]?tsx?$/, '').split(path.sep).map((s) => (s === '..' ? '__' : s)).join(path.sep);
  const stem = path.join(buildDir(serviceDir), rel);
  const ext = format === 'esm' ? '.mjs' : '.cjs';
  let result: BuildResult<{ write: false; metafile: true }>;
  try {
    result = await build({
      entryPoints: [file],
      outfile: stem + ext,
      write: false,
      bundle: true,
      platform: 'node',
      format,
      target: 'node20',
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
      plugins: [packagesFromSource(path.dirname(stem)), ...(format === 'cjs' ? [sourceDirnamePlugin()] : [])],
    });
  } catch (err) {
    const detail = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
    throw new ColdstartError('COMPILE_FAILED', `TypeScript handler does not compile: ${detail?.text ?? String(err)}`, {
      file: detail?.location?.file ? path.resolve(detail.location.file) : file,
      line: detail?.location?.line,
      column: detail?.location ? detail.location.column + 1 : undefined,
    });
  }
  const output = result.outputFiles[0]!;
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 12);
  const entryFile = `${stem}.${hash}${ext}`;
  await writeOnce(entryFile, output.contents);
  const code = output.text.replace(/\n\/\/# sourceMappingURL=data:[^\n]*\n?$/, '\n');
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(process.cwd(), p));
  return { entryFile, bundleBytes: Buffer.byteLength(code), inputs, format };
}

// Same content, same name: a file that exists is already right. A new one appears whole (rename).
async function writeOnce(file: string, contents: Uint8Array): Promise<void> {
  if (await stat(file).catch(() => undefined)) return;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, file);
}

async function stampsOf(files: string[]): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  for (const f of files) stamps.set(f, await stampOf(f));
  return stamps;
}

async function stampOf(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  return info ? `${info.size}:${info.mtimeMs}` : 'missing';
}

async function unchanged(stamps: Map<string, string>): Promise<boolean> {
  for (const [file, stamp] of stamps) if ((await stampOf(file)) !== stamp) return false;
  return true;
}
