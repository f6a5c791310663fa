// Zipped sizes of files, by absolute path, size and mtime: kept for the life of the process (hot
// reloads deflate only what changed) and across runs in the service's cache directory, so a second
// start-up on a big node_modules deflates nothing.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from '../code/cache-dir.js';

/** One file's zipped size and the stat it was measured at. */
export interface ZippedEntry {
  size: number;
  mtimeMs: number;
  zipped: number;
}

/** Every file measured so far. */
export const zippedCache = new Map<string, ZippedEntry>();

/** Files deflated since the cache was last saved (a reason to save it). */
export const unsaved = { files: 0 };

const FILE_NAME = 'package-sizes.json';
const FORMAT = 1;
const loaded = new Set<string>();

/** The cache file of a service. */
export function sizeCacheFile(serviceDir: string): string {
  return path.join(cacheDir(serviceDir), FILE_NAME);
}

/** Reads a service's saved sizes into memory, once per process. A missing or damaged file is an empty cache. */
export async function loadSavedSizes(serviceDir: string): Promise<void> {
  if (loaded.has(serviceDir)) return;
  loaded.add(serviceDir);
  let saved: { format?: number; files?: Record<string, [number, number, number]> };
  try {
    saved = JSON.parse(await readFile(sizeCacheFile(serviceDir), 'utf8')) as typeof saved;
  } catch {
    return;
  }
  if (saved.format !== FORMAT || !saved.files) return;
  for (const [relative, [size, mtimeMs, zipped]] of Object.entries(saved.files)) {
    const abs = path.join(serviceDir, relative);
    if (!zippedCache.has(abs)) zippedCache.set(abs, { size, mtimeMs, zipped });
  }
}

/** Writes the sizes of a service's files (those under its directory) to its cache file. */
export async function saveSizes(serviceDir: string): Promise<void> {
  const files: Record<string, [number, number, number]> = {};
  const prefix = serviceDir + path.sep;
  for (const [abs, e] of zippedCache) {
    if (abs.startsWith(prefix)) files[abs.slice(prefix.length)] = [e.size, e.mtimeMs, e.zipped];
  }
  const file = sizeCacheFile(serviceDir);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  unsaved.files = 0;
  await writeFile(tmp, JSON.stringify({ format: FORMAT, files }));
  await rename(tmp, file);
}
