// esbuild plugins that make a build in the cache directory behave like its source file: packages
// resolve from where the source is, and `__dirname` / `__filename` name the source's directory.
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire, Module } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);

/**
 * Keeps packages out of the bundle (they load at run time, as they would from the deployed
 * node_modules). A package the output directory would find itself stays a bare import; one only
 * the source can see (a node_modules next to the handler) is imported by its absolute path.
 */
export function packagesFromSource(outDir: string): Plugin {
  const reachable = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(outDir);
  const seenFromOutput = (file: string) => reachable.some((dir) => file.startsWith(dir + path.sep));
  return {
    name: 'coldstart-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'coldstart-packages') return undefined;
        if (args.path.startsWith('node:') || BUILTINS.has(args.path.split('/')[0]!)) return { path: args.path, external: true };
        let resolved: string | undefined;
        try {
          resolved = createRequire(args.importer).resolve(args.path);
        } catch {
          // Not a package the source can load: maybe a tsconfig path alias to a local file.
          const local = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'coldstart-packages' });
          if (local.errors.length === 0 && local.path && !local.external && !local.path.split(path.sep).includes('node_modules')) return local;
          // Missing: the runtime reports it at init, as Lambda does (Runtime.ImportModuleError).
          return { path: args.path, external: true };
        }
        if (!path.isAbsolute(resolved) || seenFromOutput(resolved)) return { path: args.path, external: true };
        return { path: resolved, external: true };
      });
    },
  };
}

/** Gives each local source file that mentions them its own `__dirname` and `__filename`. */
export function sourceDirnamePlugin(): Plugin {
  return {
    name: 'coldstart-dirname',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!/\b__(?:dirname|filename)\b/.test(source)) return undefined;
        const ext = path.extname(args.path);
        const loader = ext.endsWith('tsx') ? 'tsx' : ext.endsWith('ts') ? 'ts' : ext.endsWith('jsx') ? 'jsx' : 'js';
        // On one line, so that the source's own line numbers (and its source map) stay as they are.
        const header = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
        return { contents: header + source, loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}
