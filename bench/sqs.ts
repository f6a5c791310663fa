// Issue 7 benchmark: SQS throughput end to end. The AWS SDK sends N messages with
// SendMessageBatch (ten per call, several calls in flight) to a queue whose trivial consumer
// (batchSize 10) is driven by the event source mapping; the clock stops when every message has
// been processed and deleted (ApproximateNumberOfMessages + NotVisible + Delayed = 0).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startQuiet } from './emulator.js';
import type { BenchRow } from './types.js';

const HANDLER = `export const handler = async (event) => ({ handled: event.Records.length });\n`;
const CONFIG = `service: benchsqs
provider:
  name: aws
  runtime: nodejs20.x
  memorySize: 1769
functions:
  consumer:
    handler: handler.handler
    events:
      - sqs:
          arn: !GetAtt Jobs.Arn
          batchSize: 10
resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: bench-jobs
`;

const TARGET_PER_SECOND = 2_000;
const MESSAGES = 10_000;
const SENDERS = 8;
const ROUNDS = 3;

/** Sends `count` messages in batches of ten from `SENDERS` concurrent loops. */
async function sendAll(sqs: SQSClient, queueUrl: string, count: number, tag: string): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      const start = next;
      next = Math.min(count, next + 10);
      const entries = [];
      for (let i = start; i < next; i++) entries.push({ Id: `m${i - start}`, MessageBody: `{"n":${i},"tag":"${tag}"}` });
      const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (r.Failed && r.Failed.length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(r.Failed[0])}`);
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
}

async function drained(sqs: SQSClient, queueUrl: string): Promise<boolean> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes!;
  return Number(a['ApproximateNumberOfMessages']) + Number(a['ApproximateNumberOfMessagesNotVisible']) + Number(a['ApproximateNumberOfMessagesDelayed']) === 0;
}

/** Sends and waits until everything is processed; returns messages per second. */
async function round(sqs: SQSClient, queueUrl: string, count: number, tag: string): Promise<{ perSecond: number; sendPerSecond: number }> {
  const started = performance.now();
  await sendAll(sqs, queueUrl, count, tag);
  const sent = performance.now();
  const deadline = Date.now() + 120_000;
  while (!(await drained(sqs, queueUrl))) {
    if (Date.now() > deadline) throw new Error('the queue did not drain within 120 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, sendPerSecond: count / ((sent - started) / 1000) };
}

export default async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coldstart-bench-sqs-'));
  writeFileSync(path.join(dir, 'handler.mjs'), HANDLER);
  writeFileSync(path.join(dir, 'serverless.yml'), CONFIG);
  const server = await startQuiet(path.join(dir, 'serverless.yml'));
  const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const queueUrl = `${server.url}/000000000000/bench-jobs`;
  try {
    // Warm-up: instances started, JIT warm, connections open.
    await round(sqs, queueUrl, 1_000, 'warmup');
    const results = [];
    for (let i = 0; i < ROUNDS; i++) results.push(await round(sqs, queueUrl, MESSAGES, `r${i}`));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const perSecond = median(results.map((r) => r.perSecond));
    const sendPerSecond = median(results.map((r) => r.sendPerSecond));
    return [
      {
        figure: `sqs end to end, SendMessageBatch -> processed (${MESSAGES} msgs, batchSize 10, median of ${ROUNDS})`,
        value: perSecond,
        unit: 'msg/s',
        target: `> ${TARGET_PER_SECOND} msg/s`,
        met: perSecond > TARGET_PER_SECOND,
      },
      {
        figure: `sqs SendMessageBatch alone (${SENDERS} senders, 10 per call)`,
        value: sendPerSecond,
        unit: 'msg/s',
        target: 'informational',
        met: true,
      },
    ];
  } finally {
    sqs.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
