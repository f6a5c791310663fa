// The order store both order handlers read: a small in-memory catalogue standing in for a table.
const ORDERS = new Map([
  ['1', { id: '1', status: 'shipped', total: 42.5 }],
  ['2', { id: '2', status: 'pending', total: 12.0 }],
  ['42', { id: '42', status: 'delivered', total: 99.9 }],
]);

/** The order with this id, or null. */
export function findOrder(id) {
  return ORDERS.get(String(id)) ?? null;
}
