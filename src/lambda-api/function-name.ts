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
