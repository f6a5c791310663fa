// The --report file: one self-contained HTML page (inline SVG charts, no script from the network)
// with the calibration table and every configuration side by side.
import type { SimulationReport } from './report-data.js';
import { settingsLabel } from './output-text.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function lineChart(title: string, series: { label: string; values: number[] }[], xMax: number, unit: string): string {
  const w = 640;
  const h = 200;
  const pad = 36;
  const yMax = Math.max(1, ...series.flatMap((s) => s.values));
  const paths = series.map((s, k) => {
    const n = s.values.length;
    const pts = s.values.map((v, i) => `${(pad + ((w - pad - 8) * i) / Math.max(1, n - 1)).toFixed(1)},${(h - pad - ((h - pad - 8) * v) / yMax).toFixed(1)}`);
    return `<polyline fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
  });
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">
<line x1="${pad}" y1="${h - pad}" x2="${w - 8}" y2="${h - pad}" stroke="#999"/><line x1="${pad}" y1="8" x2="${pad}" y2="${h - pad}" stroke="#999"/>
<text x="2" y="14" font-size="10">${yMax.toFixed(yMax < 10 ? 1 : 0)}</text><text x="${pad}" y="${h - pad + 14}" font-size="10">0</text>
<text x="${w - 60}" y="${h - pad + 14}" font-size="10">${esc(xMax.toFixed(0))} ${unit}</text>${paths.join('')}</svg>${legend(series.map((s) => s.label))}</figure>`;
}

function legend(labels: string[]): string {
  return `<div class="legend">${labels.map((l, k) => `<span><i style="background:${COLORS[k % COLORS.length]}"></i>${esc(l)}</span>`).join('')}</div>`;
}

function barChart(title: string, bars: { label: string; value: number }[], format: (n: number) => string): string {
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, k) => `<div class="bar"><span class="bl">${esc(b.label)}</span><span class="bv" style="width:${((b.value / max) * 60).toFixed(1)}%;background:${COLORS[k % COLORS.length]}"></span><span>${esc(format(b.value))}</span></div>`)
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption>${rows}</figure>`;
}

/** The HTML page of a simulation report. */
export function reportHtml(report: SimulationReport): string {
  const configs = report.configurations;
  const labels = configs.map((c) => settingsLabel(c.settings));
  const minutes = report.durationSeconds / 60;
  const latency = configs.map((c) => ({ label: settingsLabel(c.settings), values: c.latencyHistogram.map(([, n]) => n) }));
  const calib = report.calibration
    .map((r) => `<tr><td>${esc(r.function)}</td><td>${r.memoryMb} MB</td><td>${r.initP50Ms}</td><td>${r.durationP50Ms}</td><td>${r.durationP99Ms}</td><td>${r.source}</td><td>${r.samples.coldStarts}/${r.samples.warmInvocations}/${r.samples.failures}</td></tr>`)
    .join('');
  const rows = configs
    .map(
      (c, i) =>
        `<tr><td>${esc(labels[i]!)}</td><td>${c.invocations}</td><td>${c.coldStarts} (${(c.coldStartRate * 100).toFixed(3)} %)</td><td>${c.throttles} (${(c.throttleRate * 100).toFixed(2)} %)</td><td>${c.timeouts + c.gatewayTimeouts}</td><td>${c.latencyMs.p50}</td><td>${c.latencyMs.p90}</td><td>${c.latencyMs.p99}</td><td>${c.latencyMs.max}</td><td>${c.instances.mean} / ${c.instances.max}</td><td>$${c.monthlyCostUsd.total.toFixed(2)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coldstart simulate: ${esc(report.service)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;max-width:680px;background:#fafafa}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.bar{display:flex;align-items:center;gap:8px;font-size:12px}.bl{width:320px}.bv{display:inline-block;height:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:12px}
</style></head><body>
<h1>coldstart simulate: ${esc(report.service)}</h1>
<p>Traffic ${esc(report.traffic)} for ${esc(report.duration)} of simulated time, seed ${report.seed}; ${configs.length} configuration(s). Simulated in ${report.wallSeconds} s.</p>
<h2>Calibration</h2>
<p>Measured by running each handler on the emulator's runtime (times in ms as Lambda would show them).</p>
<table><tr><th>function</th><th>memory</th><th>init p50</th><th>duration p50</th><th>duration p99</th><th>source</th><th>cold/warm/failed</th></tr>${calib}</table>
<h2>Configurations</h2>
<table><tr><th>configuration</th><th>invocations</th><th>cold starts</th><th>throttles</th><th>timeouts</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>instances mean / max</th><th>USD / month</th></tr>${rows}</table>
<div class="grid">
${lineChart('Instances over time (mean per bin)', configs.map((c, i) => ({ label: labels[i]!, values: c.timeline.instancesMean })), minutes, 'min')}
${lineChart('Concurrency over time (max per bin)', configs.map((c, i) => ({ label: labels[i]!, values: c.timeline.concurrencyMax })), minutes, 'min')}
${lineChart('Cold starts per bin', configs.map((c, i) => ({ label: labels[i]!, values: c.timeline.coldStarts })), minutes, 'min')}
${lineChart('Throttles per bin', configs.map((c, i) => ({ label: labels[i]!, values: c.timeline.throttles })), minutes, 'min')}
${lineChart('Latency distribution (requests per log-spaced bucket, fast to slow)', latency, latency[0]?.values.length ?? 0, 'buckets')}
${barChart('Cold-start rate', configs.map((c, i) => ({ label: labels[i]!, value: c.coldStartRate })), (n) => `${(n * 100).toFixed(3)} %`)}
${barChart('Monthly cost (USD)', configs.map((c, i) => ({ label: labels[i]!, value: c.monthlyCostUsd.total })), (n) => `$${n.toFixed(2)}`)}
</div>
<p>What this models and what it does not: see docs/simulate.md (no network, no downstream services, no proactive initialization).</p>
</body></html>
`;
}
