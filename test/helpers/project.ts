// Real-project fixtures in a temporary directory: a copy of test/fixtures/real-projects/NAME, with
// the node_modules a test writes into it (node_modules are never committed).
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixture } from './server.js';

/** Copies a real-project fixture to a fresh temporary directory and returns its path. */
export async function copyProject(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `coldstart-${name}-`));
  await cp(fixture('real-projects', name), dir, { recursive: true });
  return dir;
}

/** Writes a package (package.json plus files) into `nodeModulesDir/name`. */
export async function writePackage(nodeModulesDir: string, name: string, files: Record<string, string>, manifest: Record<string, unknown> = {}): Promise<void> {
  const dir = path.join(nodeModulesDir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}
