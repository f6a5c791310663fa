// The schedule feature: EventBridge scheduled rules for `schedule` events, fired as asynchronous
// invocations with source `schedule`, listed in the state document with their next firing.
import type { AppContext, Feature } from '../types/feature.js';
import { Scheduler, type ScheduleState } from './scheduler.js';

declare module '../types/feature.js' {
  interface FeatureStates {
    /** Every `schedule` rule with its next firing. */
    schedules: ScheduleState[];
  }
}

/** Creates the schedule feature. */
export function createScheduleFeature(ctx: AppContext): Feature {
  const scheduler = new Scheduler({
    invokeAsync: (functionName, payloadJson) => {
      ctx.invocations.invokeAsync({ functionName, payloadJson, source: 'schedule' });
    },
    region: () => ctx.config.current().region,
    warn: (line) => ctx.printError(`coldstart: ${line}`),
  });
  let unsubscribe: (() => void) | null = null;

  return {
    name: 'schedule',

    start() {
      scheduler.apply(ctx.config.current());
      unsubscribe = ctx.config.onChange((next) => scheduler.apply(next));
    },

    stop() {
      unsubscribe?.();
      unsubscribe = null;
      scheduler.stop();
    },

    state() {
      return { schedules: scheduler.state() };
    },
  };
}
