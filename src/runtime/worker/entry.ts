// Runs inside an instance's worker thread (one thread = one execution environment), or in its child
// process under `isolation: process` (process-entry.ts). It loads the handler module once (the init
// phase) and then runs one invocation at a time, as the Node.js runtime of Lambda does. Module-scope
// state therefore lives exactly as long as this thread (or process).
import { Module } from 'node:module';
import { format } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cpuClockKind, threadTimes } from './cpu-clock.js';
import { MemoryWatch, installMemoryProbe, memoryUsedMb } from '../memory/environment-memory.js';
import { toErrorPayload } from './errors.js';
import { loadHandler } from './handler-resolve.js';
import { callHandler, type ContextCallbacks, type Handler } from './handler-call.js';
import { serializeResult } from './response.js';
import { answerPosted, answerSettled, installUnhandledRejectionReport } from './unhandled.js';
import { trackChildProcesses } from './child-tracker.js';
import type { InitResult, InitTask, InstancePort, InvokeResult, InvokeTask, ThreadTask, WorkerBootData, WorkerLogMessage, WorkerPortMessage } from './protocol.js';

// The thread is booted before it knows its function (a spare, see ../spare-environments.ts): what makes
// it one function's environment arrives with the init task.
let boot: WorkerBootData;
let handler: Handler | undefined;
let currentRequestId: string | undefined;
let logCount = 0;
// The instance's own channel: invocations arrive on it and log lines and results leave on it, in order.
let port: InstancePort | undefined;

function post(msg: WorkerPortMessage): void {
  port?.postMessage(msg);
}

let memoryLimitMb = 0;
// The main thread ends the environment on this message (Lambda kills it over its memory size).
const memoryWatch = new MemoryWatch(() => memoryLimitMb, (usedMb) => post({ kind: 'memory-exceeded', usedMb }));
installMemoryProbe(() => memoryLimitMb);
installUnhandledRejectionReport(post, () => currentRequestId);
trackChildProcesses(post);

// The thread was started with an empty environment; the function's replaces it before its code loads.
function applyEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  // require() read NODE_PATH when the thread booted, before the function's environment was here.
  if (env.NODE_PATH !== undefined) (Module as unknown as { _initPaths(): void })._initPaths();
}

// Console output becomes CloudWatch-style lines tagged with the current request id.
function patchConsole(): void {
  const levels: [keyof Console, string][] = [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
    ['trace', 'TRACE'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const msg: WorkerLogMessage = { kind: 'log', requestId: currentRequestId, level, message: format(...args), time: Date.now() };
      logCount++;
      post(msg);
    };
  }
}

// CPU and run-queue time are 0 when not measured (`--cold-start off`: nothing is modelled from them).
function timed<T>(measureCpu: boolean, fn: () => Promise<T>): Promise<{ value: T; cpuMs: number; queuedMs: number; wallMs: number }> {
  const t0 = measureCpu ? threadTimes() : null;
  const wall0 = performance.now();
  return fn().then((value) => {
    const wallMs = performance.now() - wall0;
    if (!t0) return { value, cpuMs: 0, queuedMs: 0, wallMs };
    const t1 = threadTimes();
    return { value, cpuMs: Math.min(t1.cpuMs - t0.cpuMs, wallMs), queuedMs: t1.queuedMs - t0.queuedMs, wallMs };
  });
}

async function init(task: InitTask): Promise<InitResult> {
  boot = task.boot;
  memoryLimitMb = Number(boot.memoryLimitInMB);
  applyEnvironment(task.env);
  port = task.port;
  port.on('message', (t: InvokeTask) => {
    void invoke(t).then((result) => {
      post({ kind: 'result', result });
      answerPosted();
    });
  });
  patchConsole();
  memoryWatch.arm();
  const { value: error, cpuMs, queuedMs, wallMs } = await timed(task.measureCpu, async () => {
    const loaded = await loadHandler<Handler>(boot.entryFile, boot.handlerExport, process.env._HANDLER ?? boot.handlerExport);
    handler = loaded.handler;
    return loaded.error;
  });
  memoryWatch.disarm();
  const overMb = memoryWatch.overLimitNow();
  if (overMb !== null) {
    // Module scope left more live than the memory size: the main thread ends the environment, and
    // that ends this task too.
    post({ kind: 'memory-exceeded', usedMb: overMb });
    return new Promise<never>(() => undefined);
  }
  return { error, cpuMs, queuedMs, wallMs, cpuClock: cpuClockKind, logCount };
}

// Every field, the callback-style ones included, is in the one literal: adding `succeed`, `fail`
// and `done` afterwards gave each context an out-of-object property store, and until the thread's
// first full collection about half of what an invocation allocated then survived its scavenges
// (ten instance threads spent 203-287 ms in GC over their first 2,000 invocations each, against
// 103-156 ms with this literal).
function makeContext(task: InvokeTask, callbacks: ContextCallbacks): Record<string, unknown> {
  return {
    functionName: boot.functionName,
    functionVersion: boot.functionVersion,
    invokedFunctionArn: boot.invokedFunctionArn,
    memoryLimitInMB: boot.memoryLimitInMB,
    awsRequestId: task.requestId,
    logGroupName: boot.logGroupName,
    logStreamName: boot.logStreamName,
    clientContext: task.clientContext,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, task.deadline - Date.now()),
    // A plain property, read when the callback is called: an accessor pair built per invocation
    // took V8's slow path for defining properties.
    callbackWaitsForEmptyEventLoop: true,
    succeed: callbacks.succeed,
    fail: callbacks.fail,
    done: callbacks.done,
  };
}

async function invoke(task: InvokeTask): Promise<InvokeResult> {
  currentRequestId = task.requestId;
  memoryWatch.arm();
  const { value, cpuMs, queuedMs, wallMs } = await timed(task.measureCpu, async () => {
    if (!handler) return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'handler not loaded', trace: [] } };
    try {
      const event = JSON.parse(task.eventJson) as unknown;
      const value = await callHandler(handler, event, (callbacks) => makeContext(task, callbacks));
      answerSettled();
      return serializeResult(value);
    } catch (err) {
      answerSettled();
      return { error: toErrorPayload(err) };
    }
  });
  memoryWatch.disarm();
  // The spread goes last: `{ ...value, more }` falls off V8's fast path (microseconds a call).
  const result: InvokeResult = {
    cpuMs,
    queuedMs,
    wallMs,
    cpuClock: cpuClockKind,
    memoryUsedMb: memoryUsedMb(memoryLimitMb),
    ...value,
  };
  currentRequestId = undefined;
  return result;
}

/**
 * The piscina task entry point: the init phase, or nothing (a spare thread's check that this module
 * has loaded). Invocations then travel on the port the init task brought, because a piscina task
 * per invocation cost 0.1-0.2 ms and a third of the throughput on the warm path (the core
 * benchmark's warm round trip).
 */
export default function run(task: ThreadTask): Promise<InitResult | null> {
  return task.kind === 'init' ? init(task) : Promise.resolve(null);
}
