// The file watcher: chokidar on a set of directories, each watched one level deep (its own
// entries only). Watching the directories that hold the service's files, rather than the whole
// tree or each file, stays cheap in large repositories and still sees editors that save by
// writing a temporary file and renaming it over the original.
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import type { FileChange } from './plan.js';

/** Directories never worth an event: VCS data, coldstart's own builds, Serverless packaging output. */
const IGNORED_DIRS = new Set(['.git', '.coldstart', '.serverless']);

const FILE_EVENTS = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

function isFileEvent(kind: string): kind is FileChange['kind'] {
  return FILE_EVENTS.has(kind);
}

/** Options of the watcher. */
export interface WatcherOptions {
  /** Root of the service: ignored directories are recognised below it. */
  serviceDir: string;
  onChange(change: FileChange): void;
  onError(error: unknown): void;
  /**
   * Poll instead of using native events. Only a fallback for file systems that deliver no events
   * (some network and container mounts); set COLDSTART_WATCH_POLL=1.
   */
  usePolling?: boolean;
}

/** Watches directories (one level deep) and reports file events. */
export class DirectoryWatcher {
  private readonly watcher: FSWatcher;
  private readonly watched = new Set<string>();
  private readonly ready: Promise<void>;

  constructor(initialDirs: Iterable<string>, private readonly options: WatcherOptions) {
    const dirs = [...new Set(initialDirs)];
    for (const d of dirs) this.watched.add(d);
    this.watcher = watch(dirs, {
      ignoreInitial: true,
      depth: 0,
      ignored: (p) => this.isIgnored(p),
      usePolling: options.usePolling ?? false,
      interval: 100,
    });
    // chokidar 4 can emit 'ready' more than once (once per added path); only the first matters.
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('all', (kind, file) => {
      if (!isFileEvent(kind)) return;
      const abs = path.resolve(file);
      // A watched directory that did not exist yet: chokidar does not pick it up by itself.
      if (kind === 'addDir' && this.watched.has(abs)) this.watcher.add(abs);
      options.onChange({ kind, file: abs });
    });
    this.watcher.on('error', (err) => options.onError(err));
  }

  /** Resolves once the initial directories are being watched. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Watches these directories too (those already watched are skipped). */
  add(dirs: Iterable<string>): void {
    const fresh = [...new Set(dirs)].filter((d) => !this.watched.has(d));
    if (fresh.length === 0) return;
    for (const d of fresh) this.watched.add(d);
    this.watcher.add(fresh);
  }

  /** Number of directories asked for. */
  get size(): number {
    return this.watched.size;
  }

  /** Stops watching. */
  async close(): Promise<void> {
    await this.watcher.close();
  }

  private isIgnored(p: string): boolean {
    const rel = path.relative(this.options.serviceDir, path.resolve(p));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return rel.split(path.sep).some((segment) => IGNORED_DIRS.has(segment));
  }
}
