// Orders, EAGER variant: the AWS SDK's SQS client is imported and built at init, so every cold start
// pays for loading it, even on the GET route (the common one) that never uses it.
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientOptions } from '../lib/aws.mjs';
import { bodyOf, json, methodOf } from '../lib/http.mjs';
import { findOrder } from '../lib/orders.mjs';

const sqs = new SQSClient(awsClientOptions());
let queueUrl;

/** GET /orders/eager/{id} reads an order; POST /orders/eager queues a new one. */
export async function handler(event) {
  if (methodOf(event) === 'POST') {
    queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: process.env.ORDERS_QUEUE_NAME }))).QueueUrl;
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(bodyOf(event)) }));
    return json(202, { queued: sent.MessageId });
  }
  const order = findOrder(event.pathParameters?.id);
  return order ? json(200, order) : json(404, { message: 'order not found' });
}
