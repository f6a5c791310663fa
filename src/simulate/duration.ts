// Durations on the command line and in traffic profiles: `90`, `90s`, `15m`, `1h`, `2d`, `500ms`.
import { ColdstartError } from '../types/errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration to ms (a bare number is seconds); throws naming `what` when it is not one. */
export function parseDurationMs(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new ColdstartError('INVALID_ARGUMENT', `${what}: "${text}" is not a duration (examples: 90, 30s, 15m, 1h, 2d)`);
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

/** A short human form of a duration in ms: 1h, 15m, 30s, 250ms. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}
