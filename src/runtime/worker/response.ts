// A handler's result as the Node.js runtime hands it to Lambda: JSON text, or the error the
// runtime raises when it cannot be sent (Lambda quotas; the Node.js runtime interface client).
import type { FunctionErrorPayload } from '../../types/runtime.js';

/** Largest synchronous response Lambda returns, bytes (6 MB and the 100 bytes Lambda's own check allows). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** The JSON of a result, or the invocation's error when it cannot be sent. */
export function serializeResult(result: unknown): { resultJson: string } | { error: FunctionErrorPayload } {
  let json: string | undefined;
  try {
    json = JSON.stringify(result === undefined ? null: result);
  } catch {
    // A cycle or a BigInt: the runtime's own words, without the stack of its serializer.
    return { error: { errorType: 'Error', errorMessage: 'Unable to stringify response body', trace: ['Error: Unable to stringify response body'] } };
  }
  const text = json ?? 'null';
  // A string's UTF-8 size is at least its length: most results skip the byte count.
  if (text.length * 3 > MAX_RESPONSE_BYTES && Buffer.byteLength(text, 'utf8') > MAX_RESPONSE_BYTES) {
    return {
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        trace: [],
      },
    };
  }
  return { resultJson: text };
}
