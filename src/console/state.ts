// The state document: what `GET /__coldstart/state` returns and what the WebSocket snapshot carries.
import type { EmulatorSettings } from '../types/config.js';
import type { FunctionSnapshot, SpareEnvironmentsStatus } from '../types/runtime.js';
import type { AppContext, FeatureState } from '../types/feature.js';

/** Body of `GET /__coldstart/state`. */
export interface StateDocument {
  /** ms since epoch when the document was made. */
  time: number;
  service: string;
  stage: string;
  region: string;
  /** Emulator settings in force; SSM parameter values are replaced by their names. */
  settings: Omit<EmulatorSettings, 'ssm'> & { ssm: string[] };
  functions: FunctionSnapshot[];
  spareThreads: SpareEnvironmentsStatus;
  /** Any further keys come from other features (queues, schedules...). */
  [extra: string]: unknown;
}

/** Builds the state document from the runtime's snapshot, the configuration and feature extras. */
export function buildState(ctx: AppContext, now = Date.now()): StateDocument {
  const config = ctx.config.current();
  // SSM values stand in for secrets; the console shows which names resolve, never what to.
  const settings = { ...config.settings, ssm: Object.keys(config.settings.ssm ?? {}).sort() };
  const extras = safeExtras(ctx);
  return {
    ...extras,
    time: now,
    service: config.service,
    stage: config.stage,
    region: config.region,
    settings,
    functions: ctx.invocations.snapshot(),
    spareThreads: ctx.invocations.spareEnvironments(),
  };
}

function safeExtras(ctx: AppContext): FeatureState {
  try {
    return ctx.featureState();
  } catch {
    // A feature that fails to describe itself must not take the console down.
    return {};
  }
}
