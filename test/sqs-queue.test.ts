// Unit tests of the queue state machine (simulated clock), the partial-batch-response rules and
// the message-attribute digest.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings } from '../src/sqs/attributes.js';
import { readBatchItemFailures } from '../src/sqs/lambda-event.js';
import { md5OfAttributes } from '../src/sqs/md5.js';
import { Queue } from '../src/sqs/queue.js';

// Simulated times sit far in the future so the queue's own (real-time) timer never fires during a test.
const T0 = Date.now() + 10 * 86_400_000;

function makeQueues(settings: Partial<QueueSettings> = {}) {
  const warnings: string[] = [];
  const queues = new Map<string, Queue>();
  const env = { resolveQueueArn: (arn: string) => queues.get(arn.split(':').pop()!), warn: (m: string) => warnings.push(m) };
  const dlq = new Queue('dlq', 'arn:aws:sqs:us-east-1:000000000000:dlq', { ...DEFAULT_QUEUE_SETTINGS }, env, false, T0);
  const source = new Queue(
    'source',
    'arn:aws:sqs:us-east-1:000000000000:source',
    { ...DEFAULT_QUEUE_SETTINGS, visibilityTimeout: 10, ...settings },
    env,
    false,
    T0,
  );
  queues.set('dlq', dlq);
  queues.set('source', source);
  return { source, dlq, warnings };
}

/** Every message is somewhere: the conservation law the feature promises. */
function assertConserved(q: Queue) {
  const c = q.counters;
  const n = q.messageCounts;
  assert.equal(c.sent + c.redrivenIn, n.visible + n.inFlight + n.delayed + c.deleted + c.movedToDeadLetter + c.expired + c.purged);
}

describe('Queue: message state machine', () => {
  it('send -> visible -> in flight -> visible again after the timeout, receive count raised', () => {
    const { source } = makeQueues();
    source.send({ body: 'a' }, T0);
    assert.deepEqual(source.messageCounts, { visible: 1, inFlight: 0, delayed: 0 });
    const [m] = source.receive(10, 10, T0);
    assert.equal(m!.receiveCount, 1);
    assert.deepEqual(source.messageCounts, { visible: 0, inFlight: 1, delayed: 0 });
    assert.equal(source.receive(10, 10, T0 + 9_999).length, 0);
    const [again] = source.receive(10, 10, T0 + 10_000);
    assert.equal(again!.id, m!.id);
    assert.equal(again!.receiveCount, 2);
    source.close();
  });

  it('delay: a delayed message is invisible until its delay ends', () => {
    const { source } = makeQueues({ delaySeconds: 5 });
    source.send({ body: 'later' }, T0);
    source.send({ body: 'now', delaySeconds: 0 }, T0);
    assert.deepEqual(source.messageCounts, { visible: 1, inFlight: 0, delayed: 1 });
    assert.deepEqual(source.receive(10, 10, T0 + 4_000).map((m) => m.body), ['now']);
    assert.deepEqual(source.receive(10, 10, T0 + 5_000).map((m) => m.body), ['later']);
    source.close();
  });

  it('delete with the current handle deletes; a stale handle of a re-received message does not', () => {
    const { source } = makeQueues();
    source.send({ body: 'a' }, T0);
    const first = source.receive(1, 1, T0)[0]!;
    const staleHandle = first.receiptHandle!;
    const currentHandle = source.receive(1, 1, T0 + 1_000)[0]!.receiptHandle!;
    assert.equal(source.deleteMessage(staleHandle), 'stale');
    assert.equal(source.messageCounts.inFlight, 1);
    assert.equal(source.deleteMessage(currentHandle), 'deleted');
    assert.equal(source.deleteMessage(currentHandle), 'already-gone');
    assert.throws(() => source.deleteMessage('bogus'), { name: /ReceiptHandleIsInvalid/ });
    assertConserved(source);
    source.close();
  });

  it('redrive: past maxReceiveCount the message moves to the DLQ with its receive count', () => {
    const { source, dlq } = makeQueues({ redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 3 } });
    const sent = source.send({ body: 'poison' }, T0);
    for (let i = 0; i < 3; i++) assert.equal(source.receive(1, 1, T0 + i * 1_000).length, 1);
    assert.equal(source.receive(1, 1, T0 + 3_000).length, 0);
    assert.equal(source.counters.movedToDeadLetter, 1);
    const [dead] = dlq.receive(1, 30, T0 + 3_000);
    assert.equal(dead!.id, sent.id);
    assert.equal(dead!.receiveCount, 4);
    assert.equal(dead!.deadLetterQueueSourceArn, source.arn);
    assert.equal(dead!.sentTimestamp, T0);
    assertConserved(source);
    assertConserved(dlq);
    source.close();
    dlq.close();
  });

  it('a redrive target that does not exist keeps the message and warns once', () => {
    const { source, warnings } = makeQueues({ redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing', maxReceiveCount: 1 } });
    source.send({ body: 'x' }, T0);
    source.receive(1, 1, T0);
    assert.equal(source.receive(1, 1, T0 + 1_000).length, 1);
    source.receive(1, 1, T0 + 2_000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /does not exist/);
    source.close();
  });

  it('retention: messages older than the retention period expire', () => {
    const { source } = makeQueues({ messageRetentionPeriod: 60 });
    source.send({ body: 'old' }, T0);
    source.send({ body: 'in flight' }, T0);
    source.receive(1, 1_000, T0);
    source.sweep(T0 + 60_000);
    assert.deepEqual(source.messageCounts, { visible: 0, inFlight: 0, delayed: 0 });
    assert.equal(source.counters.expired, 2);
    assertConserved(source);
    source.close();
  });

  it('receive respects a byte budget but always takes one message', () => {
    const { source } = makeQueues();
    for (let i = 0; i < 3; i++) source.send({ body: 'x'.repeat(1000) }, T0);
    assert.equal(source.receive(10, 10, T0, 2_500).length, 2);
    assert.equal(source.receive(10, 10, T0, 10).length, 1);
    source.close();
  });

  it('conservation holds under a long random mix of operations', () => {
    const { source, dlq } = makeQueues({ redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 } });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let now = T0;
    const held: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const r = rand();
      if (r < 0.3) source.send({ body: `m${step}`, delaySeconds: rand() < 0.2 ? 2 : 0 }, now);
      else if (r < 0.55) held.push(...source.receive(1 + Math.floor(rand() * 10), Math.floor(rand() * 3), now).map((m) => m.receiptHandle!));
      else if (r < 0.75 && held.length > 0) source.deleteMessage(held.pop()!);
      else if (r < 0.8 && held.length > 0) {
        try {
          source.changeVisibility(held[Math.floor(rand() * held.length)]!, Math.floor(rand() * 2), now);
        } catch {
          // A handle that is no longer current: MessageNotInflight, as SQS answers.
        }
      } else if (r < 0.8005) source.purge();
      else now += Math.floor(rand() * 700);
      if (step % 97 === 0) {
        assertConserved(source);
        assertConserved(dlq);
        assert.equal(dlq.counters.redrivenIn, source.counters.movedToDeadLetter);
      }
    }
    assertConserved(source);
    assert.ok(source.counters.deleted > 100 && source.counters.movedToDeadLetter > 10, JSON.stringify(source.counters));
    source.close();
    dlq.close();
  });
});

describe('ReportBatchItemFailures rules', () => {
  const ids = new Set(['a', 'b', 'c']);
  it('null, empty and missing lists are complete success', () => {
    for (const payload of ['null', '', '{}', '{"batchItemFailures":null}', '{"batchItemFailures":[]}', '"ok"']) {
      assert.deepEqual(readBatchItemFailures(payload, ids), { kind: 'all-succeeded' }, payload);
    }
  });
  it('named items fail alone', () => {
    const v = readBatchItemFailures('{"batchItemFailures":[{"itemIdentifier":"b"}]}', ids);
    assert.equal(v.kind, 'partial');
    assert.deepEqual(v.kind === 'partial' ? [...v.failedIds] : [], ['b']);
  });
  it('an empty, null or unknown identifier fails the whole batch', () => {
    for (const payload of [
      '{"batchItemFailures":[{"itemIdentifier":""}]}',
      '{"batchItemFailures":[{"itemIdentifier":null}]}',
      '{"batchItemFailures":[{"id":"a"}]}',
      '{"batchItemFailures":[{"itemIdentifier":"zzz"}]}',
      '{"batchItemFailures":"a"}',
    ]) {
      assert.equal(readBatchItemFailures(payload, ids).kind, 'all-failed', payload);
    }
  });
});

describe('message attribute digest', () => {
  it('encodes names, types, transport bytes and values length-prefixed, sorted by name', () => {
    const prefixed = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const expected = createHash('md5')
      .update(prefixed(Buffer.from('a')))
      .update(prefixed(Buffer.from('Binary')))
      .update(Buffer.from([2]))
      .update(prefixed(Buffer.from([9, 8])))
      .update(prefixed(Buffer.from('z')))
      .update(prefixed(Buffer.from('Number')))
      .update(Buffer.from([1]))
      .update(prefixed(Buffer.from('7')))
      .digest('hex');
    const got = md5OfAttributes({
      z: { DataType: 'Number', StringValue: '7' },
      a: { DataType: 'Binary', BinaryValue: Buffer.from([9, 8]).toString('base64') },
    });
    assert.equal(got, expected);
    assert.equal(md5OfAttributes({}), undefined);
  });
});
