// packageBytes: the zipped size of what a function would deploy, following package.patterns,
// individual packaging, dev dependencies, and TypeScript bundles.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig as loadConfig } from '../src/config/load.js';
import { packageSizesSettled } from '../src/code/package-status.js';
import type { CliOverrides } from '../src/types/config.js';
import type { ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';

const MB = 1024 * 1024;

// Sizes are measured in the background; these tests read the exact ones.
async function loadServiceConfig(file: string, overrides: CliOverrides): Promise<ServiceConfig> {
  const config = await loadConfig(file, overrides);
  await packageSizesSettled(config.functions);
  return config;
}

function bytesOf(config: ServiceConfig, name: string): number {
  const fn = config.functions.find((f) => f.name === name);
  assert.ok(fn, `function ${name}`);
  return fn.packageBytes;
}

/** A copy of a fixture service in a temporary directory (tests write into it). */
async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `coldstart-${name}-`));
  await cp(fixture('config', name), dir, { recursive: true });
  return dir;
}

describe('config package size', () => {
  let dir: string;
  before(async () => {
    dir = await copyFixture('package');
    // Random bytes do not compress: the zipped package grows by about their size.
    await writeFile(path.join(dir, 'assets', 'big.bin'), randomBytes(2 * MB));
    await writeFile(path.join(dir, 'assets', 'small.txt'), randomBytes(64 * 1024));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('counts every file of the service by default', async () => {
    const config = await loadServiceConfig(path.join(dir, 'serverless.yml'), {});
    const bytes = bytesOf(config, 'api');
    assert.ok(bytes > 2 * MB + 64 * 1024, `package holds big.bin and small.txt: ${bytes}`);
    assert.ok(bytes < 2 * MB + 64 * 1024 + 16 * 1024, `and little else (zip overhead, handler): ${bytes}`);
  });

  it('drops a big file excluded by a pattern; a later pattern re-includes a file', async () => {
    const all = bytesOf(await loadServiceConfig(path.join(dir, 'serverless.yml'), {}), 'api');
    const excluded = bytesOf(await loadServiceConfig(path.join(dir, 'exclude.yml'), {}), 'api');
    assert.ok(all - excluded > 2 * MB - 1024, `excluding assets/big.bin removes ~2 MB: ${all} -> ${excluded}`);
    assert.ok(excluded > 64 * 1024, `assets/small.txt is re-included by the later pattern: ${excluded}`);
  });

  it('packages functions individually with their own patterns', async () => {
    const config = await loadServiceConfig(path.join(dir, 'individually.yml'), {});
    assert.ok(bytesOf(config, 'api') > 2 * MB, 'api re-includes assets/big.bin');
    assert.ok(bytesOf(config, 'other') < 32 * 1024, `other ships without assets: ${bytesOf(config, 'other')}`);
  });

  it('measures zipped bytes: 2 MB of zeros add only a few KB', async () => {
    const before = bytesOf(await loadServiceConfig(path.join(dir, 'exclude.yml'), {}), 'api');
    await writeFile(path.join(dir, 'zeros.bin'), Buffer.alloc(2 * MB));
    try {
      const after = bytesOf(await loadServiceConfig(path.join(dir, 'exclude.yml'), {}), 'api');
      assert.ok(after > before, 'the file is counted');
      assert.ok(after - before < 16 * 1024, `deflated, 2 MB of zeros is small: +${after - before}`);
    } finally {
      await rm(path.join(dir, 'zeros.bin'));
    }
  });

  it('leaves development dependencies out, keeping production ones and what they need', async () => {
    const svc = await mkdtemp(path.join(os.tmpdir(), 'coldstart-devdeps-'));
    try {
      await writeFile(path.join(svc, 'handler.js'), 'exports.handler = async () => 1;\n');
      await writeFile(path.join(svc, 'package.json'), JSON.stringify({ dependencies: { prodlib: '1' }, devDependencies: { devtool: '1' } }));
      const pkg = async (name: string, deps: Record<string, string>, size: number) => {
        await mkdir(path.join(svc, 'node_modules', name), { recursive: true });
        await writeFile(path.join(svc, 'node_modules', name, 'package.json'), JSON.stringify({ name, dependencies: deps }));
        await writeFile(path.join(svc, 'node_modules', name, 'index.js'), randomBytes(size));
      };
      await pkg('prodlib', { sub: '1' }, 100 * 1024);
      await pkg('sub', {}, 100 * 1024);
      await pkg('devtool', {}, MB);
      const yml = path.join(svc, 'serverless.yml');
      await writeFile(yml, 'service: deps\nfunctions:\n  f:\n    handler: handler.handler\n');
      const withoutDev = bytesOf(await loadServiceConfig(yml, {}), 'f');
      assert.ok(withoutDev > 200 * 1024, `prodlib and its dependency sub ship: ${withoutDev}`);
      assert.ok(withoutDev < 400 * 1024, `devtool does not: ${withoutDev}`);
      await writeFile(yml, 'service: deps\npackage:\n  excludeDevDependencies: false\nfunctions:\n  f:\n    handler: handler.handler\n');
      const withDev = bytesOf(await loadServiceConfig(yml, {}), 'f');
      assert.ok(withDev - withoutDev > MB - 1024, `excludeDevDependencies: false ships devtool: ${withoutDev} -> ${withDev}`);
    } finally {
      await rm(svc, { recursive: true, force: true });
    }
  });
});

describe('config package size of TypeScript handlers', () => {
  let dir: string;
  before(async () => {
    dir = await copyFixture('typescript');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('resolves a .ts handler and counts its bundle; stable across loads (the build cache is not counted)', async () => {
    const first = await loadServiceConfig(path.join(dir, 'serverless.yml'), {});
    const typed = first.functions.find((f) => f.name === 'typed')!;
    assert.equal(typed.handlerFile, path.join(dir, 'src', 'typed.ts'));
    assert.equal(typed.handlerExport, 'handler');
    assert.ok(typed.packageBytes > 0);
    const second = await loadServiceConfig(path.join(dir, 'serverless.yml'), {});
    assert.equal(bytesOf(second, 'typed'), typed.packageBytes);
    assert.equal(bytesOf(second, 'plain'), typed.packageBytes, 'one shared package for the service');
  });

  it('grows with code the bundle imports, not with TypeScript it does not', async () => {
    const yml = path.join(dir, 'serverless.yml');
    const start = bytesOf(await loadServiceConfig(yml, {}), 'typed');
    await writeFile(path.join(dir, 'src', 'unused.ts'), `export const blob = ${JSON.stringify(randomBytes(150_000).toString('base64'))};\n`);
    const withUnused = bytesOf(await loadServiceConfig(yml, {}), 'typed');
    assert.equal(withUnused, start, 'a .ts file outside the bundle is not shipped');
    // Used by greet(), so tree shaking keeps it.
    await writeFile(
      path.join(dir, 'src', 'greet.ts'),
      `const blob: string = ${JSON.stringify(randomBytes(150_000).toString('base64'))};\n` +
        'export function greet(name: string): string {\n  return `hello ${name} ${blob.length}`;\n}\n',
    );
    const withImported = bytesOf(await loadServiceConfig(yml, {}), 'typed');
    assert.ok(withImported - start > 100_000, `the bundle includes greet.ts's new data: ${start} -> ${withImported}`);
  });
});
