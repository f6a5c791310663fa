// One simulation from start to end: pick the functions and their traffic, calibrate (or reuse a
// calibration), then run every configuration in virtual time and price it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readYamlFile } from '../config/read-yaml.js';
import type { FunctionConfig, ServiceConfig } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import { calibrate, calibrationRow, usable, type Calibration } from './calibrate.js';
import { combinations, type Comparison } from './compare.js';
import { monthlyCost, type Architecture } from './cost.js';
import { formatDuration } from './duration.js';
import { simulate } from './engine.js';
import { engineInput, settingsFor, usageOf, type SimulationPlan } from './plan.js';
import { pricesWith } from './prices.js';
import { parseProfile, type TrafficProfile } from './profiles.js';
import type { SimulationReport } from './report-data.js';
import { summarise } from './summary.js';
import { readTrace, type Trace } from './trace.js';
import { triggerEventJson } from './trigger-event.js';

/** What the command line asks for. */
export interface SimulateOptions {
  functions: string[];
  traffic?: string;
  durationMs?: number;
  comparisons: Comparison[];
  seed?: number;
  freeTier: boolean;
  eventFile?: string;
  givenDurationMs: Map<string, number>;
  /** A previous --json whose measurements are reused instead of calibrating again. */
  calibrationFile?: string;
  coldStarts: number;
  warmInvocations: number;
  onCalibrated?: (report: Pick<SimulationReport, 'calibration'>) => void;
  onProgress?: (label: string, fraction: number) => void;
}

interface RawCustom {
  traffic?: unknown;
  prices?: unknown;
  architecture: Map<string, Architecture>;
}

// custom.coldstart.traffic and prices, and each function's architecture, which ServiceConfig does not keep.
async function readRaw(config: ServiceConfig): Promise<RawCustom> {
  const data = (await readYamlFile(config.configPath).catch(() => ({ data: {} }))).data;
  const at = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);
  const cs = at(at(data, 'custom'), 'coldstart');
  const architecture = new Map<string, Architecture>();
  const provArch = at(at(data, 'provider'), 'architecture');
  for (const fn of config.functions) {
    const a = at(at(at(data, 'functions'), fn.name), 'architecture') ?? provArch;
    if (a === 'arm64' || a === 'x86_64') architecture.set(fn.name, a);
  }
  return { traffic: at(cs, 'traffic'), prices: at(cs, 'prices'), architecture };
}

function pickFunctions(config: ServiceConfig, names: string[], trafficed: Set<string>): FunctionConfig[] {
  if (names.length === 0) {
    const withTraffic = config.functions.filter((f) => trafficed.has(f.name));
    return withTraffic.length > 0 ? withTraffic : config.functions;
  }
  return names.map((n) => {
    const fn = config.functions.find((f) => f.name === n || f.fullName === n);
    if (!fn) throw new ColdstartError('FUNCTION_NOT_FOUND', `--function "${n}": no such function in ${path.basename(config.configPath)}; functions: ${config.functions.map((f) => f.name).join(', ')}`);
    return fn;
  });
}

function profilesFrom(raw: unknown, config: ServiceConfig): Map<string, TrafficProfile> {
  const out = new Map<string, TrafficProfile>();
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ColdstartError('CONFIG_INVALID', 'custom.coldstart.traffic must map function names to traffic profiles', { file: config.configPath, key: 'custom.coldstart.traffic' });
  }
  for (const [name, text] of Object.entries(raw)) {
    const key = `custom.coldstart.traffic.${name}`;
    if (!config.functions.some((f) => f.name === name)) throw new ColdstartError('CONFIG_INVALID', `no function "${name}" in this service`, { file: config.configPath, key });
    if (typeof text !== 'string') throw new ColdstartError('CONFIG_INVALID', 'a traffic profile is a string such as poisson:20', { file: config.configPath, key });
    try {
      out.set(name, parseProfile(text));
    } catch (err) {
      throw new ColdstartError('CONFIG_INVALID', (err as Error).message, { file: config.configPath, function: name, key });
    }
  }
  return out;
}

function readCalibrationFile(file: string): Calibration[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { measurements?: Calibration[] };
    if (!Array.isArray(data.measurements)) throw new Error('it has no "measurements" (write it with --json)');
    return data.measurements;
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `--calibration: cannot reuse ${file}: ${(err as Error).message}`, { file });
  }
}

/** Runs the simulation; throws ColdstartError for anything the user must fix. */
export async function runSimulation(config: ServiceConfig, o: SimulateOptions): Promise<SimulationReport> {
  const raw = await readRaw(config);
  const prices = pricesWith(raw.prices);
  const declared = profilesFrom(raw.traffic, config);
  const cli = o.traffic !== undefined ? parseProfile(o.traffic) : undefined;
  const functions = pickFunctions(config, o.functions, new Set(declared.keys()));
  const traffic = new Map<string, TrafficProfile>();
  for (const fn of functions) {
    const p = cli ?? declared.get(fn.name);
    if (p) traffic.set(fn.name, p);
  }
  const scheduled = functions.some((f) => f.events.some((e) => e.kind === 'schedule' && e.enabled));
  if (traffic.size === 0 && !scheduled) {
    throw new ColdstartError('INVALID_ARGUMENT', 'no traffic: give --traffic PROFILE (e.g. poisson:50) or declare custom.coldstart.traffic per function');
  }
  const traces = new Map<string, Trace>();
  for (const p of traffic.values()) {
    if (p.kind === 'trace' && !traces.has(p.file)) traces.set(p.file, readTrace(p.file, config, functions.map((f) => f.name)));
  }
  const traceSpan = Math.max(0, ...[...traces.values()].map((t) => t.spanMs + 1));
  const durationMs = o.durationMs ?? (traces.size > 0 && traffic.size === [...traffic.values()].filter((p) => p.kind === 'trace').length ? traceSpan : 3_600_000);
  for (const [name, ms] of o.givenDurationMs) {
    if (!functions.some((f) => f.name === name)) throw new ColdstartError('INVALID_ARGUMENT', `--duration-ms ${name}=${ms}: "${name}" is not a simulated function`);
  }

  let calibrations: Calibration[];
  if (o.calibrationFile) {
    calibrations = readCalibrationFile(o.calibrationFile);
    for (const c of calibrations) {
      const given = o.givenDurationMs.get(c.function);
      if (given !== undefined) c.givenDurationMs = given;
    }
  } else {
    const eventJson = o.eventFile ? readEvent(o.eventFile) : undefined;
    calibrations = await calibrate(config, functions, {
      coldStarts: o.coldStarts,
      warmInvocations: o.warmInvocations,
      events: new Map(functions.map((f) => [f.name, eventJson ?? triggerEventJson(f, config)])),
      givenDurationMs: o.givenDurationMs,
      onStep: (fn, done, total) => o.onProgress?.(`calibrating ${fn}`, done / total),
    });
  }
  const byName = new Map(calibrations.map((c) => [c.function, c]));
  for (const fn of functions) {
    const c = byName.get(fn.name);
    if (!c) throw new ColdstartError('INVALID_ARGUMENT', `the calibration has no measurements for "${fn.name}"`, { function: fn.name });
    if (!usable(c)) {
      throw new ColdstartError(
        'HANDLER_NOT_FOUND',
        `calibration failed: ${c.failures} invocation(s) failed${c.firstError ? ` (${c.firstError})` : ''}; fix the handler, or give --event FILE or --duration-ms ${fn.name}=MS`,
        { function: fn.name },
      );
    }
  }

  const plan: SimulationPlan = { config, functions, traffic, traces, calibrations: byName, durationMs, seed: o.seed ?? config.settings.seed, architecture: raw.architecture };
  const configs = combinations(o.comparisons);
  const memorySizes = (fn: FunctionConfig) => [...new Set(configs.map((s) => settingsFor(fn, s, plan).memoryMb))].sort((a, b) => a - b);
  const calibration = functions.flatMap((fn) => memorySizes(fn).map((m) => calibrationRow(byName.get(fn.name)!, config.settings.model, m)));
  o.onCalibrated?.({ calibration });

  const started = performance.now();
  const results = configs.map((s, i) => {
    const run = simulate(engineInput(plan, s, (f) => o.onProgress?.(`simulating ${i + 1}/${configs.length}`, f)));
    return summarise(s, run, monthlyCost(usageOf(plan, s, run), durationMs, { prices, freeTier: o.freeTier }));
  });
  return {
    service: config.service,
    traffic: o.traffic ?? ([...traffic].map(([f, p]) => `${f}=${describe(p)}`).join(' ') || 'schedules only'),
    duration: formatDuration(durationMs),
    durationSeconds: durationMs / 1000,
    seed: plan.seed,
    freeTier: o.freeTier,
    wallSeconds: Math.round((performance.now() - started) / 10) / 100,
    calibration,
    measurements: calibrations.filter((c) => functions.some((f) => f.name === c.function)),
    configurations: results,
  };
}

function describe(p: TrafficProfile): string {
  return Object.entries(p)
    .filter(([k]) => k !== 'kind')
    .map(([, v]) => (Array.isArray(v) ? v.map((s) => `${s.rate}@${s.atMs / 1000}s`).join(',') : String(v)))
    .reduce((acc, v) => `${acc}${acc.endsWith(':') ? '' : ','}${v}`, `${p.kind}:`);
}

function readEvent(file: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    JSON.parse(text);
    return text;
  } catch (err) {
    throw new ColdstartError('INVALID_ARGUMENT', `--event: ${(err as Error).message}`, { file });
  }
}
