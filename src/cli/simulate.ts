// `coldstart simulate`: calibrate the handlers, replay traffic in virtual time, print the tables,
// write --json and --report, and keep the last report where the console can show it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadServiceConfig } from '../config/load.js';
import { ColdstartError } from '../types/errors.js';
import { parseComparison } from '../simulate/compare.js';
import { parseDurationMs } from '../simulate/duration.js';
import { lastReportPath } from '../simulate/last-report.js';
import { calibrationTable, comparisonTable, ProgressBar } from '../simulate/output-text.js';
import { reportHtml } from '../simulate/report-html.js';
import { reportJson } from '../simulate/report-data.js';
import { runSimulation } from '../simulate/run.js';

/** Usage of the simulate command. */
export const SIMULATE_USAGE = `usage:
  coldstart simulate [--config serverless.yml] [--function NAME ...] --traffic PROFILE
                     [--duration 1h] [--compare KEY=V1,V2 ...] [--seed N]
                     [--report out.html] [--json out.json] [--free-tier]
                     [--event FILE] [--duration-ms NAME=MS ...] [--calibration previous.json]
                     [--cold-starts N] [--warm-invocations N] [--stage S]
  profiles: poisson:RATE  constant:RATE  spike:BASE,PEAK,AT,LENGTH  diurnal:MEAN,PEAK
            steps:R1@T1,R2@T2,...  trace:FILE
  compare keys: memorySize provisionedConcurrency reservedConcurrency accountConcurrency
                idleTimeout architecture timeout`;

function count(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new ColdstartError('INVALID_ARGUMENT', `--${flag} must be an integer >= ${min}, got "${text}"`);
  return n;
}

/** Runs the command; resolves with the exit status. */
export async function simulateCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        function: { type: 'string', multiple: true },
        traffic: { type: 'string' },
        duration: { type: 'string' },
        compare: { type: 'string', multiple: true },
        seed: { type: 'string' },
        report: { type: 'string' },
        json: { type: 'string' },
        'free-tier': { type: 'boolean' },
        event: { type: 'string' },
        'duration-ms': { type: 'string', multiple: true },
        calibration: { type: 'string' },
        'cold-starts': { type: 'string' },
        'warm-invocations': { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
      },
    });
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `${(err as Error).message}\n${SIMULATE_USAGE}`);
  }
  const v = parsed.values;
  const comparisons = (v.compare ?? []).map(parseComparison);
  const givenDurationMs = new Map<string, number>();
  for (const d of v['duration-ms'] ?? []) {
    const m = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(d);
    if (!m) throw new ColdstartError('INVALID_ARGUMENT', `--duration-ms "${d}": write NAME=MS, for example api=120`);
    givenDurationMs.set(m[1]!, Number(m[2]));
  }
  const durationMs = v.duration !== undefined ? parseDurationMs(v.duration, '--duration') : undefined;
  if (durationMs !== undefined && durationMs <= 0) throw new ColdstartError('INVALID_ARGUMENT', '--duration must be longer than 0');
  const seed = v.seed !== undefined ? count('seed', v.seed, 0, 0) : undefined;
  const config = await loadServiceConfig(path.resolve(v.config ?? 'serverless.yml'), {
    stage: v.stage,
    options: Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>,
  });
  let bar: ProgressBar | null = null;
  let label = '';
  const report = await runSimulation(config, {
    functions: v.function ?? [],
    traffic: v.traffic,
    durationMs,
    comparisons,
    seed,
    freeTier: v['free-tier'] ?? false,
    eventFile: v.event,
    givenDurationMs,
    calibrationFile: v.calibration,
    coldStarts: count('cold-starts', v['cold-starts'], 5, 1),
    warmInvocations: count('warm-invocations', v['warm-invocations'], 30, 1),
    onCalibrated: (r) => process.stdout.write(`calibration (Init Duration and Duration as Lambda would show them)\n${calibrationTable(r.calibration)}\n`),
    onProgress: (l, f) => {
      if (l !== label) {
        bar?.done();
        bar = new ProgressBar(process.stderr, l);
        label = l;
      }
      bar!.update(f);
      if (f >= 1) bar!.done();
    },
  });
  (bar as ProgressBar | null)?.done();
  process.stdout.write(`${report.configurations.length} configuration(s), traffic ${report.traffic}, ${report.duration} simulated in ${report.wallSeconds} s\n`);
  process.stdout.write(comparisonTable(report.configurations));
  const html = reportHtml(report);
  if (v.json) {
    writeFileSync(v.json, reportJson(report));
    process.stdout.write(`wrote ${v.json}\n`);
  }
  if (v.report) {
    writeFileSync(v.report, html);
    process.stdout.write(`wrote ${v.report}\n`);
  }
  // The console's simulation page shows the last report of this service.
  try {
    const last = lastReportPath(config.serviceDir);
    mkdirSync(path.dirname(last), { recursive: true });
    writeFileSync(last, html);
  } catch {
    // A read-only project still gets its tables and files.
  }
  return 0;
}
