// Serverless also accepts `functions` and `resources` as lists of maps, typically one
// `${file(...)}` per entry; they are merged into one map, later entries winning.
import type { Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** Merges list-form `functions` and `resources` into maps, in place. */
export function mergeListForms(data: Record<string, unknown>, loc: Locator): void {
  if (Array.isArray(data.functions)) {
    const merged: Record<string, unknown> = {};
    data.functions.forEach((entry, i) => {
      if (entry === null || entry === undefined) return;
      if (!isPlainObject(entry)) throw loc.invalid('each entry of a functions list must be a map of functions', ['functions', i]);
      Object.assign(merged, entry);
    });
    data.functions = merged;
  }
  if (Array.isArray(data.resources)) {
    const merged: Record<string, Record<string, unknown>> = {};
    data.resources.forEach((entry, i) => {
      if (entry === null || entry === undefined) return;
      if (!isPlainObject(entry)) throw loc.invalid('each entry of a resources list must be a map (Resources, Outputs...)', ['resources', i]);
      for (const [section, value] of Object.entries(entry)) {
        merged[section] = { ...(merged[section] ?? {}), ...(isPlainObject(value) ? value : {}) };
      }
    });
    data.resources = merged;
  }
}
