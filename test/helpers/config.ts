// Helpers for configuration tests: expect a loader rejection and get the ColdstartError.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadServiceConfig } from '../../src/config/load.js';
import { ColdstartError } from '../../src/types/errors.js';

/** Resolves with the ColdstartError the promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<ColdstartError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ColdstartError, `expected a ColdstartError, got ${String((err as Error)?.stack ?? err)}`);
    return err;
  }
  return assert.fail('expected the configuration to be rejected');
}

/** Writes `yaml` to a fresh file in `dir`, loads it, and returns the error it is rejected with. */
export async function rejectYaml(dir: string, yaml: string): Promise<ColdstartError> {
  const file = path.join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, yaml);
  return rejection(loadServiceConfig(file, {}));
}
