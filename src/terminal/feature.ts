// The terminal: every lifecycle event printed as it happens, pretty or as JSON lines.
import type { AppContext, Feature } from '../types/feature.js';
import { palette, shouldColor } from './colors.js';
import { jsonLine, PrettyFormatter } from './format.js';

/**
 * Creates the terminal printer. It follows the bus for the life of the process: `stop()` runs
 * before instances are retired, and those final retirements belong on the terminal too.
 */
export function createTerminalFeature(ctx: AppContext): Feature {
  if (ctx.options.logFormat === 'json') {
    ctx.bus.subscribe((event) => ctx.print(jsonLine(event)));
  } else {
    const names = () => ctx.config.current().functions.map((f) => f.name);
    const formatter = new PrettyFormatter(palette(shouldColor(process.stdout)), names());
    ctx.config.onChange(() => formatter.setFunctionNames(names()));
    ctx.bus.subscribe((event) => {
      for (const line of formatter.format(event)) ctx.print(line);
    });
  }
  return { name: 'terminal' };
}
