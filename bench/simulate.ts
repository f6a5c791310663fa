// Issue 22 benchmarks: the simulator at production scale (one hour at 5,000 req/s, 18 M arrivals)
// and the SimFaaS 20-rate validation sweep, each in a fresh process for its wall time and peak RSS.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'simulate-child.js');

function run(which: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [child, which], { timeout: 300_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as Record<string, number>)));
  });
}

export default async function bench(): Promise<BenchRow[]> {
  const hour = await run('hour');
  const sweep = await run('simfaas');
  return [
    { figure: `simulate 1 h at 5,000 req/s (${(hour.arrivals! / 1e6).toFixed(1)} M arrivals): wall`, value: hour.wallMs! / 1000, unit: 's', target: '<= 10 s', met: hour.wallMs! <= 10_000 },
    // Wall time depends on what else the shared machine runs; the process's CPU time does not.
    { figure: 'simulate 1 h at 5,000 req/s: CPU time of the process', value: hour.cpuMs! / 1000, unit: 's', target: '<= 10 s', met: hour.cpuMs! <= 10_000 },
    { figure: 'simulate 1 h at 5,000 req/s: peak RSS', value: hour.peakRssMb!, unit: 'MB', target: '< 500 MB', met: hour.peakRssMb! < 500 },
    { figure: `SimFaaS 20-rate sweep (${(sweep.arrivals! / 1e6).toFixed(1)} M arrivals): wall`, value: sweep.wallMs! / 1000, unit: 's', target: '< 60 s (test budget)', met: sweep.wallMs! < 60_000 },
    { figure: 'SimFaaS 20-rate sweep: peak RSS', value: sweep.peakRssMb!, unit: 'MB', target: '< 500 MB', met: sweep.peakRssMb! < 500 },
    { figure: 'SimFaaS sweep: cold-start probability MAPE vs AWS', value: sweep.coldMapePct!, unit: '%', target: '<= 15 % (SimFaaS: 12.2 %)', met: sweep.coldMapePct! <= 15 },
    { figure: 'SimFaaS sweep: instance count MAPE vs AWS', value: sweep.instancesMapePct!, unit: '%', target: '<= 5 % (SimFaaS: 3.1 %)', met: sweep.instancesMapePct! <= 5 },
  ];
}
