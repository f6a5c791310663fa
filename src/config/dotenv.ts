// `useDotenv: true`: the Serverless Framework v3 loads `.env.{stage}` (or else `.env`) from the
// service directory before resolving `${env:...}`; variables already set in the shell win.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Variables read from the service's dotenv file, and the file they came from (null when none exists). */
export async function readDotenv(serviceDir: string, stage: string): Promise<{ vars: Record<string, string>; file: string | null }> {
  for (const name of [`.env.${stage}`, '.env']) {
    const file = path.join(serviceDir, name);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return { vars: parseDotenv(text), file };
  }
  return { vars: {}, file: null };
}

/** Parses `KEY=value` lines: comments, `export ` prefixes, single/double quotes, `\n` in double quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)?\s*$/.exec(rawLine);
    if (!m) continue;
    let value = (m[2] ?? '').trim();
    const quoted = /^(['"])([\s\S]*)\1$/.exec(value);
    if (quoted) {
      value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n') : quoted[2]!;
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    vars[m[1]!] = value;
  }
  return vars;
}
