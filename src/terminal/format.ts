// Turns lifecycle events into terminal lines: each invocation as CloudWatch shows it (START, the
// handler's lines, END, REPORT) behind the function's name, plus one short line per cold start,
// throttle, timeout, retirement, reload and gateway response.
import { endLine, handlerLine, startLine } from '../types/log-lines.js';
import type { LifecycleEvent } from '../types/events.js';
import type { InitType } from '../types/config.js';
import type { Palette } from './colors.js';

/** Widest name the prefix column grows to; longer names overflow rather than push everything right. */
const MAX_PREFIX = 24;

/** Formats events as pretty terminal lines. Keeps only the init type of instances still initializing. */
export class PrettyFormatter {
  private width: number;
  private readonly initTypes = new Map<string, InitType>();

  constructor(
    private readonly colors: Palette,
    functionNames: readonly string[] = [],
  ) {
    this.width = 0;
    this.setFunctionNames(functionNames);
  }

  /** Aligns the prefix column on these names (called again after a configuration reload). */
  setFunctionNames(names: readonly string[]): void {
    this.width = Math.min(MAX_PREFIX, Math.max('gateway'.length, ...names.map((n) => n.length)));
  }

  /** The lines for one event (often none: init starts only feed the cold-start line). */
  format(event: LifecycleEvent): string[] {
    const c = this.colors;
    switch (event.type) {
      case 'instance.init.start':
        this.initTypes.set(event.instanceId, event.initType);
        return [];
      case 'instance.init.end': {
        const initType = this.initTypes.get(event.instanceId) ?? 'on-demand';
        this.initTypes.delete(event.instanceId);
        const instance = c.dim(`instance ${event.instanceId}`);
        if (event.error !== undefined) {
          return [this.line(event.function, `${c.errorBadge(' INIT FAILED ')} ${instance}  ${c.red(event.error)}  ${c.dim(`after ${ms(event.initDurationMs)}`)}`)];
        }
        const badge = initType === 'provisioned-concurrency' ? c.infoBadge(' PROVISIONED INIT ') : c.coldBadge(' COLD START ');
        const details = [event.platformDelayMs > 0 ? `platform delay ${ms(event.platformDelayMs)}` : '', event.packageSizeEstimated ? `package ~${size(event.packageBytes)}, estimated: zipped size still being measured` : `package ${size(event.packageBytes)}`]
          .filter(Boolean)
          .join(', ');
        return [this.line(event.function, `${badge} ${instance}  Init Duration: ${c.bold(`${event.initDurationMs.toFixed(2)} ms`)}  ${c.dim(`(${details})`)}`)];
      }
      case 'invoke.start':
        return [this.line(event.function, c.dim(startLine(event.requestId)))];
      case 'log':
        // Platform lines (INIT_REPORT, the timeout message) are complete CloudWatch lines already.
        if (event.level === 'PLATFORM') return [this.line(event.function, c.red(event.message))];
        return event.message
          .split('\n')
          .map((text, i) =>
            this.line(event.function, i === 0 ? colorLevel(c, event.level, handlerLine(event.time, event.requestId, event.level, text)) : text),
          );
      case 'invoke.end': {
        const report = event.report.trimEnd();
        const lines = [
          this.line(event.function, c.dim(endLine(event.requestId))),
          this.line(event.function, event.outcome === 'success' ? highlightInit(c, report) : c.red(report)),
        ];
        if (event.outcome === 'timeout') {
          lines.push(this.line(event.function, `${c.errorBadge(' TIMEOUT ')} RequestId: ${event.requestId}  ${c.dim(`after ${ms(event.durationMs)}; the instance is destroyed`)}`));
        }
        return lines;
      }
      case 'invoke.throttled':
        return [this.line(event.function, `${c.throttleBadge(' THROTTLED ')} RequestId: ${event.requestId}  ${c.yellow(event.reason)}  ${c.dim(`(${event.source})`)}`)];
      case 'instance.retired':
        return [this.line(event.function, c.dim(`retired instance ${event.instanceId} (${event.reason})`))];
      case 'code.reloaded': {
        const files = event.files.length > 0 ? c.dim(`  (${event.files.join(', ')})`) : '';
        return [this.line('reload', `${c.infoBadge(' RELOAD ')} code version ${event.codeVersion}: ${event.functions.join(', ') || 'no functions changed'}${files}`)];
      }
      case 'gateway.response': {
        const status = event.status >= 500 ? c.red(String(event.status)) : event.status >= 400 ? c.yellow(String(event.status)) : c.green(String(event.status));
        return [this.line(event.function ?? 'gateway', `${event.method} ${event.path} ${status} ${c.dim(ms(event.durationMs))}`)];
      }
      default:
        return [];
    }
  }

  private line(name: string, text: string): string {
    const c = this.colors;
    const prefix = c.forFunction(name)(name.padEnd(this.width));
    return `${prefix} ${c.dim(c.enabled ? '│' : '|')} ${text}`;
  }
}

/** Formats events as one JSON object per line (`--log-format json`). */
export function jsonLine(event: LifecycleEvent): string {
  return JSON.stringify(event);
}

function colorLevel(c: Palette, level: string, text: string): string {
  if (level === 'ERROR' || level === 'FATAL') return c.red(text);
  if (level === 'WARN') return c.yellow(text);
  if (level === 'DEBUG' || level === 'TRACE') return c.dim(text);
  return text;
}

function highlightInit(c: Palette, report: string): string {
  return report.replace(/Init Duration: [\d.]+ ms/, (m) => c.cyan(m));
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
