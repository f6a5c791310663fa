// Whether a function's configuration changed between two loads. The package size is measured in
// the background after each load, so a fresh load carries an estimate where the running
// configuration already has the exact figure: a measurement, not a setting that changed.
import type { FunctionConfig } from '../types/config.js';

const MEASURED = new Set(['packageBytes', 'packageSizeExact']);

/** The function's settings as text, without what is measured after loading. */
export function functionSettingsText(fn: FunctionConfig): string {
  return JSON.stringify(fn, (key, value: unknown) => (MEASURED.has(key) ? undefined : value));
}
