// Traffic profiles: the strings users write (`poisson:50`, `spike:10,400,5m,2m`, ...) parsed into
// values the arrival generators read. A bad string is an error naming the part that is wrong.
import { ColdstartError } from '../types/errors.js';
import { parseDurationMs } from './duration.js';

/** One rate change of a `steps` profile: `rate` req/s from `atMs` on. */
export interface Step {
  rate: number;
  atMs: number;
}

/** A parsed traffic profile (rates in requests per second, times in ms from the start). */
export type TrafficProfile =
  | { kind: 'poisson'; rate: number }
  | { kind: 'constant'; rate: number }
  | { kind: 'spike'; base: number; peak: number; atMs: number; lengthMs: number }
  | { kind: 'diurnal'; mean: number; peak: number }
  | { kind: 'steps'; steps: Step[] }
  | { kind: 'trace'; file: string };

/** The profile kinds and how each is written. */
export const PROFILE_FORMS: Record<TrafficProfile['kind'], string> = {
  poisson: 'poisson:RATE',
  constant: 'constant:RATE',
  spike: 'spike:BASE,PEAK,AT,LENGTH',
  diurnal: 'diurnal:MEAN,PEAK',
  steps: 'steps:R1@T1,R2@T2,...',
  trace: 'trace:FILE',
};

/** A period of the diurnal profile. */
export const DAY_MS = 86_400_000;

function bad(text: string, part: string, why: string): ColdstartError {
  return new ColdstartError('INVALID_ARGUMENT', `traffic profile "${text}": ${part}: ${why}`);
}

function rate(text: string, part: string, name: string): number {
  const n = Number(part);
  if (part.trim() === '' || !Number.isFinite(n) || n < 0) throw bad(text, `${name} "${part}"`, 'must be a number of requests per second >= 0');
  return n;
}

function time(text: string, part: string, name: string): number {
  try {
    return parseDurationMs(part, name);
  } catch {
    throw bad(text, `${name} "${part}"`, 'must be a duration such as 90, 30s, 15m, 1h');
  }
}

function args(text: string, body: string, names: string[]): string[] {
  const parts = body.split(',').map((p) => p.trim());
  if (parts.length !== names.length) {
    throw bad(text, `${parts.length} value(s)`, `expected ${names.length} (${names.join(', ')})`);
  }
  return parts;
}

/** Parses a profile string; throws INVALID_ARGUMENT naming the wrong part. */
export function parseProfile(text: string): TrafficProfile {
  const colon = text.indexOf(':');
  const kind = (colon < 0 ? text : text.slice(0, colon)).trim();
  const body = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!(kind in PROFILE_FORMS)) {
    throw bad(text, `kind "${kind}"`, `unknown; use one of ${Object.values(PROFILE_FORMS).join(', ')}`);
  }
  if (colon < 0 || body === '') throw bad(text, 'arguments', `missing; write ${PROFILE_FORMS[kind as TrafficProfile['kind']]}`);
  switch (kind as TrafficProfile['kind']) {
    case 'poisson':
    case 'constant': {
      const [r] = args(text, body, ['RATE']);
      return { kind: kind as 'poisson' | 'constant', rate: rate(text, r!, 'RATE') };
    }
    case 'spike': {
      const [b, p, at, len] = args(text, body, ['BASE', 'PEAK', 'AT', 'LENGTH']);
      const profile = { kind: 'spike' as const, base: rate(text, b!, 'BASE'), peak: rate(text, p!, 'PEAK'), atMs: time(text, at!, 'AT'), lengthMs: time(text, len!, 'LENGTH') };
      if (profile.lengthMs <= 0) throw bad(text, `LENGTH "${len}"`, 'must be longer than 0');
      return profile;
    }
    case 'diurnal': {
      const [m, p] = args(text, body, ['MEAN', 'PEAK']);
      const mean = rate(text, m!, 'MEAN');
      const peak = rate(text, p!, 'PEAK');
      if (peak < mean) throw bad(text, `PEAK "${p}"`, `must be at least MEAN (${mean})`);
      if (peak > 2 * mean) throw bad(text, `PEAK "${p}"`, `at most 2 x MEAN (${2 * mean}): the trough, 2 x MEAN - PEAK, cannot be negative`);
      return { kind: 'diurnal', mean, peak };
    }
    case 'steps': {
      const steps = body.split(',').map((part) => {
        const at = part.indexOf('@');
        if (at < 0) throw bad(text, `step "${part.trim()}"`, 'write RATE@TIME, for example 50@10m');
        return { rate: rate(text, part.slice(0, at).trim(), 'step rate'), atMs: time(text, part.slice(at + 1).trim(), 'step time') };
      });
      for (let i = 1; i < steps.length; i++) {
        if (steps[i]!.atMs <= steps[i - 1]!.atMs) throw bad(text, `step ${i + 1}`, 'step times must increase');
      }
      return { kind: 'steps', steps };
    }
    case 'trace':
      return { kind: 'trace', file: body };
  }
}

/** The request rate of a profile at time `t` (ms), for the rate-driven kinds. */
export function rateAt(p: Exclude<TrafficProfile, { kind: 'trace' }>, t: number): number {
  switch (p.kind) {
    case 'poisson':
    case 'constant':
      return p.rate;
    case 'spike':
      return t >= p.atMs && t < p.atMs + p.lengthMs ? p.peak : p.base;
    case 'diurnal':
      // The trough at the start (midnight), the peak twelve hours later.
      return p.mean - (p.peak - p.mean) * Math.cos((2 * Math.PI * t) / DAY_MS);
    case 'steps': {
      let r = 0;
      for (const s of p.steps) if (t >= s.atMs) r = s.rate;
      return r;
    }
  }
}

/** Times (ms) where a piecewise-constant profile changes its rate. */
export function rateChanges(p: Exclude<TrafficProfile, { kind: 'trace' }>): number[] {
  if (p.kind === 'spike') return [p.atMs, p.atMs + p.lengthMs];
  if (p.kind === 'steps') return p.steps.map((s) => s.atMs);
  return [];
}
