// The SQS feature: the queue store, the SQS API on the shared port, one poller per `sqs` event,
// and the on-failure destination of async invocations. Follows serverless.yml on reload.
import type { AppContext, Feature } from '../types/feature.js';
import type { ServiceConfig } from '../types/config.js';
import type { SqsEventConfig } from './config.js';
import { createActions, queueAttributes } from './actions.js';
import type { RedrivePolicy } from './attributes.js';
import { queueFailureDestination } from './failure-destination.js';
import { SqsPoller } from './poller.js';
import { isSqsRequest, sendSqsError, sqsMiddleware } from './protocol.js';
import { SqsError } from './errors.js';
import type { QueueCounters } from './queue.js';
import { QueueStore } from './store.js';

/** A queue as the state document (and the metrics document) shows it. */
export interface QueueState {
  name: string;
  url: string;
  arn: string;
  /** Declared in serverless.yml, rather than created through the API. */
  declared: boolean;
  visibilityTimeout: number;
  redrivePolicy: RedrivePolicy | null;
  ApproximateNumberOfMessages: number;
  ApproximateNumberOfMessagesNotVisible: number;
  ApproximateNumberOfMessagesDelayed: number;
  counters: QueueCounters;
}

/** A mapping as the state document shows it. */
export interface MappingState {
  function: string;
  queue: string;
  batchSize: number;
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
  workers: number;
  busy: number;
  batches: number;
  messagesDeleted: number;
  failedBatches: number;
  throttledAttempts: number;
}

declare module '../types/feature.js' {
  interface FeatureStates {
    /** Every queue, declared or created through the API. */
    queues: QueueState[];
    /** Every `sqs` event source mapping, with its poller's figures. */
    sqsMappings: MappingState[];
  }
}

/** Creates the SQS feature. */
export function createSqsFeature(ctx: AppContext): Feature {
  const region = () => ctx.config.current().region;
  const warn = (line: string) => ctx.printError(`coldstart: sqs: ${line}`);
  const store = new QueueStore({ region, baseUrl: () => ctx.baseUrl(), warn });
  const pollers = new Map<string, SqsPoller>();
  let unsubscribe: (() => void) | null = null;
  let started = false;

  store.syncConfig(ctx.config.current().queues);
  ctx.setFailureDestination(queueFailureDestination(store, ctx.invocations, region));

  const syncMappings = (config: ServiceConfig): void => {
    const wanted = new Map<string, { fn: string; event: SqsEventConfig }>();
    for (const fn of config.functions) {
      fn.events.forEach((event, i) => {
        if (event.kind === 'sqs' && event.enabled) wanted.set(mappingKey(fn.name, i, event), { fn: fn.name, event });
      });
    }
    for (const [key, poller] of pollers) {
      if (!wanted.has(key)) {
        pollers.delete(key);
        void poller.stop();
      }
    }
    for (const [key, { fn, event }] of wanted) {
      if (pollers.has(key)) continue;
      const poller = new SqsPoller(fn, event, { store, invocations: ctx.invocations, concurrency: ctx.concurrency, region, warn });
      pollers.set(key, poller);
      poller.start();
    }
  };

  return {
    name: 'sqs',
    claims: isSqsRequest,
    api: {
      owns: isSqsRequest,
      refuse: (res, refusal) => sendSqsError(res, new SqsError('AccessDenied', refusal.message, { status: 403 })),
    },

    routes(app) {
      app.use(sqsMiddleware(createActions(store), (err) => warn(`internal error: ${(err as Error).stack ?? String(err)}`)));
    },

    start() {
      started = true;
      store.start();
      syncMappings(ctx.config.current());
      unsubscribe = ctx.config.onChange((next) => {
        store.syncConfig(next.queues);
        if (started) syncMappings(next);
      });
    },

    async stop() {
      started = false;
      unsubscribe?.();
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      pollers.clear();
      store.close();
    },

    state() {
      const queues = store.all().map((q): QueueState => {
        const a = queueAttributes(q, ['All']);
        return {
          name: q.name,
          url: store.urlFor(q.name),
          arn: q.arn,
          declared: q.fromConfig,
          visibilityTimeout: q.settings.visibilityTimeout,
          redrivePolicy: q.settings.redrivePolicy,
          ApproximateNumberOfMessages: Number(a['ApproximateNumberOfMessages']),
          ApproximateNumberOfMessagesNotVisible: Number(a['ApproximateNumberOfMessagesNotVisible']),
          ApproximateNumberOfMessagesDelayed: Number(a['ApproximateNumberOfMessagesDelayed']),
          counters: { ...q.counters },
        };
      });
      const sqsMappings: MappingState[] = [];
      for (const fn of ctx.config.current().functions) {
        for (const [i, event] of fn.events.entries()) {
          if (event.kind !== 'sqs') continue;
          const poller = pollers.get(mappingKey(fn.name, i, event));
          sqsMappings.push({
            function: fn.name,
            queue: event.arn,
            batchSize: event.batchSize,
            maximumBatchingWindow: event.maximumBatchingWindow,
            reportBatchItemFailures: event.reportBatchItemFailures,
            enabled: event.enabled,
            workers: poller?.workerCount ?? 0,
            busy: poller?.busyCount ?? 0,
            ...(poller?.stats ?? { batches: 0, messagesDeleted: 0, failedBatches: 0, throttledAttempts: 0 }),
          });
        }
      }
      return { queues, sqsMappings };
    },
  };
}

/** Identifies a mapping; a changed event setting makes a new key, so its poller restarts. */
function mappingKey(functionName: string, index: number, event: SqsEventConfig): string {
  return `${functionName}#${index}#${JSON.stringify(event)}`;
}
