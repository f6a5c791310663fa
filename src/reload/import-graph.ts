// Which local files each function's code is made of, so a save touches only the functions that
// use the saved file. esbuild's bundler resolves imports the way Node does (ESM, CJS, JSON,
// TypeScript), so its metafile inputs are exactly the handler's reachable local files.
import { build, type Message } from 'esbuild';
import path from 'node:path';

/** Where an analysis failed (a syntax error, an unresolvable import). */
export interface AnalysisError {
  text: string;
  /** Absolute path of the file at fault, when esbuild names one. */
  file?: string;
  line?: number;
  column?: number;
}

/** The local files reachable from one handler, or why they could not be listed. */
export type ImportAnalysis =
  | { ok: true; files: string[] }
  | { ok: false; error: AnalysisError; files: string[] };

// Metafile keys of modules outside the file namespace ("ns:path"); a drive letter is one character.
const VIRTUAL = /^(<|[a-z][\w-]+:)/i;
const UNRESOLVED = /^Could not resolve /;
const NO_LOADER = /^No loader is configured for "(\.[^"]+)" files/;

/** True for a path that belongs to an installed package rather than to the service's own code. */
export function isPackagePath(file: string): boolean {
  return file.split(/[\\/]/).includes('node_modules');
}

/**
 * Lists the local files (absolute paths, node_modules excluded) that the handler file reaches
 * through static `import`, `require` and `import()` of string literals.
 */
export async function analyseImports(handlerFile: string, serviceDir: string): Promise<ImportAnalysis> {
  // Files with extensions esbuild has no loader for (.sql, .node, ...) are still dependencies: a
  // first failure names them, the retry loads them as empty so they stay in the metafile.
  const loader: Record<string, 'empty'> = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const result = await build({
        entryPoints: [handlerFile],
        absWorkingDir: serviceDir,
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        // ESM output: accepts top-level await in the handler, still follows require() of local files.
        format: 'esm',
        packages: 'external',
        outdir: path.join(serviceDir, '.coldstart', 'graph'),
        loader,
        logLevel: 'silent',
      });
      const files = Object.keys(result.metafile.inputs)
        .filter((p) => !VIRTUAL.test(p))
        .map((p) => path.resolve(serviceDir, p))
        .filter((p) => !isPackagePath(p));
      return { ok: true, files: unique([path.resolve(handlerFile), ...files]) };
    } catch (err) {
      const errors = (err as { errors?: Message[] }).errors ?? [];
      const missing = errors.map((e) => NO_LOADER.exec(e.text)?.[1]).filter((ext): ext is string => !!ext && !(ext in loader));
      if (missing.length > 0 && missing.length === errors.length) {
        for (const ext of missing) loader[ext] = 'empty';
        continue;
      }
      const first = errors[0];
      const error: AnalysisError = first
        ? {
            text: first.text,
            file: first.location?.file ? path.resolve(serviceDir, first.location.file) : undefined,
            line: first.location?.line,
            column: first.location ? first.location.column + 1 : undefined,
          }
        : { text: err instanceof Error ? err.message : String(err) };
      const files = errors.map((e) => e.location?.file).filter((f): f is string => !!f).map((f) => path.resolve(serviceDir, f));
      return { ok: false, error, files: unique([path.resolve(handlerFile), ...files]) };
    }
  }
  return { ok: false, error: { text: 'too many unknown file types imported', file: handlerFile }, files: [path.resolve(handlerFile)] };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** One function's entry in the graph. */
interface Node {
  handlerFile: string;
  files: Set<string>;
  /** The last analysis failed: the graph may miss files, so any new file may be the fix. */
  broken: AnalysisError | null;
}

/**
 * Per-function sets of local files, with the reverse lookup the watcher needs. A failed analysis
 * keeps the previous set plus the files the error names, so the save that fixes it is still seen.
 */
export class ImportGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly analyse: (handlerFile: string) => Promise<ImportAnalysis>;

  constructor(analyse: (handlerFile: string) => Promise<ImportAnalysis>) {
    this.analyse = analyse;
  }

  /** (Re)computes one function's files; resolves with the analysis error, if any. */
  async update(functionName: string, handlerFile: string): Promise<AnalysisError | null> {
    const analysis = await this.analyse(handlerFile);
    const previous = this.nodes.get(functionName);
    const keep = analysis.ok || !previous || previous.handlerFile !== handlerFile ? [] : [...previous.files];
    const node: Node = {
      handlerFile,
      files: new Set([...keep, ...analysis.files]),
      broken: analysis.ok ? null : analysis.error,
    };
    this.nodes.set(functionName, node);
    return node.broken;
  }

  /** Forgets a function (it was removed from serverless.yml). */
  remove(functionName: string): void {
    this.nodes.delete(functionName);
  }

  /** The functions whose code includes this file. */
  functionsUsing(file: string): string[] {
    const out: string[] = [];
    for (const [name, node] of this.nodes) if (node.files.has(file)) out.push(name);
    return out;
  }

  /** The functions whose last analysis failed. */
  brokenFunctions(): string[] {
    return [...this.nodes].filter(([, node]) => node.broken !== null).map(([name]) => name);
  }

  /** The functions whose last analysis failed on an import that does not resolve. */
  functionsMissingImports(): string[] {
    return [...this.nodes].filter(([, node]) => node.broken !== null && UNRESOLVED.test(node.broken.text)).map(([name]) => name);
  }

  /** Every file of every function. */
  allFiles(): Set<string> {
    const out = new Set<string>();
    for (const node of this.nodes.values()) for (const f of node.files) out.add(f);
    return out;
  }
}
