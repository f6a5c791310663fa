// Lambda API errors as the AWS SDK parses them: the code in `x-amzn-ErrorType`, a JSON body with
// `Type` and `message` (the Invoke API reference). Plain node:http, so the express routes and the direct
// Invoke path send the same bytes.
import type { ServerResponse } from 'node:http';

/** Sends one Lambda API error. */
export function sendLambdaError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  const body = JSON.stringify({ Type: 'User', message, ...extra });
  res.writeHead(status, { 'x-amzn-ErrorType': code, 'Content-Type': 'application/json' }).end(body);
}

/** 404 for an unknown function, with the ARN Lambda names in its message. */
export function sendNotFound(res: ServerResponse, message: string): void {
  sendLambdaError(res, 404, 'ResourceNotFoundException', message, { Message: message });
}

/** 400 for a FunctionName that breaks the API's constraint. */
export function sendValidationError(res: ServerResponse, message: string): void {
  sendLambdaError(res, 400, 'ValidationException', message);
}
