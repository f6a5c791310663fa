// Lambda API errors as the AWS SDK parses them: the code in `x-amzn-ErrorType`, a JSON body with
// `Type` and `message` (lambda-facts.md B4).
import type { Response } from 'express';

/** Sends one Lambda API error. */
export function sendLambdaError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  const body = JSON.stringify({ Type: 'User', message, ...extra });
  res.status(status).set({ 'x-amzn-ErrorType': code, 'Content-Type': 'application/json' }).send(body);
}

/** 404 for an unknown function, with the ARN Lambda names in its message. */
export function sendNotFound(res: Response, message: string): void {
  sendLambdaError(res, 404, 'ResourceNotFoundException', message, { Message: message });
}
