// An AWS SDK Lambda client pointed at a running coldstart, and helpers to read its answers.
import http from 'node:http';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';

/** A real SDK client for the emulator at `url`. */
export function lambdaClient(url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    // The SDK's default pool of 50 sockets would queue a burst on the client side.
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }) },
  });
}

/** A decoded Invoke answer. */
export interface Invoked {
  raw: InvokeCommandOutput;
  payload: any;
  functionError?: string;
  log: string;
}

/** Invokes synchronously with LogType Tail and decodes payload and log. */
export async function invoke(client: LambdaClient, name: string, event: unknown = {}): Promise<Invoked> {
  const raw = await client.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }),
  );
  const text = raw.Payload ? Buffer.from(raw.Payload).toString('utf8') : '';
  return {
    raw,
    payload: text ? JSON.parse(text) : undefined,
    functionError: raw.FunctionError,
    log: raw.LogResult ? Buffer.from(raw.LogResult, 'base64').toString('utf8') : '',
  };
}

/** The `Init Duration` of a REPORT line in a log, if present. */
export function initDuration(log: string): number | undefined {
  const m = /Init Duration: ([\d.]+) ms/.exec(log);
  return m ? Number(m[1]) : undefined;
}

/** The `Duration` of the REPORT line in a log. */
export function duration(log: string): number {
  const m = /\tDuration: ([\d.]+) ms/.exec(log);
  if (!m) throw new Error(`no Duration in log:\n${log}`);
  return Number(m[1]);
}
