// The SQS endpoint on the shared port: any POST whose X-Amz-Target is `AmazonSQS.<Action>`,
// body and response in AWS JSON 1.0. Signatures are not checked (any credentials work).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { isSqsError, SqsError, sqsErrors } from './errors.js';
import type { ActionInput, SqsAction } from './actions.js';
import { readBody } from '../http/read-body.js';

const TARGET_PREFIX = 'AmazonSQS.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// Ten 1 MiB messages, JSON-escaped, fit comfortably.
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** True when a request is an SQS API call. */
export function isSqsRequest(req: IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX);
}

/** Express middleware answering SQS API calls and passing everything else on. */
export function sqsMiddleware(actions: Record<string, SqsAction>, onInternalError: (err: unknown) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isSqsRequest(req)) return next();
    void handle(actions, req, res, onInternalError);
  };
}

async function handle(
  actions: Record<string, SqsAction>,
  req: IncomingMessage,
  res: ServerResponse,
  onInternalError: (err: unknown) => void,
): Promise<void> {
  const requestId = randomUUID();
  const action = String(req.headers['x-amz-target']).slice(TARGET_PREFIX.length);
  const aborter = new AbortController();
  // A long poll whose client went away stops waiting (and takes no messages in flight).
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  try {
    const run = Object.hasOwn(actions, action) ? actions[action]! : undefined;
    const input = await readJson(req);
    if (!run) throw sqsErrors.unsupportedOperation(action);
    const output = await run(input, aborter.signal);
    if (aborter.signal.aborted) return;
    send(res, 200, requestId, JSON.stringify(output ?? {}));
  } catch (err) {
    // A client that hung up mid-upload needs no answer, and the terminal no stack trace.
    if (err instanceof ClientGone) return;
    if (!isSqsError(err)) onInternalError(err);
    const e: SqsError = isSqsError(err)
      ? err
      : new SqsError('InternalFailure', 'The request processing has failed because of an unknown error.', {
          status: 500,
          fault: 'Receiver',
        });
    sendSqsError(res, e, requestId);
  }
}

/** Sends one SQS error as the SDK reads it (see errors.ts). */
export function sendSqsError(res: ServerResponse, e: SqsError, requestId: string = randomUUID()): void {
  if (res.headersSent || res.destroyed) return;
  res.setHeader('x-amzn-query-error', `${e.queryCode};${e.fault}`);
  send(res, e.status, requestId, JSON.stringify({ __type: `com.amazonaws.sqs#${e.type}`, message: e.message }));
}

function send(res: ServerResponse, status: number, requestId: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('content-type', CONTENT_TYPE);
  res.setHeader('x-amzn-requestid', requestId);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** The client went away before its request was read. */
class ClientGone extends Error {}

/** Reads and parses the JSON body (an empty body is `{}`). */
async function readJson(req: IncomingMessage): Promise<ActionInput> {
  const read = await readBody(req, MAX_REQUEST_BYTES);
  if (!read.ok && read.reason === 'too-large') throw sqsErrors.invalidParameterValue(`The request is larger than ${MAX_REQUEST_BYTES} bytes.`);
  if (!read.ok) throw new ClientGone();
  const text = read.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw sqsErrors.serialization('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw sqsErrors.serialization('The request body must be a JSON object.');
  return parsed as ActionInput;
}
