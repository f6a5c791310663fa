// Hot reload: file events in, one reload per burst out. A burst is mapped to the functions whose
// code it touched (through each function's import graph), serverless.yml changes are re-read and
// applied (or reported, keeping the last good configuration), and the runtime is told which
// functions to renew. Instance semantics (retire idle, drain busy, re-init provisioned) are the
// runtime's; this module only decides what changed.
import path from 'node:path';
import type { EventBus } from '../events/bus.js';
import type { CliOverrides, ServiceConfig } from '../types/config.js';
import { isColdstartError } from '../types/errors.js';
import type { CodeReloader, ConfigStore } from '../types/service.js';
import { BurstCollector, type BurstTiming } from './burst.js';
import { diffFunctions } from './config-diff.js';
import { ImportGraph, type AnalysisError, type ImportAnalysis } from './import-graph.js';
import { displayPath, isDependencyPath, planReload, type FileChange } from './plan.js';
import { DirectoryWatcher } from './watcher.js';

/** What the reloader needs from the rest of the emulator. */
export interface ReloaderDeps {
  bus: EventBus;
  config: ConfigStore;
  reloader: CodeReloader;
  /** The code version a function runs now (for a reload that renewed no function). */
  codeVersion(functionName: string): number;
  loadConfig(configPath: string, overrides: CliOverrides): Promise<ServiceConfig>;
  cliOverrides: CliOverrides;
  analyse(handlerFile: string, serviceDir: string): Promise<ImportAnalysis>;
  printError(line: string): void;
  timing?: BurstTiming;
  usePolling?: boolean;
}

/** Default burst timing: short enough for a fast reload, long enough to merge an editor's writes. */
export const DEFAULT_TIMING: BurstTiming = { quietMs: 30, maxWaitMs: 500 };
/** node_modules changes come from installs that run for seconds: wait for them to settle. */
const DEPENDENCY_QUIET_MS = 400;

/** What one handled burst did (for tests and the state endpoint). */
export interface ReloadOutcome {
  functions: string[];
  files: string[];
  codeVersion: number | null;
  configError: string | null;
}

/** Watches a service and reloads what its edits touch. */
export class HotReloader {
  private readonly graph: ImportGraph;
  private readonly bursts: BurstCollector<string>;
  private readonly kinds = new Map<string, FileChange['kind']>();
  private watcher: DirectoryWatcher | null = null;
  private configFailed = false;
  private reloads = 0;
  private last: ReloadOutcome | null = null;
  private readonly deps: ReloaderDeps;

  constructor(deps: ReloaderDeps) {
    this.deps = deps;
    this.graph = new ImportGraph((file) => deps.analyse(file, this.config.serviceDir));
    this.bursts = new BurstCollector((files) => this.handleBurst(files), deps.timing ?? DEFAULT_TIMING);
  }

  private get config(): ServiceConfig {
    return this.deps.config.current();
  }

  /** Builds every function's import graph and starts watching; resolves once events flow. */
  async start(): Promise<void> {
    const errors = await this.analyseFunctions(this.config.functions.map((f) => f.name));
    for (const [error, names] of errors) {
      this.deps.printError(
        `coldstart: hot reload cannot follow the imports of ${names.join(', ')} (${describeAnalysisError(error, this.config.serviceDir)}); watching the files it names`,
      );
    }
    this.watcher = new DirectoryWatcher(this.wantedDirs(), {
      serviceDir: this.config.serviceDir,
      usePolling: this.deps.usePolling,
      onChange: (change) => this.onChange(change),
      onError: (err) => this.deps.printError(`coldstart: file watcher error: ${err instanceof Error ? err.message : String(err)}`),
    });
    await this.watcher.whenReady();
  }

  /** Stops watching; a burst being handled finishes, pending events are dropped. */
  async close(): Promise<void> {
    this.bursts.close();
    await this.watcher?.close();
    this.watcher = null;
  }

  /** Resolves when no burst is pending or being handled. */
  idle(): Promise<void> {
    return this.bursts.idle();
  }

  /** Summary for the state endpoint. */
  state(): Record<string, unknown> {
    return {
      watching: this.watcher !== null,
      directories: this.watcher?.size ?? 0,
      files: this.graph.allFiles().size,
      reloads: this.reloads,
      lastReload: this.last,
    };
  }

  /** The local files a function's code is made of (absolute paths). */
  filesOf(functionName: string): string[] {
    return this.graph.filesOf(functionName);
  }

  private onChange(change: FileChange): void {
    // Only files matter; a new directory matters only inside node_modules (a package was added).
    if ((change.kind === 'addDir' || change.kind === 'unlinkDir') && !isDependencyPath(change.file, this.config.serviceDir)) return;
    const previous = this.kinds.get(change.file);
    // Within a burst, "add" wins: it is what tells a broken function its missing file appeared.
    if (previous !== 'add') this.kinds.set(change.file, change.kind);
    const quiet = isDependencyPath(change.file, this.config.serviceDir) ? DEPENDENCY_QUIET_MS : undefined;
    this.bursts.add(change.file, quiet);
  }

  private async handleBurst(files: string[]): Promise<void> {
    const changes: FileChange[] = files.map((file) => ({ file, kind: this.kinds.get(file) ?? 'change' }));
    for (const file of files) this.kinds.delete(file);
    const before = this.config;
    const plan = planReload(changes, {
      serviceDir: before.serviceDir,
      configFiles: new Set(before.configFiles.map((f) => path.resolve(before.serviceDir, f))),
      functionsUsing: (f) => this.graph.functionsUsing(f),
      brokenFunctions: () => this.graph.brokenFunctions(),
    });

    const analyse = new Set(plan.functions);
    // Functions the runtime renewed itself while applying a new configuration (it bumps the code
    // version of every function whose settings differ, adds new ones and retires removed ones).
    let renewedByConfig: string[] = [];
    let configReloaded = false;
    let configError: string | null = null;
    // After a failed load, any later change is worth a retry: it may be the file the error named.
    if (plan.configChanged || this.configFailed) {
      try {
        const next = await this.deps.loadConfig(before.configPath, this.deps.cliOverrides);
        const diff = diffFunctions(before, next);
        this.deps.config.replace(next);
        this.configFailed = false;
        configReloaded = true;
        renewedByConfig = [...diff.added, ...diff.codeChanged, ...diff.instanceChanged, ...diff.otherChanged];
        for (const name of diff.removed) this.graph.remove(name);
        for (const name of [...diff.added, ...diff.codeChanged]) analyse.add(name);
        // A retry that succeeded: the configuration is part of what this reload applied.
        if (!plan.configChanged) plan.files.push(before.configPath);
      } catch (err) {
        this.configFailed = true;
        configError = isColdstartError(err) ? err.describe() : err instanceof Error ? err.message : String(err);
        if (plan.configChanged) this.deps.printError(`coldstart: serverless.yml not reloaded: ${configError}`);
      }
    }
    const current = new Set(this.config.functions.map((f) => f.name));
    const codeChanged = plan.dependenciesChanged ? new Set(current) : new Set(plan.functions);
    for (const name of renewedByConfig) codeChanged.delete(name);
    const reloaded = [...codeChanged].filter((n) => current.has(n)).sort();
    const names = [...new Set([...reloaded, ...renewedByConfig])].filter((n) => current.has(n)).sort();

    if (reloaded.length > 0 || configReloaded) {
      const bumped = reloaded.length > 0 ? this.deps.reloader.reloadCode(reloaded) : 0;
      const shownFrom = names.length > 0 ? names : [...current];
      const codeVersion = Math.max(bumped, ...shownFrom.map((n) => this.deps.codeVersion(n)));
      const shown = [...new Set(plan.files.map((f) => displayPath(f, this.config.serviceDir)))].sort();
      this.deps.bus.publish({ type: 'code.reloaded', time: Date.now(), functions: names, codeVersion, files: shown });
      this.reloads++;
      this.last = { functions: names, files: shown, codeVersion, configError };
    } else if (configError) {
      this.last = { functions: [], files: [], codeVersion: null, configError };
    }

    // Refresh the graphs of what was reloaded: an edit may add or drop imports.
    const reanalyse = [...analyse].filter((n) => current.has(n));
    const errors = await this.analyseFunctions(reanalyse);
    for (const [error, fns] of errors) {
      this.deps.printError(
        `coldstart: ${fns.join(', ')}: ${describeAnalysisError(error, this.config.serviceDir)} (invocations fail until this is fixed)`,
      );
    }
    this.watcher?.add(this.wantedDirs());
  }

  /** Analyses functions in parallel; returns the failures grouped by identical error. */
  private async analyseFunctions(names: string[]): Promise<Map<AnalysisError, string[]>> {
    const byName = new Map(this.config.functions.map((f) => [f.name, f]));
    const results = await Promise.all(
      names.map(async (name) => {
        const fn = byName.get(name);
        return fn ? { name, error: await this.graph.update(name, fn.handlerFile) } : { name, error: null };
      }),
    );
    const grouped = new Map<string, { error: AnalysisError; names: string[] }>();
    for (const { name, error } of results) {
      if (!error) continue;
      const key = JSON.stringify(error);
      const entry = grouped.get(key) ?? { error, names: [] };
      entry.names.push(name);
      grouped.set(key, entry);
    }
    return new Map([...grouped.values()].map((g) => [g.error, g.names.sort()]));
  }

  /** Directories holding the service's code and configuration, and the installed packages. */
  private wantedDirs(): string[] {
    const { serviceDir, configFiles } = this.config;
    const dirs = new Set<string>([serviceDir, path.join(serviceDir, 'node_modules')]);
    for (const f of configFiles) dirs.add(path.dirname(path.resolve(serviceDir, f)));
    for (const f of this.graph.allFiles()) dirs.add(path.dirname(f));
    return [...dirs];
  }
}

/** `file:line:column: text`, the file relative to the service. */
export function describeAnalysisError(error: AnalysisError, serviceDir: string): string {
  if (!error.file) return error.text;
  const where = displayPath(error.file, serviceDir) + (error.line !== undefined ? `:${error.line}:${error.column ?? 1}` : '');
  return `${where}: ${error.text}`;
}
