// Queues, mappings and schedules follow serverless.yml when hot reload replaces it, and a queue
// removed from the file while it still holds messages is kept, so nothing is lost.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { nextCronFiring, parseCron } from '../src/schedule/cron.js';
import { eventually } from './helpers/eventually.js';
import { fixture, useColdstart } from './helpers/server.js';
import { getState } from './helpers/state.js';

let dir: string;
let sqs: SQSClient;

async function edit(from: string | RegExp, to: string): Promise<void> {
  const file = path.join(dir, 'serverless.yml');
  const before = await readFile(file, 'utf8');
  const after = before.replace(from, to);
  assert.notEqual(after, before, `edit: ${String(from)} not found`);
  await writeFile(file, after);
}

function got(queue: string): string[] {
  const out: string[] = [];
  for (const line of server.stdout) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { type: string; message?: string };
    const m = e.type === 'log' ? /^GOT (\S+) (.*)$/.exec(e.message!.trim()) : null;
    if (m && m[1] === queue) out.push(m[2]!);
  }
  return out;
}

const state = () => getState(server.url);

// The service runs on a private copy, made when the server starts and removed once it has stopped.
const server = useColdstart(
  async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-sqs-reload-'));
    await cp(fixture('sqs', 'reload'), dir, { recursive: true });
    return path.join(dir, 'serverless.yml');
  },
  ['--cold-start', 'off', '--log-format', 'json'],
  { afterStop: () => dir && rm(dir, { recursive: true, force: true }) },
);
before(async () => {
  sqs = new SQSClient({ endpoint: (await server.ready).url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
after(() => sqs?.destroy());

describe('SQS and schedules follow serverless.yml on reload', () => {
  it('an added queue and mapping start working; a changed schedule re-plans', async () => {
    await edit('      - sqs: !GetAtt First.Arn\n', '      - sqs: !GetAtt First.Arn\n      - sqs: !GetAtt Second.Arn\n');
    await edit('      - schedule: rate(1 hour)', '      - schedule: cron(0 12 * * ? *)');
    await edit(
      '        QueueName: first-queue\n',
      '        QueueName: first-queue\n    Second:\n      Type: AWS::SQS::Queue\n      Properties:\n        QueueName: second-queue\n',
    );
    const url = await eventually(async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: 'second-queue' }))).QueueUrl, 15_000, 'second-queue', 100);
    await eventually(async () => (await state()).sqsMappings.some((m) => m.queue.endsWith(':second-queue')), 15_000, 'the new mapping', 100);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello second' }));
    await eventually(async () => got('second-queue').includes('hello second'), 15_000, 'the message on the new mapping', 100);
    const ticker = (await state()).schedules.find((s) => s.function === 'ticker')!;
    assert.equal(ticker.expression, 'cron(0 12 * * ? *)');
    assert.equal(ticker.nextFiring, nextCronFiring(parseCron('cron(0 12 * * ? *)'), new Date())!.toISOString());
  });

  it('a removed mapping stops polling; a removed queue that holds messages is kept', async () => {
    await edit('      - sqs: !GetAtt First.Arn\n', '');
    await eventually(async () => !(await state()).sqsMappings.some((m) => m.queue.endsWith(':first-queue')), 15_000, 'the mapping to go', 100);
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'first-queue' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'stays' }));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(got('first-queue'), []);

    await edit(/ {4}First:\n {6}Type: AWS::SQS::Queue\n {6}Properties:\n {8}QueueName: first-queue\n/, '');
    await eventually(async () => server.stderr.some((l) => l.includes('first-queue was removed from serverless.yml but still holds messages')), 15_000, 'the kept-queue warning', 100);
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.equal(a.Attributes!['ApproximateNumberOfMessages'], '1');
  });
});
