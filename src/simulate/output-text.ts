// The terminal side of a simulation: the calibration table, the comparison table, a progress bar.
import type { CalibrationRow } from './calibrate.js';
import type { ConfigurationResult } from './summary.js';

function table(header: string[], rows: string[][], rightAlign: (i: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAlign(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(n >= 100 ? 0 : 1)} ms`);
const pct = (n: number) => `${(n * 100).toFixed(n > 0 && n < 0.001 ? 3 : 2)} %`;
const usd = (n: number) => `$${n.toFixed(2)}`;

/** The calibration table. */
export function calibrationTable(rows: CalibrationRow[]): string {
  return table(
    ['function', 'memory', 'init p50', 'duration p50', 'duration p99', 'source', 'samples (cold/warm/failed)'],
    rows.map((r) => [
      r.function,
      `${r.memoryMb} MB`,
      ms(r.initP50Ms),
      ms(r.durationP50Ms),
      ms(r.durationP99Ms),
      r.source,
      `${r.samples.coldStarts}/${r.samples.warmInvocations}/${r.samples.failures}`,
    ]),
    (i) => i >= 1 && i <= 4,
  );
}

/** A short label of a configuration's settings. */
export function settingsLabel(s: ConfigurationResult['settings']): string {
  const parts = Object.entries(s).map(([k, v]) => `${k}=${v === null ? 'none' : v}`);
  return parts.length ? parts.join(' ') : 'as configured';
}

/** The comparison table, one row per configuration. */
export function comparisonTable(results: ConfigurationResult[]): string {
  return table(
    ['configuration', 'invocations', 'cold starts', 'throttles', 'timeouts', 'p50', 'p99', 'max', 'instances mean/max', 'USD/month'],
    results.map((c) => [
      settingsLabel(c.settings),
      String(c.invocations),
      `${c.coldStarts} (${pct(c.coldStartRate)})`,
      `${c.throttles} (${pct(c.throttleRate)})`,
      String(c.timeouts + c.gatewayTimeouts),
      ms(c.latencyMs.p50),
      ms(c.latencyMs.p99),
      ms(c.latencyMs.max),
      `${c.instances.mean.toFixed(1)}/${c.instances.max}`,
      usd(c.monthlyCostUsd.total),
    ]),
    (i) => i >= 1,
  );
}

/** A progress bar on a TTY, shown only for work that takes more than a second. */
export class ProgressBar {
  private readonly started = Date.now();
  private shown = false;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  /** Draws the bar at `fraction` (0..1). */
  update(fraction: number): void {
    if (!this.stream.isTTY || Date.now() - this.started < 1000) return;
    this.shown = true;
    const width = 30;
    const done = Math.round(Math.min(1, fraction) * width);
    this.stream.write(`\r${this.label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${Math.floor(fraction * 100)} %`);
  }

  /** Clears the bar. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
