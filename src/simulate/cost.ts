// The cost engine: a simulated window's usage extrapolated to a month and priced as AWS bills it.
import { DEFAULT_PRICES, HOURS_PER_MONTH, tieredCost, type PriceTable } from './prices.js';

/** CPU architecture (changes only the price: the model has no separate arm64 speed). */
export type Architecture = 'x86_64' | 'arm64';

/** What one function used in the simulated window. */
export interface FunctionUsage {
  memoryMb: number;
  architecture: Architecture;
  /** Provisioned concurrency configured. */
  provisioned: number;
  /** Hours a month the provisioned concurrency stays configured (default: the whole month). */
  provisionedHours?: number;
  invocations: number;
  /** Sum of Billed Duration (ms) on on-demand instances, init of cold starts included. */
  onDemandBilledMs: number;
  /** Sum of Billed Duration (ms) of invocations served by provisioned instances. */
  provisionedBilledMs: number;
  restApiCalls: number;
  httpApiCalls: number;
  sqsMessages: number;
}

/** Monthly cost in USD, by part. */
export interface MonthlyCost {
  total: number;
  lambdaRequests: number;
  lambdaDuration: number;
  provisionedConcurrency: number;
  provisionedDuration: number;
  apiGatewayRest: number;
  apiGatewayHttp: number;
  sqs: number;
}

/** SQS requests per message: SendMessage, then the poller's ReceiveMessage and DeleteMessage (batches of one). */
export const SQS_REQUESTS_PER_MESSAGE = 3;

/** Prices a window of `windowMs` of usage as a month. */
export function monthlyCost(
  usage: FunctionUsage[],
  windowMs: number,
  options: { prices?: PriceTable; freeTier?: boolean } = {},
): MonthlyCost {
  const prices = options.prices ?? DEFAULT_PRICES;
  const scale = (HOURS_PER_MONTH * 3_600_000) / windowMs;
  const gbSeconds: Record<Architecture, number> = { x86_64: 0, arm64: 0 };
  let requests = 0;
  let provisionedConcurrency = 0;
  let provisionedDuration = 0;
  let rest = 0;
  let http = 0;
  let sqs = 0;
  for (const u of usage) {
    const gb = u.memoryMb / 1024;
    const arch = prices[u.architecture];
    requests += u.invocations * scale;
    gbSeconds[u.architecture] += (u.onDemandBilledMs / 1000) * gb * scale;
    provisionedConcurrency += u.provisioned * gb * (u.provisionedHours ?? HOURS_PER_MONTH) * 3600 * arch.provisionedPerGbSecond;
    provisionedDuration += (u.provisionedBilledMs / 1000) * gb * scale * arch.provisionedDurationPerGbSecond;
    rest += u.restApiCalls * scale;
    http += u.httpApiCalls * scale;
    sqs += u.sqsMessages * SQS_REQUESTS_PER_MESSAGE * scale;
  }
  const free = options.freeTier ? prices.freeTier : { lambdaRequests: 0, lambdaGbSeconds: 0, apiCalls: 0, sqsRequests: 0 };
  // The free GB-seconds go to x86 first, then Arm: one allowance for both architectures.
  let freeGbs = free.lambdaGbSeconds;
  let lambdaDuration = 0;
  for (const a of ['x86_64', 'arm64'] as const) {
    const billable = Math.max(0, gbSeconds[a] - freeGbs);
    freeGbs = Math.max(0, freeGbs - gbSeconds[a]);
    lambdaDuration += tieredCost(billable, prices[a].durationPerGbSecond);
  }
  let freeCalls = free.apiCalls;
  const restBillable = Math.max(0, rest - freeCalls);
  freeCalls = Math.max(0, freeCalls - rest);
  const parts = {
    lambdaRequests: Math.max(0, requests - free.lambdaRequests) * prices.requestPrice,
    lambdaDuration,
    provisionedConcurrency,
    provisionedDuration,
    apiGatewayRest: tieredCost(restBillable, prices.restApiPerCall),
    apiGatewayHttp: tieredCost(Math.max(0, http - freeCalls), prices.httpApiPerCall),
    sqs: Math.max(0, sqs - free.sqsRequests) * prices.sqsPerRequest,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { total, ...parts };
}
