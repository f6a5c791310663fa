// Orders, LAZY variant: the AWS SDK is imported on the first call that needs it (POST), so a cold
// start of the GET route loads only this file. The module and client are cached at module scope:
// only the first POST of an instance pays for the import.
import { awsClientOptions } from '../lib/aws.mjs';
import { bodyOf, json, methodOf } from '../lib/http.mjs';
import { findOrder } from '../lib/orders.mjs';

let sqsReady;

// One import and one client per instance, however many calls race for them.
function sqsClient() {
  sqsReady ??= (async () => {
    const { GetQueueUrlCommand, SendMessageCommand, SQSClient } = await import('@aws-sdk/client-sqs');
    const client = new SQSClient(awsClientOptions());
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: process.env.ORDERS_QUEUE_NAME }));
    return { client, queueUrl: QueueUrl, SendMessageCommand };
  })().catch((err) => {
    sqsReady = undefined; // let the next call try again
    throw err;
  });
  return sqsReady;
}

/** GET /orders/lazy/{id} reads an order; POST /orders/lazy queues a new one. */
export async function handler(event) {
  if (methodOf(event) === 'POST') {
    const { client, queueUrl, SendMessageCommand } = await sqsClient();
    const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(bodyOf(event)) }));
    return json(202, { queued: sent.MessageId });
  }
  const order = findOrder(event.pathParameters?.id);
  return order ? json(200, order) : json(404, { message: 'order not found' });
}
