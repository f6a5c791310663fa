// Start-up warnings: configurations that repeat known production incidents. They never
// stop start-up; each names the function and the key to change.
import { DEFAULT_SETTINGS } from '../model/defaults.js';
import type { ConfigWarning, EmulatorSettings, FunctionConfig, QueueConfig } from '../types/config.js';
import type { EventConfig } from '../types/event-source.js';

/** Every warning for a loaded service. */
export function findWarnings(functions: FunctionConfig[], queues: QueueConfig[], settings: EmulatorSettings): ConfigWarning[] {
  return [
    ...gatewayTimeoutWarnings(functions, settings),
    ...visibilityTimeoutWarnings(functions, queues),
    ...unreservedWarnings(functions, settings),
    ...warmUpWarnings(functions),
  ];
}

// The gateway answers 504/503 while the function runs on, holding its instance and concurrency.
function gatewayTimeoutWarnings(functions: FunctionConfig[], settings: EmulatorSettings): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const fn of functions) {
    const apis = [
      { kind: 'http', label: 'REST API', limit: settings.gatewayTimeout ?? DEFAULT_SETTINGS.gatewayTimeoutRest },
      { kind: 'httpApi', label: 'HTTP API', limit: settings.gatewayTimeout ?? DEFAULT_SETTINGS.gatewayTimeoutHttpApi },
    ];
    for (const api of apis) {
      if (!fn.events.some((e) => e.kind === api.kind) || fn.timeout <= api.limit) continue;
      warnings.push({
        code: 'TIMEOUT_ABOVE_GATEWAY',
        function: fn.name,
        key: `functions.${fn.name}.timeout`,
        message:
          `function "${fn.name}" has timeout ${fn.timeout} s but sits behind the ${api.label}, which gives up after ${api.limit} s: ` +
          `callers get a timeout error while the invocation runs on and holds its instance. Set timeout to ${Math.floor(api.limit)} or less.`,
      });
    }
  }
  return warnings;
}

// AWS's advice: visibility timeout at least six times the function timeout, or messages being
// processed reappear and run twice.
function visibilityTimeoutWarnings(functions: FunctionConfig[], queues: QueueConfig[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const fn of functions) {
    for (const event of fn.events) {
      if (event.kind !== 'sqs') continue;
      const name = event.arn.slice(event.arn.lastIndexOf(':') + 1);
      const queue = queues.find((q) => q.name === name);
      if (!queue || queue.visibilityTimeout >= 6 * fn.timeout) continue;
      warnings.push({
        code: 'VISIBILITY_TIMEOUT_TOO_SHORT',
        function: fn.name,
        key: `resources.Resources.${queue.logicalId}.Properties.VisibilityTimeout`,
        message:
          `queue "${queue.name}" has VisibilityTimeout ${queue.visibilityTimeout} s, under 6 x the timeout of its consumer "${fn.name}" (${fn.timeout} s): ` +
          `messages still being processed become visible again and run twice. Set VisibilityTimeout to at least ${6 * fn.timeout}.`,
      });
    }
  }
  return warnings;
}

// Lambda keeps 100 of the account's concurrency unreserved; reservations that eat into it starve
// every function without one.
function unreservedWarnings(functions: FunctionConfig[], settings: EmulatorSettings): ConfigWarning[] {
  const reserved = functions.filter((f) => f.reservedConcurrency !== null && f.reservedConcurrency > 0);
  const total = reserved.reduce((n, f) => n + (f.reservedConcurrency ?? 0), 0);
  const unreserved = settings.accountConcurrency - total;
  if (reserved.length === 0 || unreserved >= 100) return [];
  const largest = reserved.reduce((a, b) => ((b.reservedConcurrency ?? 0) > (a.reservedConcurrency ?? 0) ? b: a));
  return [
    {
      code: 'UNRESERVED_BELOW_MINIMUM',
      function: largest.name,
      key: `functions.${largest.name}.reservedConcurrency`,
      message:
        `reservations total ${total} of the account's ${settings.accountConcurrency}, leaving ${unreserved} unreserved; ` +
        `Lambda requires at least 100 and functions without a reservation will be throttled. ` +
        `Lower reservedConcurrency (largest: "${largest.name}" with ${largest.reservedConcurrency}) by at least ${100 - unreserved}.`,
    },
  ];
}

// A warm-up ping on a function with provisioned concurrency only burns invocations: its instances
// are already initialized. A schedule counts as warm-up when it says so or fires every 15 minutes or
// more often (the usual warm-up cadence).
function warmUpWarnings(functions: FunctionConfig[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const fn of functions) {
    if (fn.provisionedConcurrency <= 0) continue;
    for (const event of fn.events) {
      if (event.kind !== 'schedule' || !event.enabled || !looksLikeWarmUp(event)) continue;
      warnings.push({
        code: 'WARMUP_WITH_PROVISIONED',
        function: fn.name,
        key: `functions.${fn.name}.events`,
        message:
          `function "${fn.name}" has provisionedConcurrency ${fn.provisionedConcurrency} and a warm-up schedule ${event.expression}: ` +
          `provisioned instances are already warm, so the pings only add invocations (and can take an instance from a real request). Remove the schedule.`,
      });
    }
  }
  return warnings;
}

function looksLikeWarmUp(event: Extract<EventConfig, { kind: 'schedule' }>): boolean {
  const text = `${event.name ?? ''} ${JSON.stringify(event.input ?? '')}`;
  if (/warm/i.test(text)) return true;
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(event.expression);
  return rate !== null && rate[2]!.startsWith('minute') && Number(rate[1]) <= 15;
}
