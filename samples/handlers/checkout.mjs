// Checkout, with provisionedConcurrency 5: five instances are initialized before traffic arrives
// (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency). A sixth concurrent request finds them
// all busy and spills over to an on-demand instance, which starts cold.
import { setTimeout as sleep } from 'node:timers/promises';
import { bodyOf, json } from '../lib/http.mjs';

const PAYMENT_LATENCY_MS = 800; // the payment provider's answer time

/** POST /checkout: charges the cart (simulated provider call) and says which kind of instance served it. */
export async function handler(event) {
  const cart = bodyOf(event);
  await sleep(PAYMENT_LATENCY_MS);
  return json(200, {
    charged: Number(cart.total ?? 0),
    initType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
  });
}
