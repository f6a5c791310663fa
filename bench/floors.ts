// Baselines measured in the same run: the same handler called in-process behind a bare express app
// (the framework floor) and behind bare node:http (the absolute floor).
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
