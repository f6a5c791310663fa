// A rarely used admin route: the list of this account's functions with their memory and timeout.
// It loads the AWS SDK's Lambda client at init, so its cold start is slow, and it is called so
// seldom that every call would be cold. A `schedule: rate(5 minutes)` event pings it: the ping
// returns at once (no work, nothing billed beyond a millisecond) and keeps one instance warm.
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { awsClientOptions } from '../lib/aws.mjs';
import { json } from '../lib/http.mjs';

const lambda = new LambdaClient(awsClientOptions());

/** GET /admin/inventory; a Scheduled Event (source aws.events) is a warm-up ping and returns early. */
export async function handler(event) {
  if (event?.source === 'aws.events') {
    console.log('warm-up ping');
    return { warmed: true };
  }
  const functions = [];
  let Marker;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker }));
    for (const f of page.Functions ?? []) functions.push({ name: f.FunctionName, memorySize: f.MemorySize, timeout: f.Timeout });
    Marker = page.NextMarker;
  } while (Marker);
  return json(200, { count: functions.length, functions });
}
