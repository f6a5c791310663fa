// ANSI styling that disappears entirely when colour is off (pipes, files, NO_COLOR).

/** A styling function: wraps text in escape codes, or returns it unchanged. */
export type Style = (text: string) => string;

/** The styles the printer uses. */
export interface Palette {
  enabled: boolean;
  dim: Style;
  bold: Style;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
  magenta: Style;
  /** Badges: inverse blocks that stand out in a scrolling log. */
  coldBadge: Style;
  throttleBadge: Style;
  errorBadge: Style;
  infoBadge: Style;
  /** Stable colour per function name, so one function's lines read as a column. */
  forFunction(name: string): Style;
}

/** True when output should be coloured: a TTY, `NO_COLOR` unset or empty (https://no-color.org). */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const sgr = (open: string, close: string): Style => (text) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Style = (text) => text;
// Badges carry their own padding for the coloured block; without colour it would only be noise.
const trim: Style = (text) => text.trim();

// Bright-ish foregrounds that read on both dark and light terminal backgrounds.
const FUNCTION_COLORS = ['36', '35', '33', '32', '34', '96', '95', '93', '92', '94'];

/** Builds the palette; every style is the identity when `enabled` is false. */
export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      dim: plain,
      bold: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      magenta: plain,
      coldBadge: trim,
      throttleBadge: trim,
      errorBadge: trim,
      infoBadge: trim,
      forFunction: () => plain,
    };
  }
  const cache = new Map<string, Style>();
  return {
    enabled,
    dim: sgr('2', '22'),
    bold: sgr('1', '22'),
    red: sgr('31', '39'),
    green: sgr('32', '39'),
    yellow: sgr('33', '39'),
    cyan: sgr('36', '39'),
    magenta: sgr('35', '39'),
    coldBadge: sgr('1;30;46', '0'),
    throttleBadge: sgr('1;37;41', '0'),
    errorBadge: sgr('1;37;41', '0'),
    infoBadge: sgr('1;30;47', '0'),
    forFunction(name) {
      let style = cache.get(name);
      if (!style) {
        let h = 0;
        for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
        style = sgr(FUNCTION_COLORS[h % FUNCTION_COLORS.length]!, '39');
        cache.set(name, style);
      }
      return style;
    },
  };
}
