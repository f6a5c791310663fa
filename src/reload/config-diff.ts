// What a new serverless.yml changes about the functions, so a reload renews only the functions
// whose instances would run differently.
import type { FunctionConfig, ServiceConfig } from '../types/config.js';
import { functionSettingsText } from '../config/function-settings.js';

/** The function-level difference between two configurations. */
export interface FunctionDiff {
  added: string[];
  removed: string[];
  /** Handler file or export (or runtime) changed: the instances must load other code. */
  codeChanged: string[];
  /** Memory, timeout, environment or VPC changed: a running instance was set up with the old values. */
  instanceChanged: string[];
  /** Only events, concurrency or other settings the runtime applies in place changed. */
  otherChanged: string[];
}

/** True when an instance created from `a` would differ from one created from `b` in its code. */
function codeDiffers(a: FunctionConfig, b: FunctionConfig): boolean {
  return a.handlerFile !== b.handlerFile || a.handlerExport !== b.handlerExport || a.runtime !== b.runtime;
}

/** True when an instance created from `a` would be set up differently from one created from `b`. */
function instanceDiffers(a: FunctionConfig, b: FunctionConfig): boolean {
  return (
    a.memorySize !== b.memorySize ||
    a.timeout !== b.timeout ||
    a.vpc !== b.vpc ||
    a.fullName !== b.fullName ||
    !sameRecord(a.environment, b.environment)
  );
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** Compares the functions of two configurations by short name. */
export function diffFunctions(previous: ServiceConfig, next: ServiceConfig): FunctionDiff {
  const before = new Map(previous.functions.map((f) => [f.name, f]));
  const after = new Map(next.functions.map((f) => [f.name, f]));
  const diff: FunctionDiff = { added: [], removed: [], codeChanged: [], instanceChanged: [], otherChanged: [] };
  for (const name of before.keys()) if (!after.has(name)) diff.removed.push(name);
  for (const [name, fn] of after) {
    const old = before.get(name);
    if (!old) diff.added.push(name);
    else if (codeDiffers(old, fn)) diff.codeChanged.push(name);
    else if (instanceDiffers(old, fn)) diff.instanceChanged.push(name);
    else if (functionSettingsText(old) !== functionSettingsText(fn)) diff.otherChanged.push(name);
  }
  return diff;
}
