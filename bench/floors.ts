// Baselines measured in the same run: the same handler called in-process behind a bare express app
// (the framework floor) and behind bare node:http (the absolute floor), and on bare worker threads
// behind node:http (the floor of any design that runs handlers off the main thread).
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** A listening floor server. */
export interface Floor {
  url: string;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<Floor> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}

function readAll(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
  });
}

/** The handler behind a bare express app, on any path. */
export function expressFloor(handler: Handler): Promise<Floor> {
  const app = express();
  app.set('etag', false);
  app.use(async (req, res) => {
    const body = await readAll(req);
    const result = await handler(body ? JSON.parse(body) : {}, {});
    res.set('Content-Type', 'application/json').send(JSON.stringify(result));
  });
  return listen(http.createServer(app));
}

/** The handler behind bare node:http, on any path. */
export function nodeFloor(handler: Handler): Promise<Floor> {
  return listen(
    http.createServer(async (req, res) => {
      const body = await readAll(req);
      const result = await handler(body ? JSON.parse(body) : {}, {});
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
    }),
  );
}

// A thread that imports the handler module and answers each event (JSON text) with its result.
const ECHO_THREAD = (handlerUrl: string) => `import { parentPort } from 'node:worker_threads';
const { handler } = await import(${JSON.stringify(handlerUrl)});
parentPort.on('message', async (json) => parentPort.postMessage(JSON.stringify(await handler(JSON.parse(json), {}))));
parentPort.postMessage('ready');`;

/**
 * The handler (a module exporting `handler` that returns a proxy response) on `threads` bare
 * worker threads behind node:http: each request goes, as a small JSON event (path, headers,
 * body), to the most recently freed thread, and its result comes back as the response. No
 * lifecycle, accounting, events, logs or API Gateway event shape: what is left is the thread
 * round trip itself.
 */
export async function workerFloor(handlerUrl: string, threads: number): Promise<Floor> {
  const source = new URL(`data:text/javascript,${encodeURIComponent(ECHO_THREAD(handlerUrl))}`);
  const all = await Promise.all(
    Array.from({ length: threads }, () => new Promise<Worker>((resolve, reject) => {
      const w = new Worker(source);
      w.once('message', () => resolve(w));
      w.once('error', reject);
    })),
  );
  const idle = [...all];
  const waiting: ((w: Worker) => void)[] = [];
  const call = (json: string) => new Promise<string>((resolve) => {
    const use = (w: Worker) => {
      w.once('message', (out: string) => {
        resolve(out);
        const next = waiting.shift();
        if (next) next(w);
        else idle.push(w);
      });
      w.postMessage(json);
    };
    const w = idle.pop();
    if (w) use(w);
    else waiting.push(use);
  });
  const floor = await listen(
    http.createServer(async (req, res) => {
      const body = await readAll(req);
      const out = JSON.parse(await call(JSON.stringify({ path: req.url, headers: req.headers, body }))) as { statusCode: number; headers?: Record<string, string>; body: string };
      res.writeHead(out.statusCode, out.headers).end(out.body);
    }),
  );
  return {
    url: floor.url,
    close: async () => {
      await floor.close();
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
