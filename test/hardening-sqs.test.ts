// Wrongly typed SQS input is the sender's fault: 400 with SQS's error code, per entry in a batch,
// never 500 InternalFailure; a visibility timeout cannot reach past 12 hours after the receive;
// an upload the client cuts off prints nothing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { rawRequest } from './helpers/raw-http.js';
import { fixture, useColdstart } from './helpers/server.js';

describe('hardening: SQS input types', () => {
  const cs = useColdstart(fixture('hardening', 'serverless.yml'));
  let queueUrl: string;
  before(() => {
    queueUrl = `${cs.url}/000000000000/inbox`;
  });

  const sqs = async (action: string, input: Record<string, unknown>) => {
    const r = await rawRequest(cs.port, 'POST', '/', {
      headers: { 'x-amz-target': `AmazonSQS.${action}`, 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(input),
    });
    return { status: r.status, body: JSON.parse(r.body || '{}') as Record<string, any>, query: r.headers['x-amzn-query-error'] };
  };

  test('wrongly typed attribute values are 400 InvalidParameterValue', async () => {
    const cases: Record<string, unknown>[] = [
      { MessageAttributes: { a: { DataType: 'String', StringValue: 123 } } },
      { MessageAttributes: { a: { DataType: 'String', StringValue: { nested: true } } } },
      { MessageAttributes: { a: { DataType: 'Binary', BinaryValue: 5 } } },
      { MessageAttributes: { a: { DataType: 'Binary', BinaryValue: ['AAAA'] } } },
      { MessageAttributes: 'not a map' },
      { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 42 } } },
    ];
    for (const extra of cases) {
      const r = await sqs('SendMessage', { QueueUrl: queueUrl, MessageBody: 'hi', ...extra });
      assert.equal(r.status, 400, JSON.stringify(extra));
      assert.equal(r.body.__type, 'com.amazonaws.sqs#InvalidParameterValue', JSON.stringify(r.body));
      assert.equal(r.query, 'InvalidParameterValue;Sender');
    }
  });

  test('RedrivePolicy "null" is 400 InvalidAttributeValue', async () => {
    const r = await sqs('CreateQueue', { QueueName: 'typed', Attributes: { RedrivePolicy: 'null' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.__type, 'com.amazonaws.sqs#InvalidAttributeValue');
    assert.match(r.body.message, /not a valid JSON map/);
  });

  test('one bad entry fails alone in SendMessageBatch', async () => {
    const r = await sqs('SendMessageBatch', {
      QueueUrl: queueUrl,
      Entries: [
        { Id: 'good', MessageBody: 'fine' },
        { Id: 'bad', MessageBody: 'typed', MessageAttributes: { a: { DataType: 'String', StringValue: 123 } } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.Successful.map((s: { Id: string }) => s.Id), ['good']);
    assert.equal(r.body.Failed.length, 1);
    assert.equal(r.body.Failed[0].Id, 'bad');
    assert.equal(r.body.Failed[0].Code, 'InvalidParameterValue');
    assert.equal(r.body.Failed[0].SenderFault, true);
  });

  test('a queue URL that is not valid percent-encoding is 400 QueueDoesNotExist', async () => {
    const r = await sqs('SendMessage', { QueueUrl: `${cs.url}/000000000000/%ZZ`, MessageBody: 'hi' });
    assert.equal(r.status, 400);
    assert.equal(r.body.__type, 'com.amazonaws.sqs#QueueDoesNotExist');
  });

  test('ChangeMessageVisibility cannot keep a message hidden past 12 hours after its receive', async () => {
    await sqs('PurgeQueue', { QueueUrl: queueUrl });
    await sqs('SendMessage', { QueueUrl: queueUrl, MessageBody: 'long job' });
    const got = await sqs('ReceiveMessage', { QueueUrl: queueUrl, VisibilityTimeout: 60, WaitTimeSeconds: 5 });
    const handle = got.body.Messages?.[0]?.ReceiptHandle as string;
    assert.ok(handle, JSON.stringify(got.body));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const within = await sqs('ChangeMessageVisibility', { QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 43_000 });
    assert.equal(within.status, 200, JSON.stringify(within.body));
    const beyond = await sqs('ChangeMessageVisibility', { QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 43_200 });
    assert.equal(beyond.status, 400);
    assert.equal(beyond.body.__type, 'com.amazonaws.sqs#InvalidParameterValue');
    assert.match(beyond.body.message, /Total VisibilityTimeout for the message is beyond the limit \[43200 seconds\]/);
  });

  test('an upload cut off by the client prints nothing, and nothing above answered 500', async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(cs.port, '127.0.0.1', () => {
          socket.write(
            `POST / HTTP/1.1\r\nHost: 127.0.0.1:${cs.port}\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n` +
              'Content-Type: application/x-amz-json-1.0\r\nContent-Length: 100000\r\n\r\n{"QueueUrl": "',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on('error', reject);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ok = await sqs('SendMessage', { QueueUrl: queueUrl, MessageBody: 'still here' });
    assert.equal(ok.status, 200);
    const noise = cs.stderr.filter((l) => /internal error|InternalFailure|at .*\.js:\d+/.test(l));
    assert.deepEqual(noise, []);
  });
});
