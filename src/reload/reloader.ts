// Hot reload: file events in, one reload per burst out. A burst is mapped to the functions whose
// code it touched (through each function's import graph), serverless.yml changes are re-read and
// applied (or reported, keeping the last good configuration), and the runtime is told which
// functions to renew. Instance semantics (retire idle, drain busy, re-init provisioned) are the
// runtime's; this module only decides what changed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventBus } from '../events/bus.js';
import type { CliOverrides, ServiceConfig } from '../types/config.js';
import { isColdstartError } from '../types/errors.js';
import type { CodeReloader, ConfigStore } from '../types/service.js';
import { FilePoller } from './file-poll.js';
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

/** What re-reading the configuration did. */
interface ConfigReload {
  applied: boolean;
  /** Functions the runtime renewed (added, or with changed settings). */
  renewed: string[];
  /** Functions whose handler file is new: their import graphs must be built. */
  reanalyse: string[];
  error: string | null;
  /** Configuration files whose text changed since the last load attempt. */
  changedFiles?: Set<string>;
}

/** What one handled burst did (for tests and the state endpoint). */
export interface ReloadOutcome {
  functions: string[];
  files: string[];
  codeVersion: number | null;
  configError: string | null;
}

/** Hot reload as the state document shows it. */
export interface ReloadState {
  watching: boolean;
  directories?: number;
  files?: number;
  reloads?: number;
  lastReload?: ReloadOutcome | null;
}

/** Watches a service and reloads what its edits touch. */
export class HotReloader {
  private readonly graph: ImportGraph;
  private readonly bursts: BurstCollector<string>;
  private readonly kinds = new Map<string, FileChange['kind']>();
  /** Directories created while an import was missing; watched like the code's own. */
  private readonly newDirs = new Set<string>();
  private watcher: DirectoryWatcher | null = null;
  private configFailed = false;
  /** Text of each configuration file at the last load attempt: a second report of the same save is no change. */
  private configTexts = new Map<string, string>();
  private readonly poller = new FilePoller(
    () => [...this.configFilePaths(), ...this.graph.allFiles()],
    (file) => this.onChange({ kind: 'change', file }, true),
  );
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
    this.configTexts = await this.readConfigTexts();
    await this.poller.start();
  }

  private configFilePaths(): string[] {
    const c = this.config;
    return c.configFiles.map((f) => path.resolve(c.serviceDir, f));
  }

  private async readConfigTexts(): Promise<Map<string, string>> {
    const files = this.configFilePaths();
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
    return new Map(files.map((f, i) => [f, texts[i]!]));
  }

  /** Configuration files whose text differs from the last load attempt. */
  private changedConfigFiles(texts: Map<string, string>): Set<string> {
    const changed = new Set<string>();
    for (const [file, text] of texts) if (this.configTexts.get(file) !== text) changed.add(file);
    return changed;
  }

  /** Stops watching; a burst being handled finishes, pending events are dropped. */
  async close(): Promise<void> {
    this.bursts.close();
    this.poller.stop();
    await this.watcher?.close();
    this.watcher = null;
  }

  /** Summary for the state endpoint. */
  state(): ReloadState {
    return {
      watching: this.watcher !== null,
      directories: this.watcher?.size ?? 0,
      files: this.graph.allFiles().size,
      reloads: this.reloads,
      lastReload: this.last,
    };
  }

  private onChange(change: FileChange, fromPoller = false): void {
    if (!fromPoller) this.poller.acknowledge(change.file);
    const { serviceDir } = this.config;
    const dependency = isDependencyPath(change.file, serviceDir);
    if ((change.kind === 'addDir' || change.kind === 'unlinkDir') && !dependency) {
      // A new directory matters only while an import is missing: the missing file may be in it
      // (an editor creating `utils/x.js` creates `utils/` first), so it is watched from now on.
      if (change.kind === 'unlinkDir' || this.graph.functionsMissingImports().length === 0) return;
      this.newDirs.add(change.file);
      this.watcher?.add([change.file]);
      change = { kind: 'add', file: change.file };
    }
    // Within a burst, "add" wins: it is what tells a function its missing file appeared.
    if (this.kinds.get(change.file) !== 'add') this.kinds.set(change.file, change.kind);
    this.bursts.add(change.file, dependency ? DEPENDENCY_QUIET_MS : undefined);
  }

  private async handleBurst(files: string[]): Promise<void> {
    // What is on disk now is what this burst reloads: the poller must not report it again.
    for (const file of files) this.poller.acknowledge(file);
    const changes: FileChange[] = files.map((file) => ({ file, kind: this.kinds.get(file) ?? 'change' }));
    for (const file of files) this.kinds.delete(file);
    const before = this.config;
    const plan = planReload(changes, {
      serviceDir: before.serviceDir,
      configFiles: new Set(before.configFiles.map((f) => path.resolve(before.serviceDir, f))),
      functionsUsing: (f) => this.graph.functionsUsing(f),
      functionsMissingImports: () => this.graph.functionsMissingImports(),
    });
    // After a failed load, any later change is worth a retry: it may be the file the error named.
    // A created file may be the handler a function names but could not find: look again.
    const handlerMayExist = changes.some((c) => c.kind === 'add') && before.warnings.some((w) => w.code === 'HANDLER_MISSING');
    const config = plan.configChanged || this.configFailed || handlerMayExist ? await this.reloadConfig(before, plan.configChanged) : null;
    if (config?.applied && !plan.configChanged) plan.files.push(before.configPath);
    // A configuration file reported twice for one save (watcher and poller) is not news the second time.
    const configPaths = new Set(this.configFilePaths());
    if (config?.changedFiles) plan.files = plan.files.filter((f) => !configPaths.has(f) || config.changedFiles!.has(f) || !plan.configChanged);

    const current = new Set(this.config.functions.map((f) => f.name));
    const renewedByConfig = config?.renewed ?? [];
    const codeChanged = plan.dependenciesChanged ? new Set(current) : new Set(plan.functions);
    for (const name of renewedByConfig) codeChanged.delete(name);
    const reloaded = [...codeChanged].filter((n) => current.has(n)).sort();
    if (reloaded.length > 0 || config?.applied) {
      const bumped = reloaded.length > 0 ? this.deps.reloader.reloadCode(reloaded) : 0;
      const names = [...new Set([...reloaded, ...renewedByConfig])].filter((n) => current.has(n)).sort();
      const codeVersion = Math.max(bumped, ...(names.length > 0 ? names : [...current]).map((n) => this.deps.codeVersion(n)));
      const shown = [...new Set(plan.files.map((f) => displayPath(f, this.config.serviceDir)))].sort();
      this.deps.bus.publish({ type: 'code.reloaded', time: Date.now(), functions: names, codeVersion, files: shown });
      this.reloads++;
      this.last = { functions: names, files: shown, codeVersion, configError: config?.error ?? null };
    } else if (config?.error) {
      this.last = { functions: [], files: [], codeVersion: null, configError: config.error };
    }

    // Refresh the graphs of what was reloaded: an edit may add or drop imports.
    const reanalyse = new Set([...plan.functions, ...(config?.reanalyse ?? [])]);
    const errors = await this.analyseFunctions([...reanalyse].filter((n) => current.has(n)));
    for (const [error, fns] of errors) {
      this.deps.printError(
        `coldstart: ${fns.join(', ')}: ${describeAnalysisError(error, this.config.serviceDir)} (invocations fail until this is fixed)`,
      );
    }
    this.watcher?.add(this.wantedDirs());
  }

  /**
   * Re-reads serverless.yml and hands the result to the config store, which the runtime follows:
   * it renews every function whose settings differ, adds new ones and retires removed ones.
   * An invalid file is reported and the last good configuration stays.
   */
  private async reloadConfig(before: ServiceConfig, report: boolean): Promise<ConfigReload> {
    // The native watcher and the poller may both report one save: the second sees the same text.
    const texts = await this.readConfigTexts();
    const changedFiles = this.changedConfigFiles(texts);
    if (report && changedFiles.size === 0) {
      return { applied: false, renewed: [], reanalyse: [], error: this.configFailed ? (this.last?.configError ?? null) : null, changedFiles };
    }
    this.configTexts = texts;
    try {
      const next = await this.deps.loadConfig(before.configPath, this.deps.cliOverrides);
      const diff = diffFunctions(before, next);
      this.deps.config.replace(next);
      this.configFailed = false;
      // A function that now names a missing handler is served as on AWS (its calls fail): say so
      // as loudly as at start-up.
      const reloadedCode = new Set([...diff.added, ...diff.codeChanged]);
      for (const w of next.warnings) {
        if (w.code === 'HANDLER_MISSING' && w.function !== undefined && reloadedCode.has(w.function)) this.deps.printError(`coldstart: warning: ${w.message}`);
      }
      for (const name of diff.removed) this.graph.remove(name);
      return {
        applied: true,
        renewed: [...diff.added, ...diff.codeChanged, ...diff.instanceChanged, ...diff.otherChanged],
        reanalyse: [...diff.added, ...diff.codeChanged],
        error: null,
        changedFiles,
      };
    } catch (err) {
      this.configFailed = true;
      const error = isColdstartError(err) ? err.describe() : err instanceof Error ? err.message : String(err);
      if (report) this.deps.printError(`coldstart: serverless.yml not reloaded: ${error}`);
      return { applied: false, renewed: [], reanalyse: [], error, changedFiles };
    }
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
    for (const d of this.newDirs) dirs.add(d);
    return [...dirs];
  }
}

/** `file:line:column: text`, the file relative to the service. */
export function describeAnalysisError(error: AnalysisError, serviceDir: string): string {
  if (!error.file) return error.text;
  const where = displayPath(error.file, serviceDir) + (error.line !== undefined ? `:${error.line}:${error.column ?? 1}` : '');
  return `${where}: ${error.text}`;
}
