// A stand-in for a database driver (pg, mysql2): connect() costs a TCP + TLS + auth round trip
// (CONNECT_MS), query() a short round trip. It counts the connections it opened in this instance,
// which is what the database's max_connections sees.
import { setTimeout as sleep } from 'node:timers/promises';

const CONNECT_MS = 50;
const QUERY_MS = 2;

let opened = 0;
let open = 0;

/** Opens a connection. */
export async function connect() {
  await sleep(CONNECT_MS);
  opened++;
  open++;
  let closed = false;
  return {
    id: opened,
    async query(sql, params = []) {
      if (closed) throw new Error('connection is closed');
      await sleep(QUERY_MS);
      return { rows: [{ id: params[0] ?? null, name: `user ${params[0] ?? ''}`.trim() }], sql };
    },
    async end() {
      if (!closed) open--;
      closed = true;
    },
  };
}

/** Connections opened by this instance so far, and how many are still open. */
export function connectionStats() {
  return { opened, open };
}
