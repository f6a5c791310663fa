// From a loaded service, calibrations and one configuration's settings to the engine's input:
// which functions, with which limits and service times, fed by which arrival streams.
import { seededUniform } from '../model/random.js';
import { DEFAULT_SETTINGS } from '../model/defaults.js';
import { parseScheduleExpression } from '../schedule/expression.js';
import type { FunctionConfig, ServiceConfig } from '../types/config.js';
import { ColdstartError } from '../types/errors.js';
import { arrivalsOf, Replay, ScheduleFirings } from './arrivals.js';
import type { Calibration } from './calibrate.js';
import type { Settings } from './compare.js';
import type { Architecture, FunctionUsage } from './cost.js';
import type { FrontEnd, SimFunction, SimInput, SimRun, SimSource } from './engine.js';
import type { TrafficProfile } from './profiles.js';
import { ModelledService } from './service.js';
import type { Trace } from './trace.js';

/** What every configuration of one simulation shares. */
export interface SimulationPlan {
  config: ServiceConfig;
  functions: FunctionConfig[];
  /** The traffic of each function. */
  traffic: Map<string, TrafficProfile>;
  traces: Map<string, Trace>;
  calibrations: Map<string, Calibration>;
  durationMs: number;
  seed: number;
  architecture: Map<string, Architecture>;
}

/** The API in front of a function: its first event's. */
export function frontEndOf(fn: FunctionConfig): FrontEnd {
  for (const e of fn.events) {
    if (e.kind === 'http') return 'rest';
    if (e.kind === 'httpApi') return 'httpApi';
    if (e.kind === 'sqs') return 'sqs';
  }
  return 'direct';
}

function gatewayTimeoutMs(config: ServiceConfig, frontEnd: FrontEnd): number {
  if (frontEnd !== 'rest' && frontEnd !== 'httpApi') return Infinity;
  const s = config.settings.gatewayTimeout ?? (frontEnd === 'rest' ? DEFAULT_SETTINGS.gatewayTimeoutRest : DEFAULT_SETTINGS.gatewayTimeoutHttpApi);
  return s * 1000;
}

/** The function's settings under one configuration. */
export function settingsFor(fn: FunctionConfig, s: Settings, plan: SimulationPlan) {
  return {
    memoryMb: (s.memorySize as number | undefined) ?? fn.memorySize,
    provisioned: (s.provisionedConcurrency as number | undefined) ?? fn.provisionedConcurrency,
    reserved: 'reservedConcurrency' in s ? (s.reservedConcurrency as number | null) : fn.reservedConcurrency,
    timeoutS: (s.timeout as number | undefined) ?? fn.timeout,
    architecture: ((s.architecture as Architecture | undefined) ?? plan.architecture.get(fn.name) ?? 'x86_64') as Architecture,
  };
}

/** The engine input of one configuration; every configuration sees the same arrivals (same seeds). */
export function engineInput(plan: SimulationPlan, s: Settings, onProgress?: (f: number) => void): SimInput {
  const { config } = plan;
  const functions: SimFunction[] = [];
  const sources: SimSource[] = [];
  plan.functions.forEach((fn, i) => {
    const c = plan.calibrations.get(fn.name)!;
    const set = settingsFor(fn, s, plan);
    if (set.reserved !== null && set.provisioned > set.reserved) {
      throw new ColdstartError('INVALID_ARGUMENT', `provisionedConcurrency ${set.provisioned} is more than reservedConcurrency ${set.reserved}, which Lambda refuses`, { function: fn.name });
    }
    const frontEnd = frontEndOf(fn);
    functions.push({
      name: fn.name,
      memoryMb: set.memoryMb,
      timeoutMs: set.timeoutS * 1000,
      reserved: set.reserved,
      provisioned: set.provisioned,
      frontEnd,
      gatewayTimeoutMs: gatewayTimeoutMs(config, frontEnd),
      service: new ModelledService(config.settings.model, set.memoryMb, c.measurements, fn.packageBytes, fn.vpc, c.givenDurationMs),
    });
    const profile = plan.traffic.get(fn.name);
    if (profile?.kind === 'trace') {
      const times = plan.traces.get(profile.file)?.byFunction.get(fn.name);
      if (times) sources.push({ fn: i, stream: new Replay(times) });
    } else if (profile) {
      sources.push({ fn: i, stream: arrivalsOf(profile, seededUniform(plan.seed * 7919 + i + 1)) });
    }
    // Schedules (warm-up pings included) are traffic like any other.
    for (const e of fn.events) {
      if (e.kind === 'schedule' && e.enabled) sources.push({ fn: i, stream: new ScheduleFirings(parseScheduleExpression(e.expression)) });
    }
  });
  return {
    functions,
    sources,
    accountConcurrency: (s.accountConcurrency as number | undefined) ?? config.settings.accountConcurrency,
    idleTimeoutMs: ((s.idleTimeout as number | undefined) ?? config.settings.idleTimeout) * 1000,
    durationMs: plan.durationMs,
    stageThrottle: config.settings.throttle,
    seed: plan.seed,
    onProgress,
  };
}

/** What each function used, for the cost engine. */
export function usageOf(plan: SimulationPlan, s: Settings, run: SimRun): FunctionUsage[] {
  return plan.functions.map((fn, i) => {
    const set = settingsFor(fn, s, plan);
    const f = run.functions[i]!;
    const front = frontEndOf(fn);
    const reachedGateway = f.requests.total - f.throttles.stage;
    return {
      memoryMb: set.memoryMb,
      architecture: set.architecture,
      provisioned: set.provisioned,
      invocations: f.invocations,
      onDemandBilledMs: f.onDemandBilledMs,
      provisionedBilledMs: f.provisionedBilledMs,
      restApiCalls: front === 'rest' ? reachedGateway : 0,
      httpApiCalls: front === 'httpApi' ? reachedGateway : 0,
      sqsMessages: front === 'sqs' ? f.requests.total : 0,
    };
  });
}
