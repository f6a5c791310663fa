// The live console in headless Chromium (Debian's package, driven by playwright-core): rows and
// lanes appear as invocations happen, counts change, a click shows the REPORT, the page keeps up
// with a burst of events and reconnects by itself after a server restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { fixture, repoRoot, startColdstart, useColdstart, type RunningColdstart } from './helpers/server.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { eventually } from './helpers/eventually.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = path.join(repoRoot, 'test-output');

/** A bar of the timeline, as the console's hitTargets() reports it. */
interface HitTarget {
  requestId: string;
  fn: string;
  instanceId: string;
  outcome: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An element as these tests read it in the page. */
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
}

/** The page's globals these tests use (the test build has no DOM types; the code runs in the page). */
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> & { length: number } };
  requestAnimationFrame(callback: () => void): void;
  coldstartConsole: { hitTargets(): HitTarget[]; model: { invocations: Map<string, unknown> } };
}

describe('console: the page in a browser', () => {
  // The restart test below stops this server and starts its replacement on the same port.
  const first = useColdstart(fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);
  let cs: RunningColdstart;
  let client: ReturnType<typeof lambdaClient>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    mkdirSync(OUTPUT, { recursive: true });
    cs = first;
    client = lambdaClient(cs.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      // Chromium logs each refused connection while the server is down; reconnecting is the point.
      const refused = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(msg.text());
      if (msg.type() === 'error' && !refused) pageErrors.push(msg.text());
    });
    await page.goto(`${cs.url}/__coldstart/`);
    await page.waitForSelector('#conn[data-state="live"]', { timeout: 15_000 });
  });
  after(async () => {
    await browser?.close();
    client?.destroy();
  });

  const cell = (fn: string, col: string) => page.locator(`#functions tr[data-function="${fn}"] td[data-col="${col}"]`);

  test('the page is served from the package and lists every function', async () => {
    const res = await fetch(`${cs.url}/__coldstart/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await res.text();
    assert.doesNotMatch(html, /https?:\/\//, 'no CDN or remote asset: the page must work offline');
    assert.equal((await fetch(`${cs.url}/__coldstart`, { redirect: 'manual' })).status, 301);
    assert.equal((await fetch(`${cs.url}/__coldstart/nope.js`)).status, 404);

    const names = await page.locator('#functions tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as PageElement).dataset['function'] as string));
    assert.deepEqual(names, ['hello', 'sleepy', 'single', 'slow', 'failing', 'chatty']);
    assert.equal((await cell('hello', 'invocations').textContent())?.trim(), '0');
    assert.match((await page.textContent('#service')) ?? '', /consoletest · dev · us-east-1/);
  });

  test('invocations make lanes appear and counts change; a click on a bar shows its REPORT and log lines', async () => {
    const hello = [];
    for (let i = 0; i < 3; i++) hello.push(await invoke(client, 'hello', { name: `page${i}` }));
    await Promise.all([1, 2, 3].map(() => invoke(client, 'sleepy', { ms: 700 })));
    const busy = invoke(client, 'single', { ms: 1200 });
    await new Promise((r) => setTimeout(r, 200));
    await assert.rejects(invoke(client, 'single'), (e: unknown) => e instanceof TooManyRequestsException);
    await busy;

    await waitForText(cell('hello', 'invocations'), '3');
    await waitForText(cell('hello', 'coldStarts'), '1');
    await waitForText(cell('sleepy', 'invocations'), '3');
    await waitForText(cell('sleepy', 'coldStarts'), '3');
    await waitForText(cell('single', 'throttles'), '1');
    assert.match((await cell('sleepy', 'instances').textContent()) ?? '', /^3/);
    assert.match((await cell('sleepy', 'duration').textContent()) ?? '', /\d+ ms · \d+ ms · \d+ ms/);

    // Lanes: the three sleepy instances each have a bar drawn on the canvas.
    await page.click('#pause');
    const targets = await page.evaluate(() => (globalThis as unknown as PageGlobals).coldstartConsole.hitTargets());
    const sleepyLanes = new Set(targets.filter((t) => t.fn === 'sleepy').map((t) => t.instanceId));
    assert.equal(sleepyLanes.size, 3);
    const helloLanes = new Set(targets.filter((t) => t.fn === 'hello').map((t) => t.instanceId));
    assert.equal(helloLanes.size, 1);

    // Click the last hello invocation's bar.
    const id: string = hello[2]!.payload.requestId;
    const bar = targets.find((t) => t.requestId === id);
    assert.ok(bar, `no bar for ${id}`);
    const position = { x: bar.x + bar.w / 2, y: bar.y + bar.h / 2 };
    await page.locator('#timeline').hover({ position });
    await page.waitForSelector('#tooltip:not([hidden])', { timeout: 5000 });
    const tip = (await page.textContent('#tooltip')) ?? '';
    assert.match(tip, /hello · warm invocation/);
    assert.ok(tip.includes(id.slice(0, 18)), tip);
    await page.locator('#timeline').click({ position });
    await page.waitForFunction((rid) => (globalThis as unknown as PageGlobals).document.querySelector('#detail pre.report')?.textContent?.includes(`REPORT RequestId: ${rid}`), id, { timeout: 5000 });
    const report = (await page.textContent('#detail pre.report')) ?? '';
    assert.match(report, /Duration: [\d.]+ ms/);
    assert.match(report, /Billed Duration: \d+ ms/);
    assert.match(report, /Max Memory Used: \d+ MB/);
    assert.doesNotMatch(report, /Init Duration/, 'the third call was warm');
    const lines = (await page.textContent('#detail pre.log-lines')) ?? '';
    assert.match(lines, /INFO +hello page2 #3/);
    assert.match(lines, /WARN +a warning line/);
    await page.click('#pause');

    await page.screenshot({ path: path.join(OUTPUT, 'console.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  test('the log pane filters by function and by request id', async () => {
    await page.selectOption('#log-function', 'single');
    const fns = await page.locator('#logs .log-row .fn').allTextContents();
    assert.ok(fns.length > 0);
    assert.deepEqual([...new Set(fns)], ['single']);
    assert.ok((await page.locator('#logs').textContent())?.includes('THROTTLED ReservedFunctionConcurrentInvocationLimitExceeded'));

    await page.selectOption('#log-function', '');
    const r = await invoke(client, 'hello', { name: 'filtered' });
    const id: string = r.payload.requestId;
    await page.fill('#log-request', id);
    await page.waitForFunction((rid) => {
      const rows = [...(globalThis as unknown as PageGlobals).document.querySelectorAll('#logs .log-row .rid')];
      return rows.length >= 3 && rows.every((el) => el.dataset['requestId'] === rid);
    }, id, { timeout: 5000 });
    assert.match((await page.locator('#logs').textContent()) ?? '', /hello filtered #4/);
    await page.fill('#log-request', '');
  });

  test('a burst of about 200 events per second leaves the page responsive and its memory bounded', async () => {
    const frames = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const g = globalThis as unknown as PageGlobals;
          let n = 0;
          const t0 = performance.now();
          const tick = () => {
            n++;
            if (performance.now() - t0 < 4000) g.requestAnimationFrame(tick);
            else resolve(n);
          };
          g.requestAnimationFrame(tick);
        }),
    );
    const startedAt = Date.now();
    // Each hello call is 4 events (start, two log lines, end); 10 calls every 200 ms, for 4 s.
    const calls: Promise<unknown>[] = [];
    let sent = 0;
    while (Date.now() - startedAt < 4000) {
      for (let i = 0; i < 10; i++) calls.push(invoke(client, 'hello', { name: 'burst' }));
      sent += 10;
      await new Promise((r) => setTimeout(r, 200));
    }
    const t = Date.now();
    const roundTrip = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('#logs .log-row').length);
    const latency = Date.now() - t;
    await Promise.all(calls);
    const rendered = await frames;

    const expected = 4 + sent; // 3 + 1 earlier calls, then the burst
    await waitForText(cell('hello', 'invocations'), String(expected), 15_000);
    assert.ok(latency < 2000, `the page took ${latency} ms to answer during the burst`);
    assert.ok(rendered >= 8, `only ${rendered} frames in 4 s during the burst`);
    assert.ok(roundTrip <= 500, `log pane holds ${roundTrip} rows; it should stay bounded at 500`);
    const events = await page.evaluate(() => (globalThis as unknown as PageGlobals).coldstartConsole.model.invocations.size);
    assert.ok(events <= 4000, `model keeps ${events} invocations`);
    assert.deepEqual(pageErrors, []);
  });

  test('the page reconnects by itself when the server restarts', async (t) => {
    const port = cs.port;
    assert.equal(await cs.stop(), 0);
    await page.waitForSelector('#conn[data-state="reconnecting"]', { timeout: 10_000 });
    cs = await startColdstart(t, fixture('console', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--port', String(port)]);
    client.destroy();
    client = lambdaClient(cs.url);
    await page.waitForSelector('#conn[data-state="live"]', { timeout: 15_000 });
    // A fresh server: the counts start again from its snapshot, and new calls show up.
    await waitForText(cell('hello', 'invocations'), '0');
    await invoke(client, 'hello');
    await waitForText(cell('hello', 'invocations'), '1');
    assert.deepEqual(pageErrors, []);
  });
});

async function waitForText(locator: ReturnType<Page['locator']>, text: string, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => ((await locator.textContent()) ?? '').trim() === text, timeoutMs, `the text "${text}"`, 100);
}
