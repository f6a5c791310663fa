// The SQS event source: `sqs` events (event source mappings), read by config.ts and polled by the
// feature, which also serves the SQS API the queues are driven through.
// Importing this module registers the source as built in (see event-sources/builtin.ts).
import type { EventSource } from '../types/event-source.js';
import { registerBuiltinEventSource } from '../event-sources/builtins.js';
import { readSqs, SQS_KEYS, type SqsEventConfig } from './config.js';
import { createSqsFeature } from './feature.js';

declare module '../types/event-source.js' {
  interface EventConfigs {
    sqs: SqsEventConfig;
  }
}

declare module '../types/runtime.js' {
  interface InvocationSources {
    sqs: true;
  }
}

/** The `sqs` event source. */
export const sqsSource: EventSource = {
  name: 'sqs',
  kinds: {
    sqs: { read: (value, path, loc, scope) => [readSqs(value, path, loc, scope)], keys: SQS_KEYS },
  },
  feature: { create: createSqsFeature },
};

registerBuiltinEventSource(sqsSource);
