// EventBridge cron expressions: six fields (minutes hours day-of-month month day-of-week year),
// evaluated in UTC. Day-of-week counts SUN=1 .. SAT=7, as EventBridge (Quartz) does, not 0-6 as
// Unix cron does; exactly one of day-of-month and day-of-week must be `?`.

/** A day-of-month rule beyond a plain set of days. */
type DayOfMonthRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  /** `L` (offset 0) or `L-3`: the last day of the month minus offset. */
  | { kind: 'last'; offset: number }
  /** `15W`: the weekday nearest the 15th, never crossing into another month. */
  | { kind: 'nearestWeekday'; day: number }
  /** `LW`: the last weekday (Mon-Fri) of the month. */
  | { kind: 'lastWeekday' };

/** A day-of-week rule; weekdays are 1 (SUN) .. 7 (SAT). */
type DayOfWeekRule =
  | { kind: 'any' }
  | { kind: 'set'; days: Set<number> }
  /** `5L`: the last Thursday of the month. */
  | { kind: 'lastOfMonth'; weekday: number }
  /** `2#1`: the first Monday of the month. */
  | { kind: 'nth'; weekday: number; nth: number };

/** A parsed cron expression. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  readonly dayOfMonth: DayOfMonthRule;
  readonly dayOfWeek: DayOfWeekRule;
}

/** Why a cron expression was refused; `message` names the field. */
export class CronSyntaxError extends Error {
  constructor(expression: string, detail: string) {
    super(`invalid schedule expression "${expression}": ${detail}`);
    this.name = 'CronSyntaxError';
  }
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  year: { name: 'year', min: MIN_YEAR, max: MAX_YEAR },
} satisfies Record<string, FieldSpec>;

/** Parses `cron(...)` (or its six fields alone); throws CronSyntaxError naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const match = /^\s*cron\((.*)\)\s*$/s.exec(expression);
  const body = (match ? match[1]! : expression).trim();
  const parts = body.split(/\s+/).filter((p) => p.length > 0);
  const fail = (detail: string): never => {
    throw new CronSyntaxError(expression, detail);
  };
  if (parts.length !== 6) fail(`expected 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    fail('exactly one of day-of-month and day-of-week must be "?" (they cannot both be specified)');
  }
  return {
    kind: 'cron',
    expression,
    minutes: parseSet(min, FIELDS.minutes, fail),
    hours: parseSet(hour, FIELDS.hours, fail),
    months: parseSet(month, FIELDS.month, fail),
    years: parseSet(year, FIELDS.year, fail),
    dayOfMonth: parseDayOfMonth(dom, fail),
    dayOfWeek: parseDayOfWeek(dow, fail),
  };
}

/** The first firing strictly after `after` (whole minutes, UTC), or null if the expression never fires again. */
export function nextCronFiring(schedule: CronSchedule, after: Date): Date | null {
  // Start at the next whole minute after `after`.
  const startMs = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const start = new Date(startMs);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  let fromMinuteOfDay = start.getUTCHours() * 60 + start.getUTCMinutes();
  while (y <= MAX_YEAR) {
    if (!schedule.years.has(y)) {
      y++;
      m = 1;
      d = 1;
      fromMinuteOfDay = 0;
      continue;
    }
    if (!schedule.months.has(m)) {
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
      d = 1;
      fromMinuteOfDay = 0;
      continue;
    }
    const dim = daysInMonth(y, m);
    if (d <= dim && dayMatches(schedule, y, m, d, dim)) {
      const t = firstTimeInDay(schedule, fromMinuteOfDay);
      if (t !== null) return new Date(Date.UTC(y, m - 1, d, Math.floor(t / 60), t % 60));
    }
    d++;
    fromMinuteOfDay = 0;
    if (d > dim) {
      d = 1;
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return null;
}

function firstTimeInDay(schedule: CronSchedule, fromMinuteOfDay: number): number | null {
  const fromHour = Math.floor(fromMinuteOfDay / 60);
  for (let h = fromHour; h < 24; h++) {
    if (!schedule.hours.has(h)) continue;
    const fromMinute = h === fromHour ? fromMinuteOfDay % 60 : 0;
    for (let mi = fromMinute; mi < 60; mi++) {
      if (schedule.minutes.has(mi)) return h * 60 + mi;
    }
  }
  return null;
}

function dayMatches(schedule: CronSchedule, y: number, m: number, d: number, dim: number): boolean {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1; // 1 = SUN
  const dom = schedule.dayOfMonth;
  switch (dom.kind) {
    case 'any':
      break;
    case 'set':
      return dom.days.has(d);
    case 'last':
      return d === dim - dom.offset;
    case 'nearestWeekday':
      // Quartz: `31W` never fires in a month without a 31st.
      return dom.day <= dim && d === nearestWeekday(y, m, dom.day, dim);
    case 'lastWeekday':
      return d === nearestWeekday(y, m, dim, dim);
  }
  const dow = schedule.dayOfWeek;
  switch (dow.kind) {
    case 'any':
      return true;
    case 'set':
      return dow.days.has(weekday);
    case 'lastOfMonth':
      return weekday === dow.weekday && d + 7 > dim;
    case 'nth':
      return weekday === dow.weekday && Math.ceil(d / 7) === dow.nth;
  }
}

/** The Monday-to-Friday day nearest `day`, staying inside the month (Quartz `W`). */
function nearestWeekday(y: number, m: number, day: number, dim: number): number {
  const wd = new Date(Date.UTC(y, m - 1, day)).getUTCDay(); // 0 = SUN
  if (wd === 6) return day === 1 ? 3 : day - 1; // Saturday: Friday before, or Monday the 3rd
  if (wd === 0) return day === dim ? day - 2 : day + 1; // Sunday: Monday after, or Friday before
  return day;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function parseDayOfMonth(field: string, fail: (detail: string) => never): DayOfMonthRule {
  const f = field.toUpperCase();
  if (f === '?') return { kind: 'any' };
  if (f === 'L') return { kind: 'last', offset: 0 };
  if (f === 'LW') return { kind: 'lastWeekday' };
  let m = /^L-(\d{1,2})$/.exec(f);
  if (m) {
    const offset = Number(m[1]);
    if (offset > 30) fail(`day-of-month "${field}": offset must be 0-30`);
    return { kind: 'last', offset };
  }
  m = /^(\d{1,2})W$/.exec(f);
  if (m) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) fail(`day-of-month "${field}": day must be 1-31`);
    return { kind: 'nearestWeekday', day };
  }
  if (/[LW#]/.test(f)) fail(`day-of-month "${field}": L and W must stand alone (L, L-n, nW, LW)`);
  return { kind: 'set', days: parseSet(field, FIELDS.dayOfMonth, fail) };
}

function parseDayOfWeek(field: string, fail: (detail: string) => never): DayOfWeekRule {
  const f = field.toUpperCase();
  if (f === '?') return { kind: 'any' };
  if (f === 'L') return { kind: 'set', days: new Set([7]) }; // Quartz: `L` alone is Saturday
  let m = /^([A-Z]{3}|\d)L$/.exec(f);
  if (m) return { kind: 'lastOfMonth', weekday: parseValue(m[1]!, FIELDS.dayOfWeek, fail) };
  m = /^([A-Z]{3}|\d)#(\d)$/.exec(f);
  if (m) {
    const nth = Number(m[2]);
    if (nth < 1 || nth > 5) fail(`day-of-week "${field}": the occurrence after # must be 1-5`);
    return { kind: 'nth', weekday: parseValue(m[1]!, FIELDS.dayOfWeek, fail), nth };
  }
  if (/[L#W]/.test(f.replace(/[A-Z]{3}/g, (name) => (DAY_NAMES.includes(name) ? '' : name)))) {
    fail(`day-of-week "${field}": L and # must stand alone (nL, n#k)`);
  }
  return { kind: 'set', days: parseSet(field, FIELDS.dayOfWeek, fail) };
}

/** Parses `*`, `a`, `a-b`, `a/s`, `*\/s`, `a-b/s` and comma lists of them into a set of values. */
function parseSet(field: string, spec: FieldSpec, fail: (detail: string) => never): Set<number> {
  const out = new Set<number>();
  for (const item of field.toUpperCase().split(',')) {
    if (item === '') fail(`${spec.name} "${field}": empty list item`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) fail(`${spec.name} "${field}": more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail(`${spec.name} "${field}": step must be a positive integer`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max;
    } else if (range!.includes('-')) {
      const [a, b, more] = range!.split('-');
      if (more !== undefined || a === '' || b === '') fail(`${spec.name} "${field}": bad range "${range}"`);
      lo = parseValue(a!, spec, fail);
      hi = parseValue(b!, spec, fail);
      if (hi < lo) fail(`${spec.name} "${field}": range "${range}" runs backwards`);
    } else {
      lo = parseValue(range!, spec, fail);
      // `5/15` means from 5 to the end of the field, every 15.
      hi = stepText !== undefined ? spec.max : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function parseValue(text: string, spec: FieldSpec, fail: (detail: string) => never): number {
  const upper = text.toUpperCase();
  if (spec.names) {
    const i = spec.names.indexOf(upper);
    if (i >= 0) return i + 1;
  }
  if (!/^\d+$/.test(upper)) {
    const hint = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
    fail(`${spec.name}: "${text}" is not a number${hint}`);
  }
  const v = Number(upper);
  if (v < spec.min || v > spec.max) fail(`${spec.name}: ${v} is outside ${spec.min}-${spec.max}`);
  return v;
}
