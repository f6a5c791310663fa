// Reads one YAML file into plain data, keeping the document so errors can point at lines.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ColdstartError } from '../types/errors.js';
import { cloudFormationTags } from './cfn-tags.js';
import { Locator } from './location.js';

/** A parsed YAML file. */
export interface YamlFile {
  /** Absolute path. */
  file: string;
  /** The document as plain data (CloudFormation tags in their long form). */
  data: unknown;
  locator: Locator;
  /** Tags yaml could not resolve, as `!Foo (serverless.yml:3)`: read as plain values, reported as not emulated. */
  unknownTags: string[];
}

/** The service file names the Serverless Framework looks for, in its order. */
const CONFIG_NAMES = ['serverless.yml', 'serverless.yaml', 'serverless.json', 'serverless.js', 'serverless.ts'];

/** Resolves --config: a file, or a directory holding one of CONFIG_NAMES. Throws CONFIG_NOT_FOUND. */
export async function findConfigFile(configPath: string): Promise<string> {
  const abs = path.resolve(configPath);
  const info = await stat(abs).catch(() => undefined);
  if (info?.isFile()) return abs;
  if (info?.isDirectory()) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(abs, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
    throw new ColdstartError('CONFIG_NOT_FOUND', `no ${CONFIG_NAMES.join(', ')} in ${abs}; pass --config PATH`, { file: abs });
  }
  throw new ColdstartError('CONFIG_NOT_FOUND', `configuration file not found; pass --config PATH to a serverless.yml (or .yaml, .json, .js, .ts)`, { file: abs });
}

/** Parses a YAML (or JSON) file. Throws CONFIG_YAML with the line and column of the first syntax error. */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new ColdstartError('CONFIG_NOT_FOUND', `cannot read file: ${(err as Error).message}`, { file });
  }
  return parseYaml(source, file);
}

/** Parses YAML text that belongs to `file`. */
export function parseYaml(source: string, file: string): YamlFile {
  const lines = new LineCounter();
  // merge: serverless.yml files written for js-yaml use `<<: *anchor` merge keys.
  const doc = parseDocument(source, { customTags: cloudFormationTags(), lineCounter: lines, merge: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new ColdstartError('CONFIG_YAML', `invalid YAML: ${firstLine(first.message)}`, {
      file,
      line: pos?.line,
      column: pos?.col,
    });
  }
  const unknownTags = doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED')
    .map((w) => `${firstLine(w.message).replace(/^Unresolved tag:\s*/, '')}${w.linePos ? ` (${path.basename(file)}:${w.linePos[0].line})` : ''}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ColdstartError('CONFIG_YAML', `invalid YAML: ${(err as Error).message}`, { file });
  }
  return { file, data: data ?? {}, locator: new Locator(file, doc, lines), unknownTags };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
