// The main module of an instance's child process (`isolation: process`): the runtime of a thread
// (entry.ts), with the IPC channel to the emulator where a thread has its MessagePort.
import run from './entry.js';
import type { InstancePort, InvokeTask, ProcessInbound, ProcessOutbound } from './protocol.js';

function send(message: ProcessOutbound, then?: () => void): void {
  process.send?.(message, undefined, {}, then);
}

let onInvoke: ((task: InvokeTask) => void) | undefined;
const port: InstancePort = {
  on: (_event, listener) => (onInvoke = listener),
  postMessage: (message) => send(message),
};

// An uncaught error ends the environment, as it ends a worker thread; the emulator reports it by
// name, so it is sent before the exit.
function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  send({ kind: 'fatal', name: e.name, message: e.message }, () => process.exit(1));
}

process.on('message', (m: ProcessInbound) => {
  if (m.kind === 'invoke') onInvoke?.(m);
  else run({ ...m, port }).then((result) => send({ kind: 'init-done', result: result! }), fail);
});
process.on('uncaughtException', fail);
// The emulator is gone (even killed): so is its environment, with whatever the handler started
// (the process leads its own process group).
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(0);
  }
});
send({ kind: 'ready' });
