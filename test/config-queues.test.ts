// AWS::SQS::Queue resources and CloudFormation references (!GetAtt, !Ref, !Sub, !Join, long forms).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import type { ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';
import { rejectYaml } from './helpers/config.js';

describe('config queues', () => {
  let config: ServiceConfig;
  before(async () => {
    config = await loadServiceConfig(fixture('config', 'queues', 'serverless.yml'), {});
  });

  it('reads every queue with its properties and CloudFormation defaults', () => {
    assert.deepEqual(config.queues, [
      {
        logicalId: 'JobsQueue',
        name: 'orders-dev-jobs',
        visibilityTimeout: 60,
        messageRetentionPeriod: 86400,
        delaySeconds: 2,
        redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-central-1:000000000000:orders-dev-dlq', maxReceiveCount: 3 },
      },
      {
        logicalId: 'DeadLetterQueue',
        name: 'orders-dev-dlq',
        visibilityTimeout: 30,
        messageRetentionPeriod: 345600,
        delaySeconds: 0,
        redrivePolicy: null,
      },
      {
        // No QueueName: service-stage-LogicalId (CloudFormation's generated name without its random suffix).
        logicalId: 'GeneratedQueue',
        name: 'orders-dev-GeneratedQueue',
        visibilityTimeout: 30,
        messageRetentionPeriod: 345600,
        delaySeconds: 0,
        redrivePolicy: null,
      },
    ]);
  });

  it('resolves !GetAtt Q.Arn and Fn::GetAtt [Q, Arn] in sqs events to the emulated ARN', () => {
    const consumer = config.functions.find((f) => f.name === 'consumer')!;
    assert.deepEqual(
      consumer.events.map((e) => (e.kind === 'sqs' ? [e.arn, e.batchSize] : null)),
      [
        ['arn:aws:sqs:eu-central-1:000000000000:orders-dev-jobs', 5],
        ['arn:aws:sqs:eu-central-1:000000000000:orders-dev-GeneratedQueue', 10],
      ],
    );
  });

  it('resolves !Ref of a queue to its name, GetAtt QueueName, and !Join of pseudo parameters', () => {
    const env = config.functions[0]!.environment;
    assert.equal(env.JOBS_QUEUE, 'orders-dev-jobs');
    assert.equal(env.JOBS_QUEUE_ARN, 'arn:aws:sqs:eu-central-1:000000000000:orders-dev-jobs');
    assert.equal(env.DLQ_NAME, 'orders-dev-dlq');
    assert.equal(env.JOINED, 'eu-central-1/orders-dev-jobs');
  });

  it('resolves a destination given as {type, arn: !GetAtt}', () => {
    const producer = config.functions.find((f) => f.name === 'producer')!;
    assert.equal(producer.onFailureTarget, 'arn:aws:sqs:eu-central-1:000000000000:orders-dev-dlq');
  });
});

describe('config queue errors', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-queues-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const reject = (resources: string[]) =>
    rejectYaml(dir, ['service: q', 'resources:', '  Resources:', ...resources.map((l) => `    ${l}`)].join('\n'));


  it('rejects a VisibilityTimeout above 12 hours at its key', async () => {
    const err = await reject(['Q:', '  Type: AWS::SQS::Queue', '  Properties:', '    VisibilityTimeout: 50000']);
    assert.equal(err.location.key, 'resources.Resources.Q.Properties.VisibilityTimeout');
    assert.match(err.message, /VisibilityTimeout 50000 is above SQS's maximum of 43200 seconds/);
    assert.equal(err.location.line, 7);
  });

  it('rejects a RedrivePolicy whose dead-letter target cannot be resolved', async () => {
    const err = await reject([
      'Q:',
      '  Type: AWS::SQS::Queue',
      '  Properties:',
      '    RedrivePolicy:',
      '      deadLetterTargetArn: !GetAtt Nowhere.Arn',
      '      maxReceiveCount: 2',
    ]);
    assert.equal(err.location.key, 'resources.Resources.Q.Properties.RedrivePolicy.deadLetterTargetArn');
    assert.match(err.message, /Fn::GetAtt Nowhere\.Arn/);
  });

  it('rejects a RedrivePolicy without maxReceiveCount', async () => {
    const err = await reject(['Q:', '  Type: AWS::SQS::Queue', '  Properties:', '    RedrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:0:d" }']);
    assert.match(err.message, /needs maxReceiveCount/);
  });

  it('rejects two queues with the same name', async () => {
    const err = await reject([
      'A:',
      '  Type: AWS::SQS::Queue',
      '  Properties: { QueueName: same }',
      'B:',
      '  Type: AWS::SQS::Queue',
      '  Properties: { QueueName: same }',
    ]);
    assert.match(err.message, /queues A and B have the same name "same"/);
  });
});
