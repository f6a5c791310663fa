// Start-up on a service with a big node_modules: the listening line does not wait for the package
// size, the size is measured in the background and saved, and the next start-up reuses it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InitEndEvent } from '../src/types/events.js';
import { generateBigProject } from './helpers/big-project.js';
import { eventually } from './helpers/eventually.js';
import { startColdstart } from './helpers/server.js';

describe('start-up on a big node_modules', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-big-'));
    await generateBigProject(dir, { files: 6000, bytesPerFile: 4096 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('listens before the package is measured, saves the sizes, and starts the next run from them', async (t) => {
    const config = path.join(dir, 'serverless.yml');
    const cacheFile = path.join(dir, 'node_modules', '.cache', 'coldstart', 'package-sizes.json');
    const args = ['--no-watch', '--log-format', 'json'];

    const first = await startColdstart(t, config, args);
    assert.equal(await stat(cacheFile).catch(() => null), null, 'the listening line came before the 6,000 files were deflated');
    await eventually(() => stat(cacheFile), 120_000, `${cacheFile} to appear`, 100);
    const res = await fetch(`${first.url}/hello`);
    assert.equal(res.status, 200);
    const initEnd = JSON.parse(await first.waitForLine(/"type":"instance\.init\.end"/)) as InitEndEvent;
    assert.equal(initEnd.packageSizeEstimated, undefined, 'measured by now');
    const exact = initEnd.packageBytes;
    assert.ok(exact > 1_000_000, `the package holds node_modules: ${exact} bytes`);
    // One server at a time on the project: the second run must start from what the first saved.
    await first.stop();

    const second = await startColdstart(t, config, args);
    // The first cold start of the second run: the saved sizes make the estimate exact at once.
    const again = await fetch(`${second.url}/hello`);
    assert.equal(again.status, 200);
    const secondInitEnd = JSON.parse(await second.waitForLine(/"type":"instance\.init\.end"/)) as InitEndEvent;
    assert.equal(secondInitEnd.packageSizeEstimated, undefined);
    assert.equal(secondInitEnd.packageBytes, exact);
  });
});
