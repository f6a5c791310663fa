// The event a function's trigger would send, for calibration runs: an API Gateway proxy event
// (payload 1.0 for REST, 2.0 for HTTP API), an SQS batch of one, or EventBridge's scheduled event.
import { createHash, randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../types/arn.js';
import type { FunctionConfig, ServiceConfig } from '../types/config.js';
import { defaultRuleName, scheduledEventJson } from '../schedule/payload.js';

// A path that matches a route template: each `{param}` and `{proxy+}` filled with a sample value.
function samplePath(template: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = template.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => {
    params[name] = '1';
    return '1';
  });
  return { path: path.startsWith('/') ? path : `/${path}`, params };
}

/** The JSON text of the event the function's first trigger sends (`{}` when it has none). */
export function triggerEventJson(fn: FunctionConfig, config: ServiceConfig): string {
  const event = fn.events[0];
  const now = new Date();
  if (!event) return '{}';
  if (event.kind === 'schedule') {
    return scheduledEventJson({ region: config.region, ruleName: event.name ?? defaultRuleName(config.service, config.stage, fn.name, 1), time: now, input: event.input });
  }
  if (event.kind === 'sqs') {
    const body = '{}';
    return JSON.stringify({
      Records: [
        {
          messageId: randomUUID(),
          receiptHandle: randomUUID(),
          body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(now.getTime()), SenderId: LOCAL_ACCOUNT_ID, ApproximateFirstReceiveTimestamp: String(now.getTime()) },
          messageAttributes: {},
          md5OfBody: createHash('md5').update(body).digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: event.arn,
          awsRegion: config.region,
        },
      ],
    });
  }
  // Kinds the simulator has no sample for (none of the built-in ones) send an empty event.
  if (event.kind !== 'http' && event.kind !== 'httpApi') return '{}';
  const method = event.method === '*' || event.method.toUpperCase() === 'ANY' ? 'GET' : event.method.toUpperCase();
  const { path, params } = samplePath(event.path === '*' ? '/' : event.path);
  const headers = { host: 'localhost', 'user-agent': 'coldstart-simulate', accept: '*/*' };
  if (event.kind === 'http') {
    return JSON.stringify({
      resource: event.path,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(params).length ? params : null,
      stageVariables: null,
      requestContext: { stage: config.stage, httpMethod: method, path: `/${config.stage}${path}`, requestId: randomUUID(), accountId: LOCAL_ACCOUNT_ID, requestTimeEpoch: now.getTime(), identity: { sourceIp: '127.0.0.1' } },
      body: null,
      isBase64Encoded: false,
    });
  }
  return JSON.stringify({
    version: '2.0',
    routeKey: `${method} ${event.path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      stage: '$default',
      requestId: randomUUID(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'coldstart-simulate' },
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  });
}
