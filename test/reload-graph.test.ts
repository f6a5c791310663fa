// Import graphs: which local files each handler reaches, and what survives a failed analysis.
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyseImports, ImportGraph } from '../src/reload/import-graph.js';
import { fixture } from './helpers/server.js';

const source = fixture('reload', 'service');
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-graph-'));
  await cp(source, dir, { recursive: true });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rel = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/')).sort();

describe('analyseImports', () => {
  test('ESM handler: the handler and the module it imports', async () => {
    const a = await analyseImports(path.join(dir, 'handlers/hello.mjs'), dir);
    assert.equal(a.ok, true);
    assert.deepEqual(rel(a.files), ['handlers/hello.mjs', 'lib/message.mjs']);
  });

  test('CommonJS handler: require() of a local file is followed', async () => {
    const a = await analyseImports(path.join(dir, 'handlers/legacy.cjs'), dir);
    assert.equal(a.ok, true);
    assert.deepEqual(rel(a.files), ['handlers/legacy.cjs', 'lib/tag.cjs']);
  });

  test('TypeScript handler: a `.js` specifier resolves to the `.ts` source', async () => {
    const a = await analyseImports(path.join(dir, 'handlers/typed.ts'), dir);
    assert.equal(a.ok, true);
    assert.deepEqual(rel(a.files), ['handlers/typed.ts', 'lib/shape.ts']);
  });

  test('packages, JSON, unknown file types, top-level await and files outside the service', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'coldstart-graph-shared-'));
    try {
      await writeFile(path.join(outside, 'shared.mjs'), 'export const shared = 1;\n');
      await writeFile(path.join(dir, 'query.sql'), 'select 1;\n');
      await writeFile(path.join(dir, 'data.json'), '{"a":1}\n');
      await writeFile(
        path.join(dir, 'mixed.mjs'),
        [
          "import express from 'express';",
          "import { readFile } from 'node:fs/promises';",
          "import data from './data.json' with { type: 'json' };",
          "import './query.sql';",
          `import { shared } from ${JSON.stringify(path.join(outside, 'shared.mjs'))};`,
          'const ready = await Promise.resolve(1);',
          'export const handler = async () => ({ data, shared, ready, express: typeof express, readFile: typeof readFile });',
        ].join('\n'),
      );
      const a = await analyseImports(path.join(dir, 'mixed.mjs'), dir);
      assert.equal(a.ok, true, JSON.stringify(a));
      const files = a.files.map((f) => (f.startsWith(dir) ? path.relative(dir, f) : f)).sort();
      assert.deepEqual(files, [path.join(outside, 'shared.mjs'), 'data.json', 'mixed.mjs', 'query.sql'].sort());
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('a syntax error is reported with its file, line and column', async () => {
    await writeFile(path.join(dir, 'broken.mjs'), "import './lib/message.mjs';\nexport const handler = async () => {\n  return (;\n};\n");
    const a = await analyseImports(path.join(dir, 'broken.mjs'), dir);
    assert.equal(a.ok, false);
    if (a.ok) return;
    assert.equal(a.error.file, path.join(dir, 'broken.mjs'));
    assert.equal(a.error.line, 3);
    assert.equal(a.error.column, 11);
    assert.match(a.error.text, /Unexpected/);
    assert.deepEqual(rel(a.files), ['broken.mjs']);
  });

  test('an import that does not resolve names the importing file', async () => {
    await writeFile(path.join(dir, 'lib/needs.mjs'), "export { x } from './missing.mjs';\n");
    await writeFile(path.join(dir, 'needs.mjs'), "import { x } from './lib/needs.mjs';\nexport const handler = async () => x;\n");
    const a = await analyseImports(path.join(dir, 'needs.mjs'), dir);
    assert.equal(a.ok, false);
    if (a.ok) return;
    assert.match(a.error.text, /missing\.mjs/);
    assert.deepEqual(rel(a.files), ['lib/needs.mjs', 'needs.mjs']);
  });
});

describe('ImportGraph', () => {
  test('reverse lookup: a shared file maps to every function that imports it', async () => {
    await writeFile(path.join(dir, 'second.mjs'), "import { message } from './lib/message.mjs';\nexport const handler = async () => message;\n");
    const graph = new ImportGraph((file) => analyseImports(file, dir));
    await graph.update('hello', path.join(dir, 'handlers/hello.mjs'));
    await graph.update('second', path.join(dir, 'second.mjs'));
    await graph.update('legacy', path.join(dir, 'handlers/legacy.cjs'));
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/message.mjs')).sort(), ['hello', 'second']);
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/tag.cjs')), ['legacy']);
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'handlers/other.mjs')), []);
    graph.remove('second');
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/message.mjs')), ['hello']);
  });

  test('a failed analysis keeps the previous files and marks the function broken until fixed', async () => {
    const handler = path.join(dir, 'evolving.mjs');
    await writeFile(path.join(dir, 'lib/dep.mjs'), 'export const dep = 1;\n');
    await writeFile(handler, "import { dep } from './lib/dep.mjs';\nexport const handler = async () => dep;\n");
    const graph = new ImportGraph((file) => analyseImports(file, dir));
    assert.equal(await graph.update('evolving', handler), null);
    assert.deepEqual(graph.brokenFunctions(), []);

    await writeFile(handler, "import { dep } from './lib/dep.mjs';\nexport const handler = async () => dep +;\n");
    const error = await graph.update('evolving', handler);
    assert.ok(error, 'the syntax error is reported');
    assert.deepEqual(graph.brokenFunctions(), ['evolving']);
    assert.deepEqual(graph.functionsMissingImports(), [], 'a syntax error is not a missing import');
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/dep.mjs')), ['evolving'], 'the old import is still watched');

    await writeFile(handler, "import { other } from './lib/other.mjs';\nexport const handler = async () => other;\n");
    assert.ok(await graph.update('evolving', handler));
    assert.deepEqual(graph.functionsMissingImports(), ['evolving']);

    await writeFile(path.join(dir, 'lib/other.mjs'), 'export const other = 2;\n');
    assert.equal(await graph.update('evolving', handler), null);
    assert.deepEqual(graph.brokenFunctions(), []);
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/dep.mjs')), [], 'a dropped import no longer maps');
    assert.deepEqual(graph.functionsUsing(path.join(dir, 'lib/other.mjs')), ['evolving']);
  });
});
