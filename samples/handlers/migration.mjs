// A data migration over a large table.
//
// `migrateAll` is the version that breaks: one invocation loops over every record. At a million
// records (about 1,000 s of writes) it passes the 15-minute cap and dies with "Task timed out",
// leaving the table half migrated.
//
// The fix: `start` cuts the table into batches and sends one SQS message per batch; `batch`, the
// queue's consumer, migrates one batch per invocation (about 1 s each, far under its 30 s timeout).
// A batch that fails comes back after the visibility timeout and is retried on its own.
import { randomUUID } from 'node:crypto';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientOptions } from '../lib/aws.mjs';
import { batches, migrateRange } from '../lib/migration-work.mjs';

const sqs = new SQSClient(awsClientOptions());
let queueUrl;

function plan(event) {
  const totalRecords = Number(event?.totalRecords ?? 1_000_000);
  const batchSize = Number(event?.batchSize ?? 1000);
  if (!(totalRecords > 0 && batchSize > 0)) throw new Error('totalRecords and batchSize must be positive numbers');
  return { totalRecords, batchSize };
}

/** Migrates the whole table in this one invocation. */
export async function migrateAll(event) {
  const { totalRecords } = plan(event);
  const written = await migrateRange(0, totalRecords);
  return { written };
}

/** Queues the migration as one SQS message per batch of `batchSize` records. */
export async function start(event) {
  const { totalRecords, batchSize } = plan(event);
  const migrationId = event?.migrationId ?? randomUUID();
  queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.MIGRATION_QUEUE_NAME }))).QueueUrl;
  const all = batches(totalRecords, batchSize);
  // SendMessageBatch takes at most 10 entries.
  for (let i = 0; i < all.length; i += 10) {
    const entries = all.slice(i, i + 10).map((b, j) => ({ Id: String(i + j), MessageBody: JSON.stringify({ migrationId, ...b }) }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (sent.Failed?.length) throw new Error(`could not queue ${sent.Failed.length} batches: ${sent.Failed[0].Message}`);
  }
  return { migrationId, totalRecords, batchSize, batches: all.length };
}

/** The queue's consumer: migrates the batch in each message. */
export async function batch(event) {
  for (const record of event.Records) {
    const { migrationId, from, to } = JSON.parse(record.body);
    const written = await migrateRange(from, to);
    console.log(`migration ${migrationId}: records ${from}-${to - 1} done (${written})`);
  }
}
