// `coldstart simulate` end to end: the real binary calibrates the fixture's handlers, writes --json
// and --report, repeats itself byte for byte, and refuses bad input with exit status 2.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, fixture, startColdstart, testEnv } from './helpers/server.js';
import type { ConfigurationResult, Figures } from '../src/simulate/summary.js';
import type { SimulationReport } from '../src/simulate/report-data.js';
import { lastReportPath } from '../src/simulate/last-report.js';

const CONFIG = fixture('simulate', 'serverless.yml');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, 'simulate', '--config', CONFIG, ...args], { env: testEnv(), timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A fresh temporary directory, removed when the test ends. */
function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'coldstart-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The --json file a run wrote. */
function readReport(file: string): SimulationReport {
  return JSON.parse(readFileSync(file, 'utf8')) as SimulationReport;
}

test('simulate writes --json with every configuration and a self-contained --report', { timeout: 240_000 }, async (t) => {
  const dir = tempDir(t);
  const json = path.join(dir, 'out.json');
  const html = path.join(dir, 'out.html');
  const args = ['--function', 'api', '--traffic', 'spike:5,60,2m,1m', '--duration', '10m', '--compare', 'provisionedConcurrency=0,3', '--compare', 'architecture=x86_64,arm64', '--seed', '7'];
  const r = await cli([...args, '--cold-starts', '2', '--warm-invocations', '5', '--json', json, '--report', html]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^calibration/m);
  assert.match(r.stdout, /api\s+1024 MB\s+\d+ ms\s+\d+ ms/);
  assert.match(r.stdout, /provisionedConcurrency=3 architecture=arm64/);

  const out = readReport(json);
  assert.equal(out.configurations.length, 4);
  assert.deepEqual(out.configurations.map((c) => c.settings), [
    { provisionedConcurrency: 0, architecture: 'x86_64' },
    { provisionedConcurrency: 0, architecture: 'arm64' },
    { provisionedConcurrency: 3, architecture: 'x86_64' },
    { provisionedConcurrency: 3, architecture: 'arm64' },
  ]);
  for (const c of out.configurations) {
    for (const k of ['invocations', 'coldStarts', 'coldStartRate', 'throttles', 'throttleRate'] as const satisfies readonly (keyof Figures)[]) assert.equal(typeof c[k], 'number', k);
    assert.deepEqual(Object.keys(c.instances), ['mean', 'max']);
    assert.deepEqual(Object.keys(c.latencyMs).slice(0, 4), ['p50', 'p90', 'p99', 'max']);
    assert.ok(c.monthlyCostUsd.total > 0);
    assert.ok(c.invocations > 0);
  }
  const [plain, arm, prov] = out.configurations as [ConfigurationResult, ConfigurationResult, ConfigurationResult];
  // The spike to 60 req/s with ~200 ms calls needs ~12 instances; reservedConcurrency 5 throttles it.
  assert.ok(plain.throttles > 0 && plain.instances.max === 5);
  // Provisioned instances take the first calls: fewer cold starts, and their cost appears.
  assert.ok(prov.coldStarts < plain.coldStarts, `${prov.coldStarts} vs ${plain.coldStarts}`);
  assert.ok(prov.monthlyCostUsd.provisionedConcurrency > 0 && plain.monthlyCostUsd.provisionedConcurrency === 0);
  assert.ok(arm.monthlyCostUsd.total < plain.monthlyCostUsd.total, 'arm64 is cheaper');
  assert.equal(out.calibration[0]?.function, 'api');
  assert.equal(out.calibration[0]?.source, 'measured');

  const page = readFileSync(html, 'utf8');
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<svg/);
  assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3)/, 'no network resource');
  assert.ok(existsSync(lastReportPath(path.dirname(CONFIG))), 'the last report is kept for the console');

  // Same seed, same measurements (reused with --calibration): the same bytes.
  const again = path.join(dir, 'again.json');
  const r2 = await cli([...args, '--calibration', json, '--json', again]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(readFileSync(again, 'utf8'), readFileSync(json, 'utf8'));
});

test('simulate refuses bad input with exit status 2 and a message naming the fault', { timeout: 120_000 }, async () => {
  const unknown = await cli(['--function', 'api', '--traffic', 'poisson:5', '--compare', 'memory=512,1024']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--compare: unknown key "memory"; compare one of memorySize/);
  const profile = await cli(['--function', 'api', '--traffic', 'spike:5,60,2m']);
  assert.equal(profile.code, 2);
  assert.match(profile.stderr, /traffic profile "spike:5,60,2m": 3 value\(s\): expected 4/);
  const fn = await cli(['--function', 'nope', '--traffic', 'poisson:1']);
  assert.equal(fn.code, 2);
  assert.match(fn.stderr, /--function "nope": no such function/);
  const broken = await cli(['--function', 'broken', '--traffic', 'poisson:1', '--cold-starts', '1', '--warm-invocations', '2']);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /function "broken".*calibration failed: 3 invocation\(s\) failed \(Error: always fails\)/);
});

test('traffic declared under custom.coldstart.traffic and --duration-ms', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const json = path.join(dir, 'out.json');
  const r = await cli(['--duration', '5m', '--duration-ms', 'worker=250', '--compare', 'memorySize=512,2048', '--cold-starts', '1', '--warm-invocations', '2', '--json', json]);
  assert.equal(r.code, 0, r.stderr);
  const out = readReport(json);
  assert.equal(out.traffic, 'worker=poisson:2');
  assert.deepEqual(out.calibration.map((c) => [c.function, c.memoryMb, c.durationP50Ms, c.source]), [
    ['worker', 512, 250, 'given'],
    ['worker', 2048, 250, 'given'],
  ]);
  // A given Duration is the same at any memory size, so the larger size costs more.
  const [small, large] = out.configurations as [ConfigurationResult, ConfigurationResult];
  assert.ok(large.monthlyCostUsd.lambdaDuration > small.monthlyCostUsd.lambdaDuration);
});

test('the console shows the last simulation report of its service', { timeout: 120_000 }, async (t) => {
  const r = await cli(['--function', 'api', '--traffic', 'poisson:3', '--duration', '2m', '--seed', '99', '--cold-starts', '1', '--warm-invocations', '2']);
  assert.equal(r.code, 0, r.stderr);
  const cs = await startColdstart(t, CONFIG, ['--no-watch']);
  const page = await fetch(`${cs.url}/__coldstart/simulation.html`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<iframe[^>]+src="\/__coldstart\/simulation\/report"/);
  const report = await fetch(`${cs.url}/__coldstart/simulation/report`);
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await report.text();
  assert.match(html, /coldstart simulate: sim/);
  assert.match(html, /seed 99/);
  const index = await (await fetch(`${cs.url}/__coldstart/`)).text();
  assert.match(index, /href="\/__coldstart\/simulation.html"/);
});
