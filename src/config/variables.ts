// Resolves Serverless variables in the whole configuration tree: ${opt:}, ${env:}, ${self:},
// ${sls:stage}, ${file():}, ${ssm:} (from custom.coldstart.ssm), ${aws:}, ${param:}, ${strToBool()},
// with fallbacks, nesting, and the value's own type kept when a value is one variable.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCAL_ACCOUNT_ID } from '../types/arn.js';
import { ColdstartError } from '../types/errors.js';
import { formatKey, type KeyPath, type Locator } from './location.js';
import { parseYaml } from './read-yaml.js';
import { parseLiteral, parseSourceRef, splitCandidates, splitVariables, type Segment, type SourceRef } from './variable-syntax.js';

/** `${sls:instanceId}`: one value per process, like one per deployment in Serverless. */
const instanceId = Date.now().toString(36);

/** What variable sources read from. */
export interface VariableContext {
  serviceDir: string;
  /** `${opt:NAME}` values (command-line options; `stage` included when given). */
  options: Record<string, string>;
  /** `${env:NAME}` values. */
  env: Record<string, string | undefined>;
  /** Locates errors in serverless.yml. */
  locator: Locator;
}

/** The configuration with every variable replaced, and the files `${file()}` pulled in. */
export interface ResolvedVariables {
  data: Record<string, unknown>;
  files: string[];
  /** YAML tags of included files that could not be resolved. */
  unknownTags: string[];
}

/** A value could not be found at a source; the reason ends up in the error when no fallback applies. */
type Lookup = { found: true; value: unknown } | { found: false; reason: string };

const missing = (reason: string): Lookup => ({ found: false, reason });

/** Resolves every variable of a parsed serverless.yml. Throws CONFIG_VARIABLE naming the key and the variable. */
export async function resolveVariables(root: Record<string, unknown>, ctx: VariableContext): Promise<ResolvedVariables> {
  const resolver = new VariableResolver(root, ctx);
  await resolver.resolveDeep({ root }, 'root', []);
  return { data: root, files: [...resolver.files], unknownTags: resolver.unknownTags };
}

// Resolution writes results back into the tree, so a key referenced many times is resolved once,
// and a key met again while it is being resolved is a cycle.
class VariableResolver {
  readonly files = new Set<string>();
  readonly unknownTags: string[] = [];
  private readonly inProgress = new Set<string>();
  private readonly fileCache = new Map<string, unknown>();
  private readonly holder: { root: Record<string, unknown> };

  constructor(
    root: Record<string, unknown>,
    private readonly ctx: VariableContext,
  ) {
    this.holder = { root };
  }

  /** Resolves the value at container[key] and everything below it, writing results back into the tree. */
  async resolveDeep(container: Record<string | number, unknown>, key: string | number, at: KeyPath): Promise<void> {
    const value = await this.resolveAt(container, key, at);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) await this.resolveDeep(value as unknown as Record<number, unknown>, i, [...at, i]);
    } else if (isPlainObject(value)) {
      for (const k of Object.keys(value)) await this.resolveDeep(value, k, [...at, k]);
    }
  }

  // Resolves a string holding variables in place; other values are returned as they are.
  private async resolveAt(container: Record<string | number, unknown>, key: string | number, at: KeyPath): Promise<unknown> {
    const value = container[key];
    if (typeof value !== 'string' || !value.includes('${')) return value;
    const id = formatKey(at);
    if (this.inProgress.has(id)) {
      throw this.error(`circular variable reference: ${id} depends on itself`, at);
    }
    this.inProgress.add(id);
    try {
      const resolved = await this.resolveString(value, at);
      container[key] = resolved;
      return resolved;
    } finally {
      this.inProgress.delete(id);
    }
  }

  private async resolveString(text: string, at: KeyPath): Promise<unknown> {
    const segments = splitVariables(text);
    const only = segments.length === 1 ? segments[0]! : undefined;
    // A value that is one variable keeps the variable's type (numbers, booleans, objects).
    if (only?.kind === 'var') return this.resolveVariable(only, at);
    let out = '';
    for (const seg of segments) {
      if (seg.kind === 'text') {
        out += seg.text;
        continue;
      }
      const value = await this.resolveVariable(seg, at);
      if (typeof value === 'object') {
        throw this.error(`${seg.raw} resolves to ${Array.isArray(value) ? 'a list' : 'an object'}, which cannot be part of a string`, at);
      }
      out += String(value);
    }
    return out;
  }

  private async resolveVariable(seg: Extract<Segment, { kind: 'var' }>, at: KeyPath): Promise<unknown> {
    const reasons: string[] = [];
    for (const candidate of splitCandidates(seg.inner)) {
      const result = await this.evalCandidate(candidate, at);
      if (result.found && result.value !== null && result.value !== undefined) return result.value;
      if (!result.found) reasons.push(result.reason);
    }
    throw this.error(`cannot resolve ${seg.raw}: ${reasons.join('; ') || 'it resolves to null'}`, at);
  }

  private async evalCandidate(candidate: string, at: KeyPath): Promise<Lookup> {
    const literal = parseLiteral(candidate);
    if (literal) return { found: true, value: literal.value };
    const segments = splitVariables(candidate);
    if (segments.length === 1 && segments[0]!.kind === 'var') {
      try {
        return { found: true, value: await this.resolveVariable(segments[0]!, at) };
      } catch (err) {
        // A nested variable that cannot be resolved counts as missing, so the next fallback is tried.
        if (err instanceof ColdstartError && err.code === 'CONFIG_VARIABLE') return missing(err.message);
        throw err;
      }
    }
    // Nested variables inside an address: ${self:custom.${sls:stage}.memory}.
    let text = candidate;
    if (segments.some((s) => s.kind === 'var')) {
      const resolved = await this.resolveString(candidate, at);
      if (typeof resolved !== 'string') return { found: true, value: resolved };
      text = resolved;
    }
    const ref = parseSourceRef(text);
    // Serverless is strict here; a bare word is taken as a literal so real files load unchanged.
    if (!ref) return { found: true, value: text };
    return this.lookup(ref, at);
  }

  private async lookup(ref: SourceRef, at: KeyPath): Promise<Lookup> {
    const { source, address, params } = ref;
    switch (source) {
      case 'opt':
        return address in this.ctx.options
          ? { found: true, value: this.ctx.options[address] }
          : missing(`no --${address} option was given`);
      case 'env':
        return this.ctx.env[address] !== undefined
          ? { found: true, value: this.ctx.env[address] }
          : missing(`environment variable ${address} is not set`);
      case 'self':
        return this.self(splitPath(address), `serverless.yml has no value at ${address || '(root)'}`);
      case 'sls':
        if (address === 'stage') return { found: true, value: await this.stage() };
        if (address === 'instanceId') return { found: true, value: instanceId };
        return missing(`\${sls:${address}} is not supported (only sls:stage and sls:instanceId)`);
      case 'aws':
        if (address === 'region') return { found: true, value: await this.region() };
        if (address === 'accountId') return { found: true, value: LOCAL_ACCOUNT_ID };
        return missing(`\${aws:${address}} is not supported (only aws:region and aws:accountId)`);
      case 'ssm':
        return this.ssm(address);
      case 'file':
        return this.file(params[0] ?? '', address, at);
      case 'param':
        return this.param(address);
      case 'strToBool':
        return strToBool(params[0] ?? address);
      default:
        return missing(`variable source "${source}" is not available locally (coldstart does not call AWS); give a fallback, e.g. \${${source}:${address}, 'value'}`);
    }
  }

  /** The fully resolved value at a path of the configuration. */
  private async self(segments: string[], reason: string): Promise<Lookup> {
    let container: Record<string | number, unknown> = this.holder;
    let key: string | number = 'root';
    let at: KeyPath = [];
    for (const seg of segments) {
      const value = await this.resolveAt(container, key, at);
      if (value === null || typeof value !== 'object') return missing(reason);
      const next: string | number = Array.isArray(value) ? Number(seg) : seg;
      if (!Object.prototype.hasOwnProperty.call(value, next)) return missing(reason);
      container = value as Record<string | number, unknown>;
      key = next;
      at = [...at, next];
    }
    await this.resolveDeep(container, key, at);
    const value = container[key];
    return value === undefined || value === null ? missing(reason) : { found: true, value };
  }

  private async stage(): Promise<string> {
    if (this.ctx.options.stage !== undefined) return this.ctx.options.stage;
    const fromFile = await this.self(['provider', 'stage'], '');
    return fromFile.found ? String(fromFile.value) : 'dev';
  }

  private async region(): Promise<string> {
    if (this.ctx.options.region !== undefined) return this.ctx.options.region;
    const fromFile = await this.self(['provider', 'region'], '');
    return fromFile.found ? String(fromFile.value) : 'us-east-1';
  }

  private async ssm(name: string): Promise<Lookup> {
    const hint = `SSM parameter "${name}" is not set locally; add it to custom.coldstart.ssm (e.g. custom.coldstart.ssm: {"${name}": "value"})`;
    const map = await this.self(['custom', 'coldstart', 'ssm'], hint);
    if (!map.found || !isPlainObject(map.value) || !Object.prototype.hasOwnProperty.call(map.value, name)) return missing(hint);
    return { found: true, value: map.value[name] };
  }

  private async param(name: string): Promise<Lookup> {
    const stage = await this.stage();
    const own = await this.self(['params', stage, name], '');
    if (own.found) return own;
    return this.self(['params', 'default', name], `parameter "${name}" is not set under params.${stage} or params.default`);
  }

  private async file(relative: string, address: string, at: KeyPath): Promise<Lookup> {
    if (!relative) return missing('${file()} needs a path');
    const abs = path.resolve(this.ctx.serviceDir, relative);
    const exists = (await stat(abs).catch(() => undefined))?.isFile();
    if (!exists) return missing(`file ${relative} does not exist (looked for ${abs})`);
    this.files.add(abs);
    let content = this.fileCache.get(abs);
    if (content === undefined) {
      content = await this.readIncluded(abs, at);
      this.fileCache.set(abs, content);
    }
    let value: unknown = structuredClone(content);
    for (const seg of splitPath(address)) {
      if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, seg)) {
        return missing(`file ${relative} has no value at ${address}`);
      }
      value = (value as Record<string, unknown>)[seg];
    }
    if (value === undefined || value === null) return missing(`file ${relative} has no value at ${address || '(root)'}`);
    // Maps and lists are resolved where they land (resolveDeep walks into them), so an included
    // file may refer to the key it is included under (`custom: ${file(..)}` with ${self:custom.a}).
    if (typeof value === 'string' && value.includes('${')) return { found: true, value: await this.resolveString(value, at) };
    return { found: true, value };
  }

  // Included files share the service's variables: their ${self:} is the service's, as in Serverless.
  // The content is returned unresolved; see file().
  private async readIncluded(abs: string, at: KeyPath): Promise<unknown> {
    const ext = path.extname(abs).toLowerCase();
    let content: unknown;
    if (ext === '.yml' || ext === '.yaml' || ext === '.json') {
      const parsed = parseYaml(await readFile(abs, 'utf8'), abs);
      this.unknownTags.push(...parsed.unknownTags);
      content = parsed.data;
    } else if (ext === '.js' || ext === '.cjs' || ext === '.mjs') {
      content = await this.runConfigModule(abs, at);
    } else {
      content = await readFile(abs, 'utf8');
    }
    return content;
  }

  // Serverless runs JavaScript variable files and calls an exported function with these helpers.
  private async runConfigModule(abs: string, at: KeyPath): Promise<unknown> {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (err) {
      throw this.error(`cannot load ${abs}: ${(err as Error).message}`, at);
    }
    const exported = mod.default ?? mod;
    if (typeof exported !== 'function') return exported;
    const helpers = {
      options: { ...this.ctx.options },
      resolveVariable: (text: string) => this.resolveString(`\${${text}}`, at),
      resolveConfigurationProperty: async (segments: string[]) => {
        const r = await this.self(segments, '');
        return r.found ? r.value : undefined;
      },
    };
    try {
      return await (exported as (h: typeof helpers) => unknown)(helpers);
    } catch (err) {
      if (err instanceof ColdstartError) throw err;
      throw this.error(`${abs} failed: ${(err as Error)?.message ?? String(err)}`, at);
    }
  }

  private error(message: string, at: KeyPath): ColdstartError {
    return this.ctx.locator.error('CONFIG_VARIABLE', message, at);
  }
}

function strToBool(text: string): Lookup {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return { found: true, value: true };
  if (t === 'false' || t === '0') return { found: true, value: false };
  return missing(`strToBool(${text}) expects true, false, 1 or 0`);
}

function splitPath(address: string): string[] {
  return address.split('.').filter((s) => s !== '');
}

/** True for `{...}` objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
