// The schedule event source: `schedule` events, read by config.ts and fired by the feature as
// EventBridge would, as asynchronous invocations with source `schedule`.
// Importing this module registers the source as built in (see event-sources/builtin.ts).
import type { EventSource } from '../types/event-source.js';
import { registerBuiltinEventSource } from '../event-sources/builtins.js';
import { readSchedule, SCHEDULE_KEYS, type ScheduleEventConfig } from './config.js';
import { createScheduleFeature } from './feature.js';

declare module '../types/event-source.js' {
  interface EventConfigs {
    schedule: ScheduleEventConfig;
  }
}

declare module '../types/runtime.js' {
  interface InvocationSources {
    schedule: true;
  }
}

/** The `schedule` event source. */
export const scheduleSource: EventSource = {
  name: 'schedule',
  kinds: {
    schedule: { read: (value, path, loc) => readSchedule(value, path, loc), keys: SCHEDULE_KEYS },
  },
  feature: { create: createScheduleFeature },
};

registerBuiltinEventSource(scheduleSource);
