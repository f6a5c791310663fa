// A receipt handle names the queue, the message and which receive it came from, so a handle from
// an earlier receive (or another queue) is told apart from the current one. Opaque to clients.
import { randomUUID } from 'node:crypto';

/** A new handle for one receive of a message. */
export function encodeReceiptHandle(queue: string, messageId: string, receiveCount: number): string {
  return Buffer.from(`${queue}\n${messageId}\n${receiveCount}\n${randomUUID()}`, 'utf8').toString('base64');
}

/** Splits a receipt handle into its queue and message id; null when it is not one of ours. */
export function decodeReceiptHandle(handle: string): { queue: string; messageId: string } | null {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > 2048) return null;
  const parts = Buffer.from(handle, 'base64').toString('utf8').split('\n');
  if (parts.length !== 4) return null;
  return { queue: parts[0]!, messageId: parts[1]! };
}
