// Maps a batch of file events to what must be reloaded: the functions whose code includes a
// changed file, everything when installed packages change, the configuration when one of its
// files changes. Files nothing depends on are ignored.
import path from 'node:path';

/** A file-system event as the watcher reports it. */
export interface FileChange {
  kind: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';
  /** Absolute path. */
  file: string;
}

/** What the plan needs to know about the service. */
export interface PlanInputs {
  serviceDir: string;
  /** Absolute paths of serverless.yml and its `${file()}` includes. */
  configFiles: ReadonlySet<string>;
  /** The functions whose code includes a file. */
  functionsUsing(file: string): string[];
  /** Functions with an import that did not resolve: a newly created file may be what they miss. */
  functionsMissingImports(): string[];
}

/** What one batch of changes asks for. */
export interface ReloadPlan {
  configChanged: boolean;
  /** node_modules or package.json changed: every function's code may differ. */
  dependenciesChanged: boolean;
  /** Functions to reload because a file of theirs changed. */
  functions: Set<string>;
  /** The changed files that mattered (absolute). */
  files: string[];
}

/**
 * True for a path inside the service's node_modules directory or its package.json. Tools' caches
 * under node_modules/.cache (coldstart's own builds and package sizes among them) are not
 * installed packages.
 */
export function isDependencyPath(file: string, serviceDir: string): boolean {
  const rel = path.relative(serviceDir, file);
  if (rel.startsWith(`node_modules${path.sep}.cache${path.sep}`) || rel === `node_modules${path.sep}.cache`) return false;
  return rel === 'package.json' || rel === 'node_modules' || rel.startsWith(`node_modules${path.sep}`);
}

/** Builds the plan for one batch. */
export function planReload(changes: FileChange[], inputs: PlanInputs): ReloadPlan {
  const plan: ReloadPlan = { configChanged: false, dependenciesChanged: false, functions: new Set(), files: [] };
  const files = new Set<string>();
  let missing: string[] | null = null;
  for (const { kind, file } of changes) {
    if (inputs.configFiles.has(file)) {
      plan.configChanged = true;
      files.add(file);
      continue;
    }
    if (isDependencyPath(file, inputs.serviceDir)) {
      plan.dependenciesChanged = true;
      files.add(file);
      continue;
    }
    const users = inputs.functionsUsing(file);
    if (kind === 'add' && users.length === 0) {
      missing ??= inputs.functionsMissingImports();
      users.push(...missing);
    }
    if (users.length === 0) continue;
    for (const name of users) plan.functions.add(name);
    files.add(file);
  }
  plan.files = [...files];
  return plan;
}

/**
 * How a changed file is named in the `code.reloaded` event: relative to the service directory,
 * with `/` separators; anything inside node_modules is named by its package.
 */
export function displayPath(file: string, serviceDir: string): string {
  const rel = path.relative(serviceDir, file).split(path.sep).join('/');
  if (!rel.startsWith('node_modules/')) return rel;
  const parts = rel.split('/');
  const pkg = parts[1]?.startsWith('@') ? parts.slice(1, 3) : parts.slice(1, 2);
  return ['node_modules', ...pkg].join('/');
}
