// The size of the deployment package a function would ship, as the Serverless Framework builds it
// (package.patterns, legacy include/exclude, dev dependencies left out), estimated as the ZIPPED
// size: each file deflated (zlib level 6, like a zip tool; large files from samples) plus the zip
// format's per-file headers. Zipped bytes are what Lambda's limits and the cold-start research measure.
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { compileHandler, needsCompile } from '../code/compile.js';
import { devOnlyPackages } from './dev-dependencies.js';
import { unsaved, zippedCache } from './package-size-cache.js';

const deflate = promisify(deflateRaw);

/** The package settings of serverless.yml that decide what ships. */
export interface PackageSettings {
  /** `package.patterns`, with legacy `exclude` (as `!pattern`) and `include` in front. */
  patterns: string[];
  individually: boolean;
  /** Absolute path of a prebuilt `package.artifact`, if any. */
  artifact: string | null;
  excludeDevDependencies: boolean;
}

/** Never part of a package: coldstart's and Serverless's own output, tools' caches, version control, executables' links. */
const ALWAYS_IGNORED = ['.git/**', '.serverless/**', '.coldstart/**', 'node_modules/.bin/**', 'node_modules/.cache/**'];

/**
 * Zipped bytes per raw byte assumed for a file not deflated yet: JavaScript, JSON and source maps
 * (most of node_modules) deflate to about a quarter to a third of their size.
 */
export const ESTIMATE_RATIO = 0.3;

/** A package size, and whether every file in it was really deflated. */
export interface SizeEstimate {
  bytes: number;
  exact: boolean;
}

/** Serverless v3's default excludes (lib/plugins/package/lib/package-service.js); later patterns may re-include them. */
const DEFAULT_EXCLUDES = ['.gitignore', '.DS_Store', 'npm-debug.log', 'yarn-*.log', '.serverless_plugins/**'];

/** Computes package sizes for the functions of one service. */
export class PackageSizer {
  private files: Promise<string[]> | undefined;
  private readonly excludes: string[];
  private devOnly: Promise<Set<string>> | undefined;
  private readonly bundles = new Map<string, Promise<number>>();

  constructor(
    private readonly serviceDir: string,
    configFile: string,
    private readonly service: PackageSettings,
    useDotenv: boolean,
  ) {
    const config = path.relative(serviceDir, configFile).split(path.sep).join('/');
    this.excludes = [...DEFAULT_EXCLUDES, config, ...(useDotenv ? ['.env', '.env.*'] : [])];
  }

  /**
   * Bytes of the package of one function. `handlerFile` is the function's handler; `tsHandlers`
   * every TypeScript handler that goes into a shared (not individual) package.
   */
  async bytesFor(fn: { package: PackageSettings | null; handlerFile: string }, tsHandlers: string[]): Promise<number> {
    const artifact = this.artifactOf(fn);
    if (artifact) return (await stat(artifact)).size;
    const { files, bundled } = await this.contents(fn, tsHandlers);
    let total = END_OF_CENTRAL_DIRECTORY;
    for (const size of await mapLimit(files, 16, (f) => this.zippedFile(f))) total += size;
    for (const handler of bundled) total += await this.bundleBytes(handler);
    return total;
  }

  /**
   * A fast size: files deflated before (in this process or a previous run, by path, size and mtime)
   * count their zipped size, the others their raw size x ESTIMATE_RATIO. Exact when nothing is new.
   */
  async estimateFor(fn: { package: PackageSettings | null; handlerFile: string }, tsHandlers: string[]): Promise<SizeEstimate> {
    const artifact = this.artifactOf(fn);
    if (artifact) return { bytes: (await stat(artifact)).size, exact: true };
    const { files, bundled } = await this.contents(fn, tsHandlers);
    let total = END_OF_CENTRAL_DIRECTORY;
    let exact = true;
    const sizes = await mapLimit(files, 32, async (relative) => {
      const abs = path.join(this.serviceDir, relative);
      const info = await stat(abs);
      const cached = zippedCache.get(abs);
      if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.zipped + zipEntryOverhead(relative);
      exact = false;
      return Math.round(info.size * ESTIMATE_RATIO) + zipEntryOverhead(relative);
    });
    for (const size of sizes) total += size;
    for (const handler of bundled) {
      // The bundle is built when the first cold start needs it; until then the source stands in.
      exact = false;
      total += Math.round(((await stat(handler).catch(() => undefined))?.size ?? 0) * ESTIMATE_RATIO);
    }
    return { bytes: total, exact };
  }

  /** The prebuilt artifact a function deploys, if any. */
  artifactOf(fn: { package: PackageSettings | null }): string | null {
    const individually = this.service.individually || (fn.package?.individually ?? false);
    return (individually ? fn.package?.artifact : null) ?? this.service.artifact;
  }

  private async contents(fn: { package: PackageSettings | null; handlerFile: string }, tsHandlers: string[]): Promise<{ files: string[]; bundled: string[] }> {
    const individually = this.service.individually || (fn.package?.individually ?? false);
    const patterns = individually ? [...this.service.patterns, ...(fn.package?.patterns ?? [])] : this.service.patterns;
    const bundled = individually ? (needsCompile(fn.handlerFile) ? [fn.handlerFile] : []) : tsHandlers;
    return { files: await this.select(patterns, bundled.length > 0), bundled };
  }

  /** Files (relative to the service) that the patterns select. */
  async select(patterns: string[], dropTypeScript: boolean): Promise<string[]> {
    const all = await (this.files ??= glob('**', {
      cwd: this.serviceDir,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      ignore: ALWAYS_IGNORED,
      expandDirectories: false,
    }));
    // Dev dependencies are left out first, by package directory (a set lookup: there can be hundreds).
    const devOnly = this.service.excludeDevDependencies ? await (this.devOnly ??= devOnlyPackages(this.serviceDir)) : new Set<string>();
    const included = new Set(all.filter((f) => !devOnly.has(packageDirOf(f))));
    for (const raw of [...this.excludes.map((p) => `!${p}`), ...patterns]) {
      const negated = raw.startsWith('!');
      const matches = matcher(negated ? raw.slice(1) : raw);
      for (const file of all) {
        if (!matches(file)) continue;
        if (negated) included.delete(file);
        else included.add(file);
      }
    }
    // TypeScript sources ship as their bundle, not as themselves.
    return [...included].filter((f) => !(dropTypeScript && isTypeScriptSource(f))).sort();
  }

  private async zippedFile(relative: string): Promise<number> {
    const abs = path.join(this.serviceDir, relative);
    const info = await stat(abs);
    const cached = zippedCache.get(abs);
    let zipped: number;
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
      zipped = cached.zipped;
    } else {
      zipped = await deflatedSize(abs, info.size);
      zippedCache.set(abs, { size: info.size, mtimeMs: info.mtimeMs, zipped });
      unsaved.files++;
    }
    return zipped + zipEntryOverhead(relative);
  }

  // The bundle without its inline source map: a deploy ships the code, and the source map inflates it.
  private bundleBytes(handlerFile: string): Promise<number> {
    let pending = this.bundles.get(handlerFile);
    if (!pending) {
      pending = (async () => {
        const { entryFile } = await compileHandler(handlerFile, this.serviceDir);
        const code = (await readFile(entryFile, 'utf8')).replace(/\n\/\/# sourceMappingURL=data:[^\n]*\n?$/, '\n');
        const zipped = (await deflate(Buffer.from(code))).length;
        return zipped + zipEntryOverhead(path.basename(entryFile));
      })();
      this.bundles.set(handlerFile, pending);
    }
    return pending;
  }
}

const END_OF_CENTRAL_DIRECTORY = 22;

// A local file header (30 bytes) and a central directory entry (46 bytes), each carrying the name.
function zipEntryOverhead(name: string): number {
  return 30 + 46 + 2 * Buffer.byteLength(name);
}

const SAMPLE_ABOVE = 256 * 1024;
const SAMPLE_BYTES = 64 * 1024;
const SAMPLES = 4;

// Small files are deflated whole. A large file is estimated from four 64 KB samples spread over it
// (deflate's ratio is local), so a 10 MB binary costs 256 KB of compression, not 10 MB.
async function deflatedSize(file: string, size: number): Promise<number> {
  if (size <= SAMPLE_ABOVE) return (await deflate(await readFile(file))).length;
  const handle = await open(file, 'r');
  try {
    let raw = 0;
    let zipped = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const position = Math.floor(((size - SAMPLE_BYTES) * i) / (SAMPLES - 1));
      const buffer = Buffer.alloc(SAMPLE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, position);
      raw += bytesRead;
      zipped += (await deflate(buffer.subarray(0, bytesRead))).length;
    }
    return Math.round((zipped / raw) * size);
  } finally {
    await handle.close();
  }
}

// A pattern matches a file, or a directory the file is in (`!tests` leaves out tests/**, as globby does).
function matcher(pattern: string): (file: string) => boolean {
  const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  const isMatch = picomatch(clean, { dot: true });
  if (clean.endsWith('/**')) return isMatch;
  return (file) => {
    if (isMatch(file)) return true;
    for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) {
      if (isMatch(file.slice(0, i))) return true;
    }
    return false;
  };
}

/** `node_modules/pkg` or `node_modules/@scope/pkg` for a top-level package's file, '' otherwise. */
function packageDirOf(file: string): string {
  if (!file.startsWith('node_modules/')) return '';
  const parts = file.split('/');
  return parts[1]?.startsWith('@') ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

function isTypeScriptSource(file: string): boolean {
  return !file.startsWith('node_modules/') && !file.includes('/node_modules/') && /\.[cm]?ts$/.test(file) && !file.endsWith('.d.ts');
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
