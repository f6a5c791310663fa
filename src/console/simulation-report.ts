// The console's view of the last `coldstart simulate` report of this service: the command writes
// it to a file, the console serves it as it is (a self-contained page with no scripts).
import { readFile } from 'node:fs/promises';
import type { Express } from 'express';
import type { AppContext } from '../types/feature.js';
import { lastReportPath } from '../simulate/last-report.js';

/** The path the report is served at. */
export const SIMULATION_REPORT_PATH = '/__coldstart/simulation/report';

/** Registers the route that serves the last report (404 with a hint until there is one). */
export function serveSimulationReport(app: Express, ctx: AppContext): void {
  app.get(SIMULATION_REPORT_PATH, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // The report is static HTML with inline styles and SVG: no script may run in it.
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    try {
      res.type('html').send(await readFile(lastReportPath(ctx.config.current().serviceDir), 'utf8'));
    } catch {
      res
        .status(404)
        .type('html')
        .send('<!doctype html><meta charset="utf-8"><p style="font:14px system-ui">No simulation yet for this service. Run <code>coldstart simulate --traffic poisson:50</code> (see docs/simulate.md); its report appears here.</p>');
    }
  });
}
