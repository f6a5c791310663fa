// The SQS API as the real AWS SDK v3 client speaks it, against the real coldstart server.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { fixture, useColdstart } from './helpers/server.js';
let sqs: SQSClient;

async function counts(queueUrl: string) {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
  const a = r.Attributes!;
  return {
    visible: Number(a['ApproximateNumberOfMessages']),
    inFlight: Number(a['ApproximateNumberOfMessagesNotVisible']),
    delayed: Number(a['ApproximateNumberOfMessagesDelayed']),
  };
}

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const r = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return r.QueueUrl!;
}

const server = useColdstart(fixture('sqs', 'api', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

before(async () => {
  sqs = new SQSClient({ endpoint: (await server.ready).url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

after(async () => {
  sqs?.destroy();
});

describe('SQS API: queues', () => {
  it('serves queues declared in serverless.yml, with their settings and a resolved redrive policy', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'declared-queue' }));
    assert.equal(QueueUrl, `${server.url}/000000000000/declared-queue`);
    const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(r.Attributes!['VisibilityTimeout'], '7');
    assert.equal(r.Attributes!['MessageRetentionPeriod'], '3600');
    assert.equal(r.Attributes!['QueueArn'], 'arn:aws:sqs:us-east-1:000000000000:declared-queue');
    assert.deepEqual(JSON.parse(r.Attributes!['RedrivePolicy']!), {
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:declared-dlq',
      maxReceiveCount: 4,
    });
  });

  it('CreateQueue is idempotent with the same attributes and refuses different ones', async () => {
    const url = await createQueue('api-idem', { VisibilityTimeout: '5' });
    assert.equal(url, `${server.url}/000000000000/api-idem`);
    assert.equal(await createQueue('api-idem', { VisibilityTimeout: '5' }), url);
    await assert.rejects(createQueue('api-idem', { VisibilityTimeout: '6' }), (err: Error) => {
      assert.equal(err.name, 'QueueNameExists');
      return true;
    });
  });

  it('ListQueues filters by prefix', async () => {
    await createQueue('list-a');
    await createQueue('list-b');
    const r = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
    assert.deepEqual(r.QueueUrls, [`${server.url}/000000000000/list-a`, `${server.url}/000000000000/list-b`]);
  });

  it('an unknown queue is QueueDoesNotExist, as the SDK models it', async () => {
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), (err: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'QueueDoesNotExist');
      assert.equal(err.Code, 'AWS.SimpleQueueService.NonExistentQueue');
      assert.equal(err.$metadata?.httpStatusCode, 400);
      return true;
    });
    await assert.rejects(
      sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/nope`, MessageBody: 'x' })),
      { name: 'QueueDoesNotExist' },
    );
  });

  it('refuses bad attribute values and names', async () => {
    await assert.rejects(createQueue('bad-vt', { VisibilityTimeout: '99999' }), { name: 'InvalidAttributeValue' });
    await assert.rejects(createQueue('bad-name', { Colour: 'blue' }), { name: 'InvalidAttributeName' });
    await assert.rejects(createQueue('has space'), /alphanumeric/);
  });
});

describe('SQS API: messages', () => {
  it('send, receive with attributes, MD5s the SDK verifies, delete', async () => {
    const url = await createQueue('api-basic');
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'héllo wörld',
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue' },
          size: { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    // The SDK already checked MD5OfMessageBody; check it too, and the attribute digest is present.
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('héllo wörld').digest('hex'));
    assert.match(sent.MD5OfMessageAttributes!, /^[0-9a-f]{32}$/);

    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    assert.equal(r.Messages?.length, 1);
    const m = r.Messages![0]!;
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'héllo wörld');
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.MessageAttributes!['colour']!.StringValue, 'blue');
    assert.deepEqual([...m.MessageAttributes!['blob']!.BinaryValue!], [1, 2, 3]);
    assert.equal(m.Attributes!['ApproximateReceiveCount'], '1');
    assert.ok(Number(m.Attributes!['SentTimestamp']) > Date.now() - 60_000);
    assert.deepEqual(await counts(url), { visible: 0, inFlight: 1, delayed: 0 });

    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
    assert.deepEqual(await counts(url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('the attribute digest matches the one SQS documents (known vector)', async () => {
    // Computed independently: name, type, transport byte and value, each length-prefixed.
    const url = await createQueue('api-md5');
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } } }),
    );
    const expected = createHash('md5')
      .update(Buffer.from([0, 0, 0, 1]))
      .update('a')
      .update(Buffer.from([0, 0, 0, 6]))
      .update('String')
      .update(Buffer.from([1]))
      .update(Buffer.from([0, 0, 0, 1]))
      .update('v')
      .digest('hex');
    assert.equal(sent.MD5OfMessageAttributes, expected);
  });

  it('batch send and batch delete report each entry', async () => {
    const url = await createQueue('api-batch');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 1 },
          { Id: 'c', MessageBody: 'bad', DelaySeconds: 901 },
        ],
      }),
    );
    assert.deepEqual(sent.Successful!.map((s) => s.Id).sort(), ['a', 'b']);
    assert.equal(sent.Failed!.length, 1);
    assert.equal(sent.Failed![0]!.Id, 'c');
    assert.equal(sent.Failed![0]!.SenderFault, true);
    assert.deepEqual(await counts(url), { visible: 1, inFlight: 0, delayed: 1 });

    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
    assert.equal(r.Messages!.length, 1);
    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'x', ReceiptHandle: r.Messages![0]!.ReceiptHandle! },
          { Id: 'y', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    assert.deepEqual(del.Successful!.map((s) => s.Id), ['x']);
    assert.equal(del.Failed![0]!.Id, 'y');
    assert.equal(del.Failed![0]!.Code, 'ReceiptHandleIsInvalid');
  });

  it('batch validation: empty, too many, duplicate ids', async () => {
    const url = await createQueue('api-batch-bad');
    await assert.rejects(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })), { name: 'EmptyBatchRequest' });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
    await assert.rejects(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: eleven })), { name: 'TooManyEntriesInBatchRequest' });
    await assert.rejects(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })),
      { name: 'BatchEntryIdsNotDistinct' },
    );
  });

  it('long polling returns as soon as a message arrives', async () => {
    const url = await createQueue('api-longpoll');
    const started = Date.now();
    const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    await new Promise((r) => setTimeout(r, 300));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    const r = await pending;
    const elapsed = Date.now() - started;
    assert.equal(r.Messages?.[0]?.Body, 'late');
    assert.ok(elapsed >= 250 && elapsed < 8_000, `long poll took ${elapsed} ms`);
  });

  it('long polling an empty queue waits WaitTimeSeconds and returns nothing', async () => {
    const url = await createQueue('api-longpoll-empty');
    const started = Date.now();
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const elapsed = Date.now() - started;
    assert.equal(r.Messages, undefined);
    assert.ok(elapsed >= 900, `returned after ${elapsed} ms`);
  });

  it('visibility timeout: an undeleted message comes back with its receive count raised', async () => {
    const url = await createQueue('api-visibility', { VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(first.Messages![0]!.Attributes!['ApproximateReceiveCount'], '1');
    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(hidden.Messages, undefined);
    const second = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    assert.equal(second.Messages![0]!.MessageId, first.Messages![0]!.MessageId);
    assert.equal(second.Messages![0]!.Attributes!['ApproximateReceiveCount'], '2');
    assert.notEqual(second.Messages![0]!.ReceiptHandle, first.Messages![0]!.ReceiptHandle);
  });

  it('ChangeMessageVisibility to 0 releases a message at once; an unknown handle is refused', async () => {
    const url = await createQueue('api-cmv', { VisibilityTimeout: '60' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: r.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(again.Messages?.[0]?.MessageId, r.Messages![0]!.MessageId);
    await assert.rejects(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: r.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 5 })),
      { name: 'MessageNotInflight' },
    );
    await assert.rejects(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'garbage', VisibilityTimeout: 5 })),
      { name: 'ReceiptHandleIsInvalid' },
    );
  });

  it('a redrive policy moves a message to the DLQ after maxReceiveCount receives', async () => {
    const dlqUrl = await createQueue('api-dlq');
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    const url = await createQueue('api-source', {
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 1; i <= 2; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }));
      assert.equal(r.Messages![0]!.Attributes!['ApproximateReceiveCount'], String(i));
    }
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    assert.equal(none.Messages, undefined);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }));
    const m = dead.Messages![0]!;
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'poison');
    assert.equal(m.Attributes!['DeadLetterQueueSourceArn'], 'arn:aws:sqs:us-east-1:000000000000:api-source');
    // The receive count carries over into the DLQ (2 receives in the source, this is the third).
    assert.equal(m.Attributes!['ApproximateReceiveCount'], '3');
  });

  it('delay: a delayed message is counted as delayed, then becomes visible', async () => {
    const url = await createQueue('api-delay', { DelaySeconds: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    assert.deepEqual(await counts(url), { visible: 0, inFlight: 0, delayed: 1 });
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    assert.equal(r.Messages?.[0]?.Body, 'later');
  });

  it('PurgeQueue empties a queue', async () => {
    const url = await createQueue('api-purge');
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `${i}` })) }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    assert.deepEqual(await counts(url), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses invalid message contents and over-long delays', async () => {
    const url = await createQueue('api-invalid');
    await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001 char' })), { name: 'InvalidMessageContents' });
    await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })), /DelaySeconds/);
  });

  it('queue state is visible in /__coldstart/state', async () => {
    const res = await fetch(`${server.url}/__coldstart/state`);
    const state = (await res.json()) as { queues?: { name: string }[] };
    assert.ok(state.queues?.some((q) => q.name === 'declared-queue'), JSON.stringify(state).slice(0, 500));
  });
});
