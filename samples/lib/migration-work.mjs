// The migration's unit of work: rewrite records [from, to) of a table. Each record costs about
// RECORD_WRITE_MS of database time (written in chunks of CHUNK records), so a million records take
// about 1,000 s: more than Lambda's 15-minute cap on one invocation.
import { setTimeout as sleep } from 'node:timers/promises';

const RECORD_WRITE_MS = 1;
const CHUNK = 100;

/** Rewrites records [from, to); resolves with how many it wrote. */
export async function migrateRange(from, to) {
  let written = 0;
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    const rows = [];
    for (let id = start; id < end; id++) rows.push({ id, email: `user${id}@example.com`.toLowerCase(), migrated: true });
    await sleep(rows.length * RECORD_WRITE_MS); // the chunk's write round trip
    written += rows.length;
  }
  return written;
}

/** Splits [0, total) into batches of `size`. */
export function batches(total, size) {
  const out = [];
  for (let from = 0; from < total; from += size) out.push({ from, to: Math.min(from + size, total) });
  return out;
}
