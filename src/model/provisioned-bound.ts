// How much provisioned concurrency a function may have. Lambda takes it from the function's
// reservation when there is one, and otherwise from the account's unreserved concurrency, which
// every other unreserved function's provisioned concurrency also draws on. Above that, Lambda
// answers 400 InvalidParameterValueException; without the bound, one call could boot thousands
// of instances here.

/** What the bound depends on. */
export interface ProvisionedContext {
  /** The function's reservation, or null. */
  reserved: number | null;
  accountConcurrency: number;
  /** Every function's reservation, summed. */
  totalReserved: number;
  /** Provisioned concurrency of the other functions that have no reservation, summed. */
  otherUnreservedProvisioned: number;
}

/** The largest provisioned concurrency the function may be given. */
export function maxProvisioned(c: ProvisionedContext): number {
  if (c.reserved !== null) return c.reserved;
  return Math.max(0, c.accountConcurrency - c.totalReserved - c.otherUnreservedProvisioned);
}

/** Why `value` is too high, in Lambda's manner, or null when it fits. */
export function provisionedProblem(value: number, c: ProvisionedContext): string | null {
  const max = maxProvisioned(c);
  if (value <= max) return null;
  if (c.reserved !== null) {
    return `Requested Provisioned Concurrency ${value} should not be greater than the reservedConcurrentExecution ${c.reserved} for function`;
  }
  return (
    `Requested Provisioned Concurrency ${value} exceeds the account's unreserved concurrency available to the function (${max}: ` +
    `account limit ${c.accountConcurrency}, minus ${c.totalReserved} reserved, minus ${c.otherUnreservedProvisioned} provisioned for other functions)`
  );
}
