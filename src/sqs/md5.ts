// The MD5 digests SQS returns and the AWS SDK verifies: of a message body, and of a set of message
// attributes encoded as SQS specifies (sorted by name; each name, data type and value prefixed by
// its 4-byte big-endian length; a transport byte 1 for String/Number, 2 for Binary).
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './message.js';

/** Hex MD5 of a message body (UTF-8), as in MD5OfBody / MD5OfMessageBody. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Hex MD5 of message attributes, as in MD5OfMessageAttributes; undefined when there are none. */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name]!;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(Buffer.from(value.BinaryValue ?? '', 'base64')));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}
