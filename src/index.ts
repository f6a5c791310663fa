// The package's entry point: createColdstart and the types a program meets through it.
// The built-in event sources declare their event kinds and invocation sources in their own folders;
// importing them here keeps those declarations in the published typings.
import './event-sources/builtin.js';
export { createColdstart } from './api/coldstart.js';
export type { Coldstart } from './api/coldstart.js';
export type { ColdstartOptions, LogSink } from './api/options.js';
export type { InvokeOptions, InvokeResult } from './api/invoke.js';
export type { ColdstartEvents, EventOfType } from './api/events.js';
export type { StateDocument } from './console/state.js';
export type { LifecycleEvent, LifecycleEventType } from './types/events.js';
export type { FunctionSnapshot, InstanceSnapshot, InstanceState, InvocationOutcome, ThrottleReason } from './types/runtime.js';
export type { Isolation } from './types/config.js';
export { ColdstartError, isColdstartError } from './types/errors.js';
export type { ColdstartErrorCode, ErrorLocation } from './types/errors.js';
