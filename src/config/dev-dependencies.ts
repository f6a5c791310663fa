// The Serverless Framework leaves development dependencies out of the package
// (`package.excludeDevDependencies`, default true). It asks npm; coldstart walks node_modules:
// every top-level package not reachable from `dependencies`/`optionalDependencies` is dev-only.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Top-level package directories (`node_modules/x`, `node_modules/@s/x`) that only development needs. */
export async function devOnlyPackages(serviceDir: string): Promise<Set<string>> {
  const readManifest = manifestReader();
  const root = await readManifest(serviceDir);
  if (!root?.devDependencies || Object.keys(root.devDependencies).length === 0) return new Set();
  const topLevel = await listTopLevel(path.join(serviceDir, 'node_modules'));
  const reachable = new Set<string>();
  const queue: { from: string; deps: string[] }[] = [{ from: serviceDir, deps: prodDeps(root) }];
  while (queue.length > 0) {
    const { from, deps } = queue.pop()!;
    for (const name of deps) {
      const dir = await locate(name, from, serviceDir, readManifest);
      if (!dir || reachable.has(dir)) continue;
      reachable.add(dir);
      const manifest = await readManifest(dir);
      if (manifest) queue.push({ from: dir, deps: prodDeps(manifest) });
    }
  }
  const devOnly = new Set<string>();
  for (const rel of topLevel) {
    if (!reachable.has(path.join(serviceDir, rel))) devOnly.add(rel);
  }
  return devOnly;
}

function prodDeps(m: Manifest): string[] {
  return [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})];
}

// Node's resolution: DIR/node_modules/NAME for the requiring package's directory and each parent
// up to the service (directories named node_modules are skipped, as Node does).
async function locate(name: string, from: string, serviceDir: string, read: ManifestReader): Promise<string | undefined> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (await read(candidate)) return candidate;
    }
    if (dir === serviceDir || !dir.startsWith(serviceDir)) return undefined;
  }
}

async function listTopLevel(nodeModules: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true }).catch(() => [])) {
    if (entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const sub of await readdir(path.join(nodeModules, entry.name)).catch(() => [])) out.push(`node_modules/${entry.name}/${sub}`);
    } else {
      out.push(`node_modules/${entry.name}`);
    }
  }
  return out;
}

type ManifestReader = (dir: string) => Promise<Manifest | null>;

// One cache per walk: a reload after `npm install` sees the new tree.
function manifestReader(): ManifestReader {
  const cache = new Map<string, Promise<Manifest | null>>();
  return (dir) => {
    let pending = cache.get(dir);
    if (!pending) {
      pending = readFile(path.join(dir, 'package.json'), 'utf8')
        .then((text) => JSON.parse(text) as Manifest)
        .catch(() => null);
      cache.set(dir, pending);
    }
    return pending;
  };
}
