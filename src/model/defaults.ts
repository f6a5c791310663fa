// Default coefficients of the cold-start and CPU model. Every coefficient's public
// source is in docs/cold-start-model.md.
import type { ModelCoefficients } from '../types/config.js';

/** The model's defaults; every one can be overridden under custom.coldstart.model. */
export const DEFAULT_MODEL: Readonly<ModelCoefficients> = Object.freeze({
  runtimeBaseMs: 140, // nodejs20.x/22.x zip x86_64 hello-world Init Duration median 138-141 ms
  cpuSlowdown: 1.5, // Lambda vCPU vs a developer core; unverified, plausible 1.0-3.0
  mbPerVcpu: 1769, // "At 1,769 MB, a function has the equivalent of one vCPU"
  onDemandInitFactor: 1.0, // on-demand init gets ~2 unthrottled vCPUs whatever the memory
  onDemandInitFactorLarge: 0.87, // heavy inits 10-20 % faster at >= 2 GB (1.77 -> 1.53 s, 3.9 -> 3.4 s)
  largeMemoryMb: 2048, // see docs/cold-start-model.md
  platformBaseMs: 120, // shilkov end-to-end 264 ms minus lambda-perf Init Duration ~135 ms
  platformPerPackageMbMs: 2, // unverified; no source isolates download/unzip from require cost
  vpcMs: 100, // +80-230 ms median after Hyperplane ENIs (2019-2021)
  jitterSigma: 0.15, // shilkov JS 67 % band about +-15-20 %
  tailProbability: 0.04, // p97.5 about 2.25x the median
  tailMin: 1.5,
  tailMax: 2.5,
  initTimeoutMs: 10_000, // on-demand init limited to 10 s
});

/** Emulator defaults that are not model coefficients. */
export const DEFAULT_SETTINGS = Object.freeze({
  accountConcurrency: 1000, // default regional quota
  idleTimeout: 360, // 2021 measurements, idle instances recycled after 5-7 minutes
  coldStart: 'realistic' as const,
  seed: 1,
  isolation: 'thread', // 'process' costs cold-start time and some warm throughput (the isolation benchmark)
  spareThreads: 0, // booted environments kept per memory size; none unless asked for (each holds ~8 MB)
  asyncRetryDelays: [60, 120], // function errors of async invocations retried twice, after 1 and 2 minutes
  isOffline: true, // IS_OFFLINE=true in every instance, as serverless-offline sets it
  gatewayTimeoutRest: 29, // API Gateway REST integration timeout
  gatewayTimeoutHttpApi: 30, // HTTP API integration timeout
});
