// Mapping a batch of file events to what must be reloaded, and diffing two configurations.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { diffFunctions } from '../src/reload/config-diff.js';
import { displayPath, planReload, type FileChange, type PlanInputs } from '../src/reload/plan.js';
import type { FunctionConfig, ServiceConfig } from '../src/types/config.js';

const root = path.resolve('/srv/app');
const p = (rel: string) => path.join(root, rel);

function inputs(graph: Record<string, string[]>, broken: string[] = []): PlanInputs {
  return {
    serviceDir: root,
    configFiles: new Set([p('serverless.yml'), p('config/env.yml')]),
    functionsUsing: (file) => Object.entries(graph).filter(([, files]) => files.map(p).includes(file)).map(([name]) => name),
    functionsMissingImports: () => broken,
  };
}

const graph = { hello: ['hello.mjs', 'lib/shared.mjs'], world: ['world.mjs', 'lib/shared.mjs'], other: ['other.mjs'] };
const change = (rel: string, kind: FileChange['kind'] = 'change'): FileChange => ({ kind, file: p(rel) });

describe('planReload', () => {
  test('a handler change touches only its function', () => {
    const plan = planReload([change('hello.mjs')], inputs(graph));
    assert.deepEqual([...plan.functions], ['hello']);
    assert.equal(plan.configChanged, false);
    assert.equal(plan.dependenciesChanged, false);
    assert.deepEqual(plan.files, [p('hello.mjs')]);
  });

  test('a shared module touches every function that imports it', () => {
    const plan = planReload([change('lib/shared.mjs')], inputs(graph));
    assert.deepEqual([...plan.functions].sort(), ['hello', 'world']);
  });

  test('files no function uses are ignored', () => {
    const plan = planReload([change('README.md'), change('notes.txt', 'add')], inputs(graph));
    assert.equal(plan.functions.size, 0);
    assert.deepEqual(plan.files, []);
  });

  test('serverless.yml and its ${file()} includes are configuration changes', () => {
    assert.equal(planReload([change('serverless.yml')], inputs(graph)).configChanged, true);
    const plan = planReload([change('config/env.yml'), change('other.mjs')], inputs(graph));
    assert.equal(plan.configChanged, true);
    assert.deepEqual([...plan.functions], ['other']);
  });

  test('node_modules and package.json changes are dependency changes', () => {
    for (const rel of ['node_modules/.package-lock.json', 'node_modules/left-pad', 'package.json']) {
      const plan = planReload([change(rel, rel === 'node_modules/left-pad' ? 'addDir' : 'change')], inputs(graph));
      assert.equal(plan.dependenciesChanged, true, rel);
    }
    assert.equal(planReload([change('lib/node_modules_notes.mjs')], inputs(graph)).dependenciesChanged, false);
  });

  test('a new file may be the import a broken function was missing', () => {
    const plan = planReload([change('lib/missing.mjs', 'add')], inputs(graph, ['hello']));
    assert.deepEqual([...plan.functions], ['hello']);
    const changed = planReload([change('lib/unrelated.mjs', 'change')], inputs(graph, ['hello']));
    assert.equal(changed.functions.size, 0, 'only a created file can be the missing one');
  });
});

describe('displayPath', () => {
  test('relative to the service, packages named by package', () => {
    assert.equal(displayPath(p('lib/a.mjs'), root), 'lib/a.mjs');
    assert.equal(displayPath(p('node_modules/left-pad/index.js'), root), 'node_modules/left-pad');
    assert.equal(displayPath(p('node_modules/@aws-sdk/client-s3/package.json'), root), 'node_modules/@aws-sdk/client-s3');
    assert.equal(displayPath(p('node_modules/.package-lock.json'), root), 'node_modules/.package-lock.json');
    assert.equal(displayPath(path.resolve('/srv/shared/x.mjs'), root), '../shared/x.mjs');
  });
});

function fn(name: string, extra: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    name,
    fullName: `svc-dev-${name}`,
    handler: `${name}.handler`,
    handlerFile: p(`${name}.mjs`),
    handlerExport: 'handler',
    runtime: 'nodejs20.x',
    memorySize: 1024,
    timeout: 6,
    environment: { A: '1' },
    events: [],
    provisionedConcurrency: 0,
    reservedConcurrency: null,
    vpc: false,
    packageBytes: 100,
    onFailureTarget: null,
    ...extra,
  };
}

function service(functions: FunctionConfig[]): ServiceConfig {
  return { functions } as unknown as ServiceConfig;
}

describe('diffFunctions', () => {
  test('classifies added, removed, code, instance and other changes', () => {
    const before = service([fn('same'), fn('gone'), fn('code'), fn('env'), fn('mem'), fn('routes')]);
    const after = service([
      fn('same'),
      fn('code', { handlerExport: 'other' }),
      fn('env', { environment: { A: '2' } }),
      fn('mem', { memorySize: 512 }),
      fn('routes', { events: [{ kind: 'httpApi', method: 'GET', path: '/x', cors: null }], reservedConcurrency: 2 }),
      fn('new'),
    ]);
    assert.deepEqual(diffFunctions(before, after), {
      added: ['new'],
      removed: ['gone'],
      codeChanged: ['code'],
      instanceChanged: ['env', 'mem'],
      otherChanged: ['routes'],
    });
  });

  test('an added environment key is an instance change; identical configs differ in nothing', () => {
    const d = diffFunctions(service([fn('a')]), service([fn('a', { environment: { A: '1', B: '2' } })]));
    assert.deepEqual(d.instanceChanged, ['a']);
    const none = diffFunctions(service([fn('a')]), service([fn('a')]));
    assert.deepEqual(none, { added: [], removed: [], codeChanged: [], instanceChanged: [], otherChanged: [] });
  });
});
