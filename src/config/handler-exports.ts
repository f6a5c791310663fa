// Finds a handler file's exports statically, without running user code: es-module-lexer for ESM
// (TypeScript is first stripped by esbuild's transform), cjs-module-lexer for CommonJS.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCjs, init as initCjs } from 'cjs-module-lexer';
import { transform } from 'esbuild';
import { init as initEsm, parse as parseEsm } from 'es-module-lexer';

/** What static analysis can tell about a module's exports. */
export interface ExportScan {
  /** Export names found. */
  names: Set<string>;
  /**
   * False when the module may export more than the lexer saw (`export * from`, `module.exports = require(...)`,
   * `module.exports = makeHandlers()`): then a missing name is left for the runtime to report.
   */
  complete: boolean;
}

/** Lists the exports of a .js/.cjs/.mjs/.ts file. Throws if the file cannot be read or parsed. */
export async function scanExports(file: string): Promise<ExportScan> {
  let source = await readFile(file, 'utf8');
  const ext = path.extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    source = (await transform(source, { loader: 'ts', format: 'esm', sourcefile: file })).code;
  }
  if (ext === '.cjs' || ext === '.cts') return scanCjs(source);
  await initEsm();
  const [, exports, , hasModuleSyntax] = parseEsm(source, file);
  // A .js file without import/export syntax is CommonJS (or a script: then it exports nothing).
  if (!hasModuleSyntax && ext !== '.mjs' && ext !== '.mts') return scanCjs(source);
  const names = new Set<string>();
  let complete = true;
  for (const e of exports) {
    if (e.typeOnly) continue;
    if (e.type === 'reexport-all') complete = false;
    else names.add(e.name);
  }
  return { names, complete };
}

let cjsReady: Promise<void> | undefined;

async function scanCjs(source: string): Promise<ExportScan> {
  cjsReady ??= initCjs();
  await cjsReady;
  const { exports, reexports } = parseCjs(source);
  const names = new Set(exports);
  let complete = reexports.length === 0;
  // cjs-module-lexer stops at the first property of `module.exports = {...}` it does not understand
  // (`{ version: '1', handler }` yields nothing), so the literal's keys are read here too.
  for (const m of source.matchAll(/\bmodule\.exports\s*=\s*\{/g)) {
    const keys = objectLiteralKeys(source, m.index + m[0].length);
    if (keys === null) complete = false;
    else for (const k of keys) names.add(k);
  }
  // The lexer finds nothing in `module.exports = build()`; only a file that never mentions
  // exports at all certainly has none.
  if (names.size === 0 && /\b(?:module\.exports|exports)\b/.test(source)) complete = false;
  return { names, complete };
}

/** Keys of the object literal whose body starts at `from`; null when a key cannot be read (spread, computed). */
export function objectLiteralKeys(source: string, from: number): string[] | null {
  const entries: string[] = [];
  let depth = 0;
  let current = '';
  let closed = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(source, i);
      current += source.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === '/' && (source[i + 1] === '/' || source[i + 1] === '*')) {
      const end = source[i + 1] === '/' ? source.indexOf('\n', i) : source.indexOf('*/', i) + 1;
      if (end <= 0) return null;
      i = end;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') depth++;
    if (c === '}' || c === ')' || c === ']') {
      if (depth === 0) {
        entries.push(current);
        closed = true;
        break;
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      entries.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (!closed) return null;
  const keys: string[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    if (text === '') continue;
    const m = /^(?:(?:async|get|set)\s+)?\*?\s*(?:([A-Za-z_$][\w$]*)|(['"])(.*?)\2)\s*(?:[:(,]|$)/s.exec(text);
    if (!m) return null;
    keys.push(m[1] ?? m[3]!);
  }
  return keys;
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return source.length - 1;
}
