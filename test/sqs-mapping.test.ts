// SQS event source mappings end to end: the real server, the real SDK sending, real handlers
// consuming. Handlers log one line per record; the test reads them from the JSON log stream.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from './helpers/eventually.js';
import { fixture, useColdstart } from './helpers/server.js';
let sqs: SQSClient;

interface Seen {
  tag: string;
  body: string;
  receiveCount: number;
  /** ApproximateFirstReceiveTimestamp. */
  firstReceive: number;
  /** When the handler saw the record. */
  time: number;
}

/** Every record line the handlers logged so far. */
function seen(prefix: string): Seen[] {
  const out: Seen[] = [];
  for (const line of server.stdout) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { type: string; message?: string };
    if (event.type !== 'log' || !event.message) continue;
    const m = /^(\S+) (\S+) rc=(\d+) fr=(\d+) t=(\d+)$/.exec(event.message.trim());
    if (m && m[1]!.startsWith(prefix)) {
      out.push({ tag: m[1]!, body: m[2]!, receiveCount: Number(m[3]), firstReceive: Number(m[4]), time: Number(m[5]) });
    }
  }
  return out;
}

const queueUrl = (name: string) => `${server.url}/000000000000/${name}`;

async function sendNumbered(queue: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const entries = Array.from({ length: Math.min(10, count - i) }, (_, j) => ({ Id: `m${i + j}`, MessageBody: String(i + j) }));
    const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl(queue), Entries: entries }));
    assert.equal(r.Failed?.length ?? 0, 0);
  }
}

async function counts(queue: string) {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(queue), AttributeNames: ['All'] }));
  const a = r.Attributes!;
  return {
    visible: Number(a['ApproximateNumberOfMessages']),
    inFlight: Number(a['ApproximateNumberOfMessagesNotVisible']),
    delayed: Number(a['ApproximateNumberOfMessagesDelayed']),
  };
}

interface QueueState {
  name: string;
  counters: Record<string, number>;
  ApproximateNumberOfMessages: number;
  ApproximateNumberOfMessagesNotVisible: number;
  ApproximateNumberOfMessagesDelayed: number;
}

/** A queue's counts and counters from /__coldstart/metrics, checked against GetQueueAttributes (call when the queue is quiet). */
async function queueState(name: string): Promise<QueueState> {
  const metrics = (await (await fetch(`${server.url}/__coldstart/metrics`)).json()) as { queues: QueueState[] };
  const q = metrics.queues.find((x) => x.name === name);
  assert.ok(q, `queue ${name} in /__coldstart/metrics`);
  const c = await counts(name);
  assert.deepEqual(c, { visible: q.ApproximateNumberOfMessages, inFlight: q.ApproximateNumberOfMessagesNotVisible, delayed: q.ApproximateNumberOfMessagesDelayed });
  return q;
}

/** Every message is accounted for: waiting, in flight, deleted, moved to the DLQ, expired or purged. */
function assertConserved(q: QueueState): void {
  const c = q.counters;
  const live = q.ApproximateNumberOfMessages + q.ApproximateNumberOfMessagesNotVisible + q.ApproximateNumberOfMessagesDelayed;
  assert.equal(c['sent']! + c['redrivenIn']!, live + c['deleted']! + c['movedToDeadLetter']! + c['expired']! + c['purged']!, JSON.stringify(q));
}

const server = useColdstart(fixture('sqs', 'mapping', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--log-format', 'json']);

before(async () => {
  sqs = new SQSClient({ endpoint: (await server.ready).url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

after(async () => {
  sqs?.destroy();
});

describe('SQS event source mapping', () => {
  it('100 messages to a consumer that succeeds: each processed exactly once, all deleted', async () => {
    await sendNumbered('ok-queue', 100);
    await eventually(() => seen('OK').length >= 100, 20_000, '100 records processed', 100);
    await eventually(async () => {
      const c = await counts('ok-queue');
      return c.visible + c.inFlight === 0;
    }, 20_000, 'the queue to drain', 100);
    const records = seen('OK');
    const bodies = records.map((r) => r.body).sort((a, b) => Number(a) - Number(b));
    assert.deepEqual(bodies, Array.from({ length: 100 }, (_, i) => String(i)));
    assert.ok(records.every((r) => r.receiveCount === 1));
    const q = await queueState('ok-queue');
    assert.equal(q.counters['sent'], 100);
    assert.equal(q.counters['deleted'], 100);
    assertConserved(q);
  });

  it('delivers the SQS event shape', async () => {
    await eventually(() => server.stdout.some((l) => l.includes('SHAPE ')), 20_000, 'the SHAPE line', 100);
    const line = server.stdout.find((l) => l.includes('SHAPE '))!;
    const message = (JSON.parse(line) as { message: string }).message;
    const record = JSON.parse(message.slice(message.indexOf('SHAPE ') + 6)) as Record<string, any>;
    assert.equal(record['eventSource'], 'aws:sqs');
    assert.equal(record['eventSourceARN'], 'arn:aws:sqs:us-east-1:000000000000:ok-queue');
    assert.equal(record['awsRegion'], 'us-east-1');
    assert.equal(record['body'], '0');
    assert.match(record['messageId'], /^[0-9a-f-]{36}$/);
    assert.equal(typeof record['receiptHandle'], 'string');
    assert.equal(record['md5OfBody'], 'cfcd208495d565ef66e7dff9f98764da'); // md5("0")
    assert.equal(record['attributes']['ApproximateReceiveCount'], '1');
    assert.match(record['attributes']['SentTimestamp'], /^\d{13}$/);
    assert.match(record['attributes']['ApproximateFirstReceiveTimestamp'], /^\d{13}$/);
    assert.deepEqual(record['messageAttributes'], {});
  });

  it('message attributes reach the handler in the Lambda shape', async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl('ok-queue'),
        MessageBody: '0',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    await eventually(() => server.stdout.filter((l) => l.includes('SHAPE ')).length >= 2, 20_000, 'a second SHAPE line', 100);
    const line = server.stdout.filter((l) => l.includes('SHAPE '))[1]!;
    const message = (JSON.parse(line) as { message: string }).message;
    const record = JSON.parse(message.slice(message.indexOf('SHAPE ') + 6)) as Record<string, any>;
    assert.deepEqual(record['messageAttributes'], { kind: { stringValue: 'test', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    assert.match(record['md5OfMessageAttributes'], /^[0-9a-f]{32}$/);
  });

  it('a consumer that fails one batch in three: failed batches return after the 2 s visibility timeout, none lost', async () => {
    await sendNumbered('flaky-queue', 60);
    await eventually(() => new Set(seen('FLAKY-OK').map((r) => r.body)).size >= 60, 30_000, '60 messages processed', 100);
    await eventually(async () => {
      const c = await counts('flaky-queue');
      return c.visible + c.inFlight === 0;
    }, 20_000, 'the queue to drain', 100);
    const failed = seen('FLAKY-FAIL');
    const succeeded = seen('FLAKY-OK');
    assert.ok(failed.length > 0, 'some batches failed');
    // Every failed delivery came back with its receive count raised; the second receive cannot
    // come sooner than the 2 s visibility timeout after the first.
    for (const f of failed) {
      const retry = [...failed, ...succeeded].find((s) => s.body === f.body && s.receiveCount === f.receiveCount + 1);
      assert.ok(retry, `message ${f.body} was redelivered after failing at receive ${f.receiveCount}`);
      if (f.receiveCount === 1) assert.ok(retry.time - f.firstReceive >= 1_990, `redelivered ${retry.time - f.firstReceive} ms after the first receive`);
    }
    // None lost: every message succeeded (at least once: SQS delivers at least once).
    assert.deepEqual(
      [...new Set(succeeded.map((s) => s.body))].sort((a, b) => Number(a) - Number(b)),
      Array.from({ length: 60 }, (_, i) => String(i)),
    );
    const q = await queueState('flaky-queue');
    assert.equal(q.counters['deleted'], 60);
    assertConserved(q);
  });

  it('a consumer that always fails: messages land in the DLQ after maxReceiveCount receives', async () => {
    await sendNumbered('failing-queue', 5);
    await eventually(async () => (await counts('failing-dlq')).visible === 5, 30_000, '5 messages in the DLQ', 100);
    const attempts = seen('FAIL');
    for (let i = 0; i < 5; i++) {
      const counts = attempts.filter((a) => a.body === String(i)).map((a) => a.receiveCount).sort();
      assert.deepEqual(counts, [1, 2, 3], `message ${i} was delivered with receive counts ${counts}`);
    }
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl('failing-dlq'), MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    assert.equal(dead.Messages?.length, 5);
    for (const m of dead.Messages!) {
      // Three receives in the source queue; this receive from the DLQ is the fourth.
      assert.equal(m.Attributes!['ApproximateReceiveCount'], '4');
      assert.equal(m.Attributes!['DeadLetterQueueSourceArn'], 'arn:aws:sqs:us-east-1:000000000000:failing-queue');
    }
    const source = await queueState('failing-queue');
    assert.equal(source.counters['movedToDeadLetter'], 5);
    assertConserved(source);
    assertConserved(await queueState('failing-dlq'));
  });

  it('ReportBatchItemFailures: only the named items come back', async () => {
    await sendNumbered('partial-queue', 20);
    await eventually(() => new Set(seen('PARTIAL-OK').map((r) => r.body)).size >= 20, 60_000, 'every message to succeed', 100);
    await eventually(async () => {
      const c = await counts('partial-queue');
      return c.visible + c.inFlight === 0;
    }, 20_000, 'the queue to drain', 100);
    const ok = seen('PARTIAL-OK');
    const failed = seen('PARTIAL-FAIL');
    assert.deepEqual(failed.map((f) => f.body).sort((a, b) => Number(a) - Number(b)), ['0', '2', '4', '6', '8', '10', '12', '14', '16', '18']);
    for (const r of ok) {
      // Odd messages succeed on their first delivery; even ones, named as failures, on the second.
      assert.equal(r.receiveCount, Number(r.body) % 2 === 0 ? 2 : 1, `message ${r.body}`);
    }
    assert.equal(new Set(ok.map((r) => r.body)).size, 20);
    assertConserved(await queueState('partial-queue'));
  });

  it('a disabled mapping does not poll; the state lists mappings', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('disabled-queue'), MessageBody: 'stay' }));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(await counts('disabled-queue'), { visible: 1, inFlight: 0, delayed: 0 });
    const state = (await (await fetch(`${server.url}/__coldstart/state`)).json()) as { sqsMappings: { function: string; enabled: boolean; batchSize: number }[] };
    const disabled = state.sqsMappings.find((m) => m.function === 'disabled');
    assert.equal(disabled?.enabled, false);
    assert.equal(state.sqsMappings.find((m) => m.function === 'flaky')?.batchSize, 5);
  });
});
