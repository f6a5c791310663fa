// Refreshes docs/console.png: runs the samples through createColdstart (from dist/, so build
// first), sends them a little traffic (cold starts, warm calls, a throttle, a timeout) and
// photographs the live console with Debian's Chromium through playwright-core.
//   npm run build && node scripts/console-screenshot.mjs [OUT.png]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createColdstart } from '../dist/src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'console.png'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const cs = await createColdstart({ config: path.join(root, 'samples', 'serverless.yml'), port: 0, watch: false, log: false, seed: 1 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${cs.url}/__coldstart/`);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15_000 });

  const get = (p) => cs.fetch(p).then((r) => r.text());
  const post = (p, body) => cs.fetch(p, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }).then((r) => r.text());
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Cold starts side by side: the eager SDK import against the lazy one.
  await Promise.all([get('/orders/eager/1'), get('/orders/lazy/1'), get('/users/pooled/1'), get('/users/per-call/1')]);
  // Warm calls on the same instances, and a second instance for concurrent callers.
  for (let i = 0; i < 3; i++) await Promise.all([get('/orders/eager/2'), get('/orders/lazy/2'), get('/users/pooled/2')]);
  await Promise.all([get('/users/pooled/3'), get('/users/pooled/4')]);
  // The same CPU-bound handler at 128 MB and 1024 MB.
  await Promise.all([cs.invoke('checksum128', { rounds: 2 }), cs.invoke('checksum1024', { rounds: 2 })]);
  // reservedConcurrency 3 under 8 concurrent calls: throttles.
  await Promise.all(Array.from({ length: 8 }, (_, i) => post('/ingest', { item: i })));
  // Provisioned concurrency: warm from the start.
  await Promise.all(Array.from({ length: 3 }, () => post('/checkout', { cart: [1] })));
  await sleep(1500);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  await cs.close();
}
