// The FunctionName forms the Lambda API accepts: name, name:qualifier, full ARN, partial ARN.

/** The function's name without ARN prefix or qualifier. */
export function functionNameFrom(raw: string): string {
  const parts = raw.split(':');
  // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
  if (parts[0] === 'arn' && parts.length >= 7) return parts[6]!;
  // ACCOUNT:function:NAME[:QUALIFIER]
  if (parts.length >= 3 && parts[1] === 'function') return parts[2]!;
  return parts[0]!;
}

// The FunctionName constraint of the Lambda API model (Invoke and the function operations).
const NAME_PATTERN_SOURCE = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const NAME_PATTERN = new RegExp(`^${NAME_PATTERN_SOURCE}$`);
const MAX_NAME_LENGTH = 170;

/** Lambda's 400 `ValidationException` message for a FunctionName it cannot accept, or null when it is well-formed. */
export function functionNameProblem(value: string): string | null {
  const prefix = `1 validation error detected: Value '${value}' at 'functionName' failed to satisfy constraint: Member must`;
  if (value.length < 1) return `${prefix} have length greater than or equal to 1`;
  if (value.length > MAX_NAME_LENGTH) return `${prefix} have length less than or equal to ${MAX_NAME_LENGTH}`;
  if (!NAME_PATTERN.test(value)) return `${prefix} satisfy regular expression pattern: ${NAME_PATTERN_SOURCE}`;
  return null;
}
