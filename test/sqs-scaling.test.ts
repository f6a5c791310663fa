// SQS pollers and concurrency end to end: a reserved concurrency of 1 under a backlog, scaling
// with the backlog, a throttled batch retried until capacity frees, the batching window, and
// async invocation failures delivered to a queue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lambdaClient } from './helpers/lambda.js';
import { eventually } from './helpers/eventually.js';
import { fixture, useColdstart } from './helpers/server.js';
let sqs: SQSClient;

const queueUrl = (name: string) => `${server.url}/000000000000/${name}`;

/** Bodies (JSON with an id) and batch sizes of every record a function logged. */
function worked(fn: string): { id: number; batch: number }[] {
  const out: { id: number; batch: number }[] = [];
  for (const line of server.stdout) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type: string; function?: string; message?: string };
    if (e.type !== 'log' || e.function !== fn) continue;
    const m = /^WORK (\S+) n=(\d+)$/.exec(e.message!.trim());
    if (m) out.push({ id: (JSON.parse(m[1]!) as { id: number }).id, batch: Number(m[2]) });
  }
  return out;
}

async function send(queue: string, count: number, sleepMs: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: `m${j}`, MessageBody: JSON.stringify({ id: i + j, sleepMs }) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl(queue), Entries: entries }));
  }
}

async function drained(queue: string): Promise<boolean> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(queue), AttributeNames: ['All'] }))).Attributes!;
  return Number(a['ApproximateNumberOfMessages']) + Number(a['ApproximateNumberOfMessagesNotVisible']) === 0;
}

interface FnMetrics {
  throttles: number;
  peakConcurrentExecutions: number;
  invocations: number;
}

async function metrics(fn: string): Promise<FnMetrics> {
  const body = (await (await fetch(`${server.url}/__coldstart/metrics`)).json()) as { functions: Record<string, FnMetrics> };
  return body.functions[fn]!;
}

function assertAllOnce(fn: string, count: number): void {
  const ids = worked(fn).map((w) => w.id).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: count }, (_, i) => i));
}

const server = useColdstart(fixture('sqs', 'scaling', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--log-format', 'json']);

before(async () => {
  sqs = new SQSClient({ endpoint: (await server.ready).url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

after(async () => {
  sqs?.destroy();
});

describe('SQS pollers and concurrency', () => {
  it('reservedConcurrency 1 under a backlog: one batch at a time, no throttles, all processed once', async () => {
    await send('single-queue', 30, 20);
    await eventually(() => worked('single').length >= 30, 20_000, '30 records', 100);
    await eventually(() => drained('single-queue'), 20_000, 'the queue to drain', 100);
    assertAllOnce('single', 30);
    const m = await metrics('single');
    assert.equal(m.peakConcurrentExecutions, 1);
    assert.equal(m.throttles, 0);
    assert.ok(worked('single').every((w) => w.batch <= 2));
  });

  it('an unreserved consumer scales with the backlog, up to the default cap of 10', async () => {
    await send('wide-queue', 80, 150);
    await eventually(() => worked('wide').length >= 80, 30_000, '80 records', 100);
    await eventually(() => drained('wide-queue'), 20_000, 'the queue to drain', 100);
    assertAllOnce('wide', 80);
    const m = await metrics('wide');
    assert.ok(m.peakConcurrentExecutions >= 3, `peak ${m.peakConcurrentExecutions}`);
    assert.ok(m.peakConcurrentExecutions <= 10, `peak ${m.peakConcurrentExecutions}`);
    assert.equal(m.throttles, 0);
  });

  it('a throttled batch is retried while it is in flight and processed once capacity frees', async () => {
    const lambda = lambdaClient(server.url);
    try {
      // Hold the function's only unit of concurrency with a direct 2.5 s invocation.
      const holding = lambda.send(new InvokeCommand({ FunctionName: 'contended', Payload: Buffer.from(JSON.stringify({ sleepMs: 2_500 })) }));
      await eventually(async () => (await metrics('contended')).peakConcurrentExecutions >= 1, 20_000, 'the direct invocation to start', 100);
      await send('contended-queue', 3, 0);
      await eventually(async () => (await metrics('contended')).throttles >= 1, 20_000, 'the poller to be throttled', 100);
      await holding;
      await eventually(() => worked('contended').length >= 3, 20_000, '3 records', 100);
      await eventually(() => drained('contended-queue'), 20_000, 'the queue to drain', 100);
      assertAllOnce('contended', 3);
      const state = (await (await fetch(`${server.url}/__coldstart/state`)).json()) as {
        sqsMappings: { function: string; throttledAttempts: number }[];
        queues: { name: string; counters: { receives: number; deleted: number } }[];
      };
      assert.ok(state.sqsMappings.find((s) => s.function === 'contended')!.throttledAttempts >= 1);
      // Retried without a new receive: the visibility timeout (30 s) had not run out.
      const q = state.queues.find((x) => x.name === 'contended-queue')!;
      assert.equal(q.counters.deleted, 3);
      assert.equal(q.counters.receives, 3);
    } finally {
      lambda.destroy();
    }
  });

  it('the batching window gathers more than ten messages into one batch', async () => {
    await send('windowed-queue', 30, 0);
    await eventually(() => worked('windowed').length >= 30, 20_000, '30 records', 100);
    assertAllOnce('windowed', 30);
    const largest = Math.max(...worked('windowed').map((w) => w.batch));
    assert.ok(largest > 10, `largest batch ${largest}`);
  });

  it('an async invocation that exhausts its retries lands in its on-failure queue', async () => {
    const lambda = lambdaClient(server.url);
    try {
      const r = await lambda.send(new InvokeCommand({ FunctionName: 'asyncFail', InvocationType: 'Event', Payload: Buffer.from('{"order":7}') }));
      assert.equal(r.StatusCode, 202);
      let body: Record<string, any> | undefined;
      await eventually(async () => {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl('async-failures'), WaitTimeSeconds: 1 }));
        if (got.Messages?.[0]) body = JSON.parse(got.Messages[0].Body!) as Record<string, any>;
        return body !== undefined;
      }, 20_000, 'the failure record', 100);
      assert.equal(body!['version'], '1.0');
      assert.equal(body!['requestContext']['condition'], 'RetriesExhausted');
      assert.equal(body!['requestContext']['functionArn'], 'arn:aws:lambda:us-east-1:000000000000:function:sqsscale-dev-asyncFail:$LATEST');
      assert.deepEqual(body!['requestPayload'], { order: 7 });
      assert.match(body!['responsePayload']['errorMessage'], /async failure for \{"order":7\}/);
    } finally {
      lambda.destroy();
    }
  });
});
