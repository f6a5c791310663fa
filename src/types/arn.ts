// The ARNs the emulator names. Every emulated resource belongs to one local account.

/** The account every emulated resource belongs to. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** A function's ARN in `region`. */
export function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/** An emulated queue's ARN in `region`. */
export function queueArn(region: string, name: string): string {
  return `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
}

/** Lambda's message for a function that does not exist, as the SDK shows it. */
export function functionNotFoundMessage(region: string, name: string): string {
  return `Function not found: ${functionArn(region, name)}`;
}
