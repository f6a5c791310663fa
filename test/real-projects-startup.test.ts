// Start-up on a service with a big node_modules: the listening line does not wait for the package
// size, the size is measured in the background and saved, and the next start-up reuses it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { generateBigProject } from './helpers/big-project.js';
import { launchColdstart } from './helpers/server.js';

interface InitEnd {
  type: string;
  packageBytes: number;
  packageSizeEstimated?: true;
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await stat(file).catch(() => null))) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('start-up on a big node_modules', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-big-'));
    await generateBigProject(dir, { files: 6000, bytesPerFile: 4096 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('listens before the package is measured, saves the sizes, and starts the next run from them', async () => {
    const config = path.join(dir, 'serverless.yml');
    const cacheFile = path.join(dir, 'node_modules', '.cache', 'coldstart', 'package-sizes.json');
    const args = ['--no-watch', '--log-format', 'json'];

    const first = await launchColdstart(config, args);
    let exact: number;
    try {
      assert.equal(await stat(cacheFile).catch(() => null), null, 'the listening line came before the 6,000 files were deflated');
      await waitForFile(cacheFile, 120_000);
      const res = await fetch(`${first.url}/hello`);
      assert.equal(res.status, 200);
      const initEnd = JSON.parse(await first.waitForLine(/"type":"instance\.init\.end"/)) as InitEnd;
      assert.equal(initEnd.packageSizeEstimated, undefined, 'measured by now');
      exact = initEnd.packageBytes;
      assert.ok(exact > 1_000_000, `the package holds node_modules: ${exact} bytes`);
    } finally {
      await first.stop();
    }

    const second = await launchColdstart(config, args);
    try {
      // The first cold start of the second run: the saved sizes make the estimate exact at once.
      const res = await fetch(`${second.url}/hello`);
      assert.equal(res.status, 200);
      const initEnd = JSON.parse(await second.waitForLine(/"type":"instance\.init\.end"/)) as InitEnd;
      assert.equal(initEnd.packageSizeEstimated, undefined);
      assert.equal(initEnd.packageBytes, exact);
    } finally {
      await second.stop();
    }
  });
});
