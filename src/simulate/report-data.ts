// The whole result of `coldstart simulate`, as --json writes it and the HTML report reads it.
import type { Calibration, CalibrationRow } from './calibrate.js';
import type { ConfigurationResult } from './summary.js';

/** Everything a simulation produced. */
export interface SimulationReport {
  service: string;
  traffic: string;
  duration: string;
  durationSeconds: number;
  seed: number;
  freeTier: boolean;
  /** Wall time of the simulation itself (left out of --json, which must repeat byte for byte). */
  wallSeconds: number;
  calibration: CalibrationRow[];
  /** The raw measurements, so `--calibration FILE` can replay a run exactly. */
  measurements: Calibration[];
  configurations: ConfigurationResult[];
}

/** The --json text: every figure, in a stable order, without wall-clock time. */
export function reportJson(report: SimulationReport): string {
  const { wallSeconds: _wall, ...rest } = report;
  return JSON.stringify(rest, null, 2) + '\n';
}
