// One settings table: the CLI parser, the custom.coldstart reader, the override check, --help and
// docs/settings.md agree on every name, bound and default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCli } from '../src/cli/args.js';
import { loadServiceConfig } from '../src/config/load.js';
import { settingsMarkdown } from '../src/config/settings-docs.js';
import { FLAG_ROWS, SETTINGS, type NumberKind, type SettingRow } from '../src/config/settings-table.js';
import type { CliOverrides } from '../src/types/config.js';
import { isColdstartError } from '../src/types/errors.js';
import { cliPath, repoRoot, testEnv } from './helpers/server.js';
import { rejection } from './helpers/config.js';

const rows = SETTINGS as readonly SettingRow[];
const numberRows = rows.filter((r): r is SettingRow & { kind: NumberKind; flag: string } => r.kind.type === 'number' && r.flag !== undefined);

/** Values just outside a number row's bounds, and the bounds themselves. */
function probes(kind: NumberKind): { bad: number[]; good: number[] } {
  const bad: number[] = [];
  const good: number[] = [];
  if (kind.min !== undefined) bad.push(kind.min - (kind.integer ? 1 : kind.min / 2 || 0.5)), good.push(kind.min);
  if (kind.max !== undefined) bad.push(kind.max + 1), good.push(kind.max);
  if (kind.integer) bad.push((kind.min ?? 0) + 1.5);
  return { bad, good };
}

function cliRejects(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (err) {
    assert.ok(isColdstartError(err) && err.code === 'INVALID_ARGUMENT', String(err));
    return err.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

test('docs/settings.md is the table as generated (run npm run docs:settings after changing a row)', async () => {
  const onDisk = await readFile(path.join(repoRoot, 'docs', 'settings.md'), 'utf8');
  assert.equal(onDisk, settingsMarkdown());
});

test('--help lists every flag with its bounds and default, and exits 0', () => {
  const r = spawnSync(process.execPath, [cliPath, '--help'], { env: testEnv(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const row of FLAG_ROWS) assert.match(r.stdout, new RegExp(`--${row.flag}\\b`), row.flag);
  const flat = r.stdout.replace(/\s+/g, ' ');
  assert.match(flat, /--gateway-timeout SECONDS Integration timeout of both APIs\. \(number 0\.05–900 seconds; default 29 \(REST API\), 30 \(HTTP API\)\)/);
  assert.match(flat, /--account-concurrency N Concurrent executions for the whole account\. \(integer ≥ 1; default 1000\)/);
});

test('the CLI parser rejects exactly what the table rejects, naming the flag', () => {
  for (const row of numberRows) {
    const { bad, good } = probes(row.kind);
    for (const v of bad) assert.match(cliRejects(['start', `--${row.flag}=${v}`]), new RegExp(`^--${row.flag} `), `${row.flag} ${v}`);
    for (const v of good) {
      const args = parseCli(['start', `--${row.flag}=${v}`]);
      assert.equal(args.command, 'start');
      const given = row.yaml ? (args as { overrides: Record<string, unknown> }).overrides[row.key] : (args as unknown as Record<string, unknown>)[row.key];
      assert.equal(given, v, `${row.flag} ${v}`);
    }
  }
  assert.match(cliRejects(['start', '--gateway-timeout', '0.01']), /below the minimum of 0\.05 seconds/);
  assert.match(cliRejects(['start', '--account-concurrency', '0']), /below the minimum of 1/);
  assert.match(cliRejects(['start', '--port', 'eighty']), /--port must be a number \(an integer\), got "eighty"/);
  assert.match(cliRejects(['start', '--log-format', 'xml']), /--log-format must be "pretty" or "json", got "xml"/);
});

test('flags not given take the table defaults; flags that override serverless.yml stay unset', () => {
  const args = parseCli(['start']);
  assert.ok(args.command === 'start');
  assert.deepEqual([args.configPath, args.port, args.host, args.watch, args.logFormat], ['.', 3000, '127.0.0.1', true, 'pretty']);
  assert.equal(parseCli(['start', '--no-watch']).command === 'start' && (parseCli(['start', '--no-watch']) as { watch: boolean }).watch, false);
  for (const row of rows.filter((r) => r.yaml && r.flag)) assert.equal((args.overrides as Record<string, unknown>)[row.key], undefined, row.key);
});

test('custom.coldstart and programmatic overrides use the same bounds and defaults as the flags', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-table-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => 1;\n');
  const file = (name: string, lines: string[]) => {
    const p = path.join(dir, `${name}.yml`);
    return writeFile(p, ['service: s', 'functions:', '  f: { handler: handler.handler }', ...lines].join('\n')).then(() => p);
  };
  const empty = await file('empty', []);
  const { settings } = await loadServiceConfig(empty, {});
  for (const row of rows.filter((r) => r.yaml && r.default !== undefined)) {
    assert.deepEqual((settings as unknown as Record<string, unknown>)[row.key], row.default, `default of ${row.key}`);
  }
  assert.equal(settings.gatewayTimeout, null, 'no gatewayTimeout: each API keeps its own');
  for (const row of numberRows.filter((r) => r.yaml)) {
    const { bad, good } = probes(row.kind);
    for (const v of bad) {
      const err = await rejection(loadServiceConfig(await file(`${row.key}-bad`, ['custom:', '  coldstart:', `    ${row.key}: ${v}`]), {}));
      assert.equal(err.location.key, `custom.coldstart.${row.key}`, `${row.key}: ${v}`);
      const override = await rejection(loadServiceConfig(empty, { [row.key]: v } as CliOverrides));
      assert.equal(override.code, 'INVALID_ARGUMENT', `override ${row.key} ${v}`);
      assert.match(override.message, new RegExp(`^--${row.flag} `));
    }
    for (const v of good) {
      const fromFile = await loadServiceConfig(await file(`${row.key}-good`, ['custom:', '  coldstart:', `    ${row.key}: ${v}`]), {});
      assert.equal((fromFile.settings as unknown as Record<string, unknown>)[row.key], v);
      const fromOverride = await loadServiceConfig(empty, { [row.key]: v } as CliOverrides);
      assert.equal((fromOverride.settings as unknown as Record<string, unknown>)[row.key], v);
    }
  }
});
