// `npm run bench`: every benchmark in one process, each beside its baseline from the same run;
// prints one table and writes bench/results.json.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchModule, BenchRow } from './types.js';
import { repoRoot } from './emulator.js';

const MODULES: [string, () => Promise<{ default: BenchModule }>][] = [
  ['core', () => import('./core.js')],
  ['concurrency', () => import('./concurrency.js')],
  ['gateway', () => import('./gateway.js')],
  ['console', () => import('./console.js')],
  ['reload', () => import('./reload.js')],
  ['sqs', () => import('./sqs.js')],
  ['isolation', () => import('./isolation.js')],
  ['startup', () => import('./startup.js')],
  ['hardening', () => import('./hardening.js')],
];

function fmt(n: number | undefined): string {
  if (n === undefined) return '';
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const all: (BenchRow & { module: string })[] = [];
  const started = Date.now();
  for (const [name, load] of MODULES) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    try {
      const rows = await (await load()).default();
      all.push(...rows.map((r) => ({ ...r, module: name })));
    } catch (err) {
      all.push({ module: name, figure: `${name}: failed to run`, value: NaN, unit: '', target: String((err as Error).message ?? err), met: false });
    }
  }
  const header = ['module', 'figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const lines = all.map((r) => [
    r.module,
    r.figure,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    r.baseline ? (r.value / r.baseline).toFixed(2) : '',
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(row(l));
  const out = path.join(repoRoot, 'bench', 'results.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds: (Date.now() - started) / 1000, rows: all }, null, 2));
  console.log(`\n${all.filter((r) => r.met).length}/${all.length} targets met in ${((Date.now() - started) / 1000).toFixed(0)} s; written to ${path.relative(process.cwd(), out)}`);
  process.exit(0);
}

void main();
