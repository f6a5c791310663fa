// A service whose node_modules is big, as projects that list heavy packages in `dependencies`
// have it: generated (never committed) into a directory, with JavaScript-like text that deflates
// about as real package code does.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The shape of the generated service. */
export interface BigProjectOptions {
  /** Files under node_modules. */
  files: number;
  /** Average bytes per file. */
  bytesPerFile: number;
  /** Files per package. */
  filesPerPackage?: number;
}

// A small deterministic generator, so every run writes the same bytes.
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['const', 'return', 'function', 'module', 'exports', 'require', 'value', 'options', 'result', 'length', 'undefined', 'this', 'prototype', 'callback', 'error', 'buffer', 'index', 'string', 'object', 'typeof'];

function sourceText(bytes: number, random: () => number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const words = Array.from({ length: 4 + Math.floor(random() * 8) }, () => {
      const w = WORDS[Math.floor(random() * WORDS.length)]!;
      return random() < 0.3 ? `${w}_${Math.floor(random() * 1e6).toString(36)}` : w;
    });
    const line = `  ${words.join(' ')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

/** Writes serverless.yml, package.json, handler.js and the node_modules into `dir`; returns the bytes written under node_modules. */
export async function generateBigProject(dir: string, options: BigProjectOptions): Promise<number> {
  const perPackage = options.filesPerPackage ?? 50;
  const packages = Math.ceil(options.files / perPackage);
  const random = generator(42);
  const names = Array.from({ length: packages }, (_, i) => `heavy-${i}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'big-service', private: true, dependencies: Object.fromEntries(names.map((n) => [n, '1.0.0'])) }, null, 2));
  await writeFile(path.join(dir, 'handler.js'), "exports.hello = async () => ({ statusCode: 200, body: 'hello' });\n");
  await writeFile(
    path.join(dir, 'serverless.yml'),
    'service: big-service\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  hello:\n    handler: handler.hello\n    events:\n      - httpApi: GET /hello\n',
  );
  let total = 0;
  let written = 0;
  const jobs: (() => Promise<void>)[] = [];
  for (const name of names) {
    const pkgDir = path.join(dir, 'node_modules', name);
    const count = Math.min(perPackage, options.files - written);
    written += count;
    const texts = Array.from({ length: count }, (_, i) => ({
      file: path.join(pkgDir, i === 0 ? 'index.js' : `lib/m${i}.js`),
      text: sourceText(Math.round(options.bytesPerFile * (0.25 + random() * 1.5)), random),
    }));
    jobs.push(async () => {
      await mkdir(path.join(pkgDir, 'lib'), { recursive: true });
      await writeFile(path.join(pkgDir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
      for (const t of texts) {
        await writeFile(t.file, t.text);
        total += t.text.length;
      }
    });
  }
  for (let i = 0; i < jobs.length; i += 16) await Promise.all(jobs.slice(i, i + 16).map((j) => j()));
  return total;
}
