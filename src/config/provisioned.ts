// The start-up check of provisionedConcurrency against the account, as Lambda applies it to
// PutProvisionedConcurrencyConfig (the bound itself: model/provisioned-bound.ts).
import { provisionedProblem } from '../model/provisioned-bound.js';
import type { EmulatorSettings, FunctionConfig } from '../types/config.js';
import type { Locator } from './location.js';

/** Throws CONFIG_INVALID, naming the function and the key, when provisioned concurrency does not fit. */
export function validateProvisioned(
  functions: Pick<FunctionConfig, 'name' | 'reservedConcurrency' | 'provisionedConcurrency'>[],
  settings: Pick<EmulatorSettings, 'accountConcurrency'>,
  loc: Locator,
): void {
  const totalReserved = functions.reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);
  const unreserved = functions.filter((f) => f.reservedConcurrency === null);
  const unreservedProvisioned = unreserved.reduce((sum, f) => sum + f.provisionedConcurrency, 0);
  for (const fn of functions) {
    if (fn.provisionedConcurrency <= 0) continue;
    const problem = provisionedProblem(fn.provisionedConcurrency, {
      reserved: fn.reservedConcurrency,
      accountConcurrency: settings.accountConcurrency,
      totalReserved,
      otherUnreservedProvisioned: fn.reservedConcurrency === null ? unreservedProvisioned - fn.provisionedConcurrency : 0,
    });
    if (problem) throw loc.invalid(`${problem}; lower provisionedConcurrency or raise custom.coldstart.accountConcurrency`, ['functions', fn.name, 'provisionedConcurrency']);
  }
}
