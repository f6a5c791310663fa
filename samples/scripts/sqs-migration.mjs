// Sample 8: a data migration too long for one invocation, done as batches through SQS.
// Invokes migrateStart, which cuts the table into batches and queues one message per batch; the
// queue's consumer, migrateBatch, migrates one batch per invocation. The script waits until the
// queue is drained and every batch was processed, then prints the measured per-batch Duration and
// what one invocation doing all of it would need, against Lambda's 15-minute (900 s) cap.
// The default is a 20,000-record slice (20 batches, about 20 s of writes): large enough to measure,
// small enough to watch. Pass --records N to change it.
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleJson, fmt, invoke, lambdaClient, printTable, runIfMain } from './lib.mjs';

const LAMBDA_MAX_TIMEOUT_S = 900;
const PRODUCTION_RECORDS = 1_000_000;

async function queueDepth(sqs, queueUrl) {
  const { Attributes: a } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

/** Runs a migration of `records` records in batches of `batchSize`; resolves with the numbers it printed. */
export async function main({ url, print = console.log, records = 20_000, batchSize = 1000, timeoutMs = 10 * 60_000 }) {
  const client = lambdaClient(url);
  const sqs = new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { service, stage } = await consoleJson('state', url);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${service}-${stage}-migration` }));
    const before = (await consoleJson('metrics', url)).functions.migrateBatch;

    const started = performance.now();
    const queued = await invoke(client, 'migrateStart', { totalRecords: records, batchSize });
    if (queued.functionError) throw new Error(`migrateStart failed: ${JSON.stringify(queued.payload)}`);
    const { batches, migrationId } = queued.payload;
    print(`migration ${migrationId}: ${records} records queued as ${batches} batches of ${batchSize} in ${fmt(queued.durationMs, 0)} ms`);

    let after;
    for (;;) {
      after = (await consoleJson('metrics', url)).functions.migrateBatch;
      const done = after.invocations - before.invocations;
      if (done >= batches && (await queueDepth(sqs, QueueUrl)) === 0) break;
      if (performance.now() - started > timeoutMs) throw new Error(`only ${done} of ${batches} batches done after ${timeoutMs / 1000} s`);
      await sleep(500);
    }
    const elapsedS = (performance.now() - started) / 1000;
    const perBatchS = (after.duration.p50 ?? 0) / 1000;
    const oneInvocationS = perBatchS * Math.ceil(PRODUCTION_RECORDS / batchSize);
    const [consumer] = (await consoleJson('state', url)).functions.filter((f) => f.name === 'migrateBatch');
    printTable(
      [
        { what: 'batches processed', value: after.invocations - before.invocations },
        { what: 'failed batches (errors + timeouts)', value: after.errors - before.errors + (after.timeouts - before.timeouts) },
        { what: 'per-batch Duration p50 / p95 (s)', value: `${fmt(perBatchS, 2)} / ${fmt((after.duration.p95 ?? 0) / 1000, 2)}` },
        { what: 'consumer timeout (s)', value: consumer.timeout },
        { what: 'wall time, queue to drained (s)', value: fmt(elapsedS, 1) },
      ],
      print,
    );
    print(
      `the full table (${PRODUCTION_RECORDS.toLocaleString('en-US')} records) in ONE invocation would need about ${fmt(oneInvocationS, 0)} s ` +
        `of work: ${oneInvocationS > LAMBDA_MAX_TIMEOUT_S ? 'past' : 'under'} Lambda's ${LAMBDA_MAX_TIMEOUT_S} s cap (that is what migrateAll does).`,
    );
    print(`as batches, each invocation takes ${fmt(perBatchS, 2)} s, far under its ${consumer.timeout} s timeout, and a failed batch is retried alone.`);
    return {
      batches,
      processed: after.invocations - before.invocations,
      failed: after.errors - before.errors + (after.timeouts - before.timeouts),
      perBatchP50Ms: after.duration.p50,
      consumerTimeoutS: consumer.timeout,
      oneInvocationS,
    };
  } finally {
    client.destroy();
    sqs.destroy();
  }
}

function recordsArg() {
  const i = process.argv.indexOf('--records');
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
}

runIfMain(import.meta.url, (opts) => main({ ...opts, records: recordsArg() ?? 20_000 }));
