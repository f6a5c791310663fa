// Sample 9: the spike incident replayed with `coldstart simulate`, no server needed. `ingest` has
// reservedConcurrency 3 and waits 250 ms on a downstream write. A spike from 2 to 40 req/s for five
// minutes needs about ten instances: with 3, most of the spike is throttled. The simulator
// calibrates the real handler, replays an hour of that traffic in virtual time for each reservation,
// and prints which one absorbs the spike and what it costs a month.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TRAFFIC = 'spike:2,40,20m,5m';
const RESERVATIONS = [3, 10, 20];

/** Runs the simulation; resolves with the configurations it compared. */
export async function main({ print = console.log, seed = 1 } = {}) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'coldstart-sample-')), 'simulation.json');
  const args = [
    path.join(root, 'dist/src/cli/main.js'), 'simulate',
    '--config', path.join(root, 'samples/serverless.yml'),
    '--function', 'ingest',
    '--traffic', TRAFFIC,
    '--duration', '1h',
    '--compare', `reservedConcurrency=${RESERVATIONS.join(',')}`,
    '--seed', String(seed),
    '--json', out,
  ];
  const stdout = await new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 120_000 }, (err, text, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(text)));
  });
  print(stdout.trimEnd());
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const rows = report.configurations.map((c) => ({
    reserved: c.settings.reservedConcurrency,
    throttles: c.throttles,
    throttleRate: c.throttleRate,
    maxInstances: c.instances.max,
    p99Ms: c.latencyMs.p99,
    monthlyUsd: c.monthlyCostUsd.total,
  }));
  const incident = rows[0];
  const fix = rows.find((r) => r.throttleRate < 0.001) ?? rows[rows.length - 1];
  print('');
  print(`the incident: reservedConcurrency ${incident.reserved} throttles ${incident.throttles} calls (${(incident.throttleRate * 100).toFixed(1)} %) during the spike`);
  print(`the fix: reservedConcurrency ${fix.reserved} throttles ${fix.throttles} (${(fix.throttleRate * 100).toFixed(2)} %), at most ${fix.maxInstances} instances, ` +
    `$${fix.monthlyUsd.toFixed(2)}/month against $${incident.monthlyUsd.toFixed(2)} (more calls served, so more billed)`);
  return { rows, incident, fix };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
