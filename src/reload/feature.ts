// The hot-reload feature: watches the service once the server listens (unless --no-watch) and
// renews the functions whose files change. See reloader.ts for what a reload does.
import { loadServiceConfig } from '../config/load.js';
import type { AppContext, Feature } from '../types/feature.js';
import { analyseImports } from './import-graph.js';
import { HotReloader, type ReloadState } from './reloader.js';

declare module '../types/feature.js' {
  interface FeatureStates {
    /** Whether files are watched, and, while they are, the watcher's figures and the last reload. */
    reload: ReloadState;
  }
}

/** Creates the hot-reload feature. */
export function createReloadFeature(ctx: AppContext): Feature {
  let reloader: HotReloader | null = null;
  return {
    name: 'reload',
    async start() {
      if (!ctx.options.watch) return;
      reloader = new HotReloader({
        bus: ctx.bus,
        config: ctx.config,
        reloader: ctx.reloader,
        codeVersion: (name) => ctx.invocations.codeVersion(name),
        loadConfig: (configPath, overrides) => loadServiceConfig(configPath, overrides, ctx.eventSources),
        cliOverrides: ctx.options.cliOverrides,
        analyse: analyseImports,
        printError: (line) => ctx.printError(line),
        usePolling: process.env.COLDSTART_WATCH_POLL === '1',
      });
      await reloader.start();
    },
    async stop() {
      await reloader?.close();
      reloader = null;
    },
    state() {
      return { reload: reloader ? reloader.state() : { watching: false } };
    },
  };
}
