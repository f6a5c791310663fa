// The shape every benchmark module returns, so `npm run bench` can print one table and one JSON file.

/** One measured figure, with its target and whether this run met it. */
export interface BenchRow {
  /** What was measured, e.g. "lambda-api warm p50 (1 conn)". */
  figure: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, if the figure is compared to one. */
  baseline?: number;
  /** Human-readable target, e.g. "<= express floor + 0.5 ms". */
  target: string;
  met: boolean;
}

/** A benchmark module: runs its measurements and returns rows. */
export type BenchModule = () => Promise<BenchRow[]>;
