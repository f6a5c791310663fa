// Users, read from a database. `pooled` keeps its connection at module scope: the first call of an
// instance connects, warm calls reuse it (what `new pg.Pool()` at module scope does). `perCall`
// connects and disconnects inside the handler: every call pays the connect time and opens one more
// connection on the database.
import { connect, connectionStats } from '../lib/fake-db.mjs';
import { json } from '../lib/http.mjs';

const SQL = 'select id, name from users where id = $1';

let connection;

// One connection per instance, reopened only if it was lost.
async function shared() {
  connection ??= connect().catch((err) => {
    connection = undefined;
    throw err;
  });
  return connection;
}

/** GET /users/pooled/{id}: uses the instance's connection. */
export async function pooled(event) {
  const db = await shared();
  const { rows } = await db.query(SQL, [event?.pathParameters?.id ?? event?.id]);
  return json(200, { user: rows[0], connection: db.id, connections: connectionStats() });
}

/** GET /users/per-call/{id}: opens and closes a connection on every call. */
export async function perCall(event) {
  const db = await connect();
  let rows;
  try {
    ({ rows } = await db.query(SQL, [event?.pathParameters?.id ?? event?.id]));
  } finally {
    await db.end();
  }
  return json(200, { user: rows[0], connection: db.id, connections: connectionStats() });
}
