// The price table of the cost engine: US East (N. Virginia), USD. Every value names its source;
// every one can be overridden under custom.coldstart.prices (same keys).
import { ColdstartError } from '../types/errors.js';

/** A tiered price: `upTo` is the monthly quantity where the tier ends (Infinity for the last). */
export interface Tier {
  upTo: number;
  price: number;
}

/** Prices of one CPU architecture. */
export interface ArchitecturePrices {
  /** USD per GB-second of on-demand Duration, tiered by monthly GB-seconds of the architecture. */
  durationPerGbSecond: Tier[];
  /** USD per GB-second of provisioned concurrency configured. */
  provisionedPerGbSecond: number;
  /** USD per GB-second of Duration of invocations served by provisioned concurrency. */
  provisionedDurationPerGbSecond: number;
}

/** The whole table. */
export interface PriceTable {
  /** USD per Lambda request (both architectures). */
  requestPrice: number;
  x86_64: ArchitecturePrices;
  arm64: ArchitecturePrices;
  /** USD per REST API call, tiered by monthly calls. */
  restApiPerCall: Tier[];
  /** USD per HTTP API call, tiered by monthly calls. */
  httpApiPerCall: Tier[];
  /** USD per SQS standard-queue request (after the free tier). */
  sqsPerRequest: number;
  /** Monthly free tier, applied with --free-tier only. */
  freeTier: { lambdaRequests: number; lambdaGbSeconds: number; apiCalls: number; sqsRequests: number };
}

/** Hours in the month the cost is extrapolated to (AWS's pricing examples use 730). */
export const HOURS_PER_MONTH = 730;

const M = 1_000_000;

/** The default table. */
export const DEFAULT_PRICES: PriceTable = {
  // https://aws.amazon.com/lambda/pricing/ "Requests: $0.20 per 1M requests" (x86 and Arm alike).
  requestPrice: 0.2 / M,
  x86_64: {
    // https://aws.amazon.com/lambda/pricing/ x86, US East (N. Virginia): first 6 billion GB-seconds/month
    // $0.0000166667, next 9 billion $0.000015, over 15 billion $0.0000133334.
    durationPerGbSecond: [
      { upTo: 6e9, price: 0.0000166667 },
      { upTo: 15e9, price: 0.000015 },
      { upTo: Infinity, price: 0.0000133334 },
    ],
    // https://aws.amazon.com/lambda/pricing/ "Provisioned Concurrency Pricing", x86: $0.0000041667 per
    // GB-second configured, Duration $0.0000097222 per GB-second.
    provisionedPerGbSecond: 0.0000041667,
    provisionedDurationPerGbSecond: 0.0000097222,
  },
  arm64: {
    // https://aws.amazon.com/lambda/pricing/ Arm: first 7.5 billion GB-seconds/month $0.0000133334,
    // next 11.25 billion $0.0000120001, over 18.75 billion $0.0000106667.
    durationPerGbSecond: [
      { upTo: 7.5e9, price: 0.0000133334 },
      { upTo: 18.75e9, price: 0.0000120001 },
      { upTo: Infinity, price: 0.0000106667 },
    ],
    // https://aws.amazon.com/lambda/pricing/ "Provisioned Concurrency Pricing", Arm: $0.0000033334 per
    // GB-second configured, Duration $0.0000077778 per GB-second.
    provisionedPerGbSecond: 0.0000033334,
    provisionedDurationPerGbSecond: 0.0000077778,
  },
  // https://aws.amazon.com/api-gateway/pricing/ REST APIs: first 333 million calls/month $3.50 per
  // million, next 667 million $2.80, next 19 billion $2.38, over 20 billion $1.51.
  restApiPerCall: [
    { upTo: 333e6, price: 3.5 / M },
    { upTo: 1e9, price: 2.8 / M },
    { upTo: 20e9, price: 2.38 / M },
    { upTo: Infinity, price: 1.51 / M },
  ],
  // https://aws.amazon.com/api-gateway/pricing/ HTTP APIs: first 300 million requests/month $1.00 per
  // million, over 300 million $0.90 (requests metered in 512 KB increments; simulated ones are small).
  httpApiPerCall: [
    { upTo: 300e6, price: 1 / M },
    { upTo: Infinity, price: 0.9 / M },
  ],
  // https://aws.amazon.com/sqs/pricing/ Standard queue: $0.40 per million requests after the first
  // million each month (each 64 KB chunk of a payload is one request).
  sqsPerRequest: 0.4 / M,
  // https://aws.amazon.com/lambda/pricing/ "The AWS Lambda free tier includes one million free requests
  // per month and 400,000 GB-seconds of compute time per month"; https://aws.amazon.com/api-gateway/pricing/
  // one million API calls a month for the first 12 months; https://aws.amazon.com/sqs/pricing/ first
  // one million requests a month free.
  freeTier: { lambdaRequests: 1e6, lambdaGbSeconds: 400_000, apiCalls: 1e6, sqsRequests: 1e6 },
};

/** The cost of `quantity` units under a tiered price. */
export function tieredCost(quantity: number, tiers: Tier[]): number {
  let cost = 0;
  let from = 0;
  for (const t of tiers) {
    if (quantity <= from) break;
    cost += (Math.min(quantity, t.upTo) - from) * t.price;
    from = t.upTo;
  }
  return cost;
}

/** The default table with the user's overrides (custom.coldstart.prices) merged in, key by key. */
export function pricesWith(overrides: unknown): PriceTable {
  if (overrides === undefined || overrides === null) return DEFAULT_PRICES;
  const merged = structuredClone(DEFAULT_PRICES) as unknown as Record<string, unknown>;
  const walk = (target: Record<string, unknown>, source: unknown, at: string): void => {
    if (typeof source !== 'object' || source === null || Array.isArray(source)) {
      throw new ColdstartError('CONFIG_INVALID', `custom.coldstart.prices${at} must be a map of price keys`, { key: `custom.coldstart.prices${at}` });
    }
    for (const [k, v] of Object.entries(source)) {
      const key = `custom.coldstart.prices${at}.${k}`;
      if (!(k in target)) throw new ColdstartError('CONFIG_INVALID', `unknown price "${k}"; known: ${Object.keys(target).join(', ')}`, { key });
      const cur = target[k];
      if (typeof cur === 'number') {
        if (typeof v !== 'number' || !(v >= 0)) throw new ColdstartError('CONFIG_INVALID', `a price must be a number >= 0 (USD), got ${JSON.stringify(v)}`, { key });
        target[k] = v;
      } else if (Array.isArray(cur)) {
        if (typeof v === 'number' && v >= 0) target[k] = [{ upTo: Infinity, price: v }];
        else if (Array.isArray(v) && v.every((t) => typeof t?.price === 'number')) {
          target[k] = v.map((t: { upTo?: number; price: number }) => ({ upTo: t.upTo ?? Infinity, price: t.price }));
        } else throw new ColdstartError('CONFIG_INVALID', 'a tiered price is a number or a list of {upTo, price}', { key });
      } else walk(cur as Record<string, unknown>, v, `${at}.${k}`);
    }
  };
  walk(merged, overrides, '');
  return merged as unknown as PriceTable;
}
