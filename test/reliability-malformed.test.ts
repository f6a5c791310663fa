// Malformed input at every surface gets a clear error in that surface's own format and harms
// nothing: bad JSON and impossible function names on the Lambda API, huge headers, bytes that
// are not HTTP, path traversal on the console's static files and in a handler path, garbage on
// the event WebSocket, bad SQS requests. After each, a normal invocation still succeeds.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { eventually } from './helpers/eventually.js';
import { fixture, runColdstart, useColdstart } from './helpers/server.js';

/** One answer, read with node:http so that paths are sent exactly as written (fetch normalizes `..`). */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer within 15 s for ${method} ${path.slice(0, 80)}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends raw bytes and returns whatever the server writes back before it closes (or, if `resetIsEnd`, resets) the connection. */
function rawExchange(port: number, bytes: Buffer, resetIsEnd = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('the server neither answered nor closed within 10 s')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    const received = () => Buffer.concat(chunks).toString('latin1');
    socket.on('error', (err: NodeJS.ErrnoException) => (resetIsEnd && (err.code === 'ECONNRESET' || err.code === 'EPIPE') ? resolve(received()) : reject(err)));
    socket.on('close', () => resolve(received()));
    socket.end(bytes);
  });
}

/** A message from /__coldstart/events. */
interface StreamMessage {
  type: string;
  [key: string]: unknown;
}

/** A WebSocket client on the event stream that keeps every message it gets. */
class EventClient {
  readonly messages: StreamMessage[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(port: number) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/__coldstart/events`);
    this.ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as StreamMessage));
    // A connection the server cuts is what some of these tests expect; the close code tells.
    this.ws.on('error', () => undefined);
    this.opened = once(this.ws, 'open').then(() => undefined);
    this.closed = once(this.ws, 'close').then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  }

  /** Resolves once a message matching `pred` has arrived (earlier ones count). */
  waitFor(pred: (m: StreamMessage) => boolean, timeoutMs = 15_000): Promise<StreamMessage> {
    return eventually(
      () => {
        const found = this.messages.find(pred);
        if (!found) throw new Error(`got ${this.messages.map((m) => m.type).join(', ')}`);
        return found;
      },
      timeoutMs,
      'a matching event',
      25,
    );
  }
}

const lambdaError = (a: Answer) => ({ status: a.status, type: a.headers['x-amzn-errortype'], body: JSON.parse(a.body) });

describe('reliability: malformed input at each surface', () => {
  let port = 0;
  let serial = 0;

  /** A normal invocation through the Lambda API and through the REST API both still succeed. */
  async function stillServes(): Promise<string> {
    const id = ++serial;
    const direct = await request(port, 'POST', '/2015-03-31/functions/ok/invocations', { body: JSON.stringify({ id }) });
    assert.equal(direct.status, 200, direct.body);
    assert.equal(direct.headers['x-amz-function-error'], undefined);
    assert.equal(JSON.parse(JSON.parse(direct.body).body).id, id);
    const viaGateway = await request(port, 'GET', `/dev/ok?id=${id}`);
    assert.equal(viaGateway.status, 200, viaGateway.body);
    assert.deepEqual(JSON.parse(viaGateway.body), { ok: true, id: String(id) });
    assert.equal(server.child.exitCode, null, 'the server is still running');
    return direct.headers['x-amzn-requestid'] as string;
  }

  const server = useColdstart(fixture('reliability', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { cleanExit: true });

  before(async () => {
    port = server.port;
    await stillServes();
  });

  test('Lambda API: a payload that is not JSON is 400 InvalidRequestContentException', async () => {
    for (const body of ['{bad', '{"id": 1', '\u0000\u0001garbage', 'undefined']) {
      const a = lambdaError(await request(port, 'POST', '/2015-03-31/functions/ok/invocations', { body }));
      assert.equal(a.status, 400, `payload ${JSON.stringify(body)}`);
      assert.equal(a.type, 'InvalidRequestContentException');
      assert.match(a.body.message, /^Could not parse request body into json/);
    }
    // The management operations parse their bodies too.
    const put = lambdaError(await request(port, 'PUT', '/2017-10-31/functions/ok/concurrency', { body: '{"ReservedConcurrentExecutions": ' }));
    assert.equal(put.status, 400);
    assert.equal(put.type, 'InvalidRequestContentException');
    await stillServes();
  });

  test('Lambda API: malformed function names are 400 ValidationException, unknown ones 404 ResourceNotFoundException', async () => {
    const malformed = ['..%2F..%2Fpackage.json', 'ok%00', '%ZZ%E0%A4' /* not valid percent-encoding at all */, 'x'.repeat(2000), 'a%20b'];
    for (const name of malformed) {
      for (const [method, path] of [
        ['POST', `/2015-03-31/functions/${name}/invocations`],
        ['GET', `/2015-03-31/functions/${name}`],
      ] as const) {
        const a = await request(port, method, path, { body: method === 'POST' ? '{}' : undefined });
        assert.equal(a.status, 400, `${method} ${path.slice(0, 80)}: ${a.body.slice(0, 200)}`);
        assert.equal(a.headers['x-amzn-errortype'], 'ValidationException', `${method} ${path.slice(0, 80)}`);
        assert.match(JSON.parse(a.body).message, /^1 validation error detected: Value '.*' at 'functionName' failed to satisfy constraint/s);
      }
    }
    const names = ['nope', '%2e%2e', 'arn:aws:lambda:us-east-1:000000000000:function:nope'];
    for (const name of names) {
      for (const [method, path] of [
        ['POST', `/2015-03-31/functions/${name}/invocations`],
        ['GET', `/2015-03-31/functions/${name}`],
      ] as const) {
        const a = await request(port, method, path, { body: method === 'POST' ? '{}' : undefined });
        assert.equal(a.status, 404, `${method} ${path.slice(0, 80)}: ${a.body.slice(0, 200)}`);
        assert.equal(a.headers['x-amzn-errortype'], 'ResourceNotFoundException', `${method} ${path.slice(0, 80)}`);
        assert.match(JSON.parse(a.body).message, /^Function not found: arn:aws:lambda:/);
      }
    }
    // `..` segments sent literally leave the Lambda API's paths: the gateway's catch-all answers.
    const climbed = await request(port, 'POST', '/2015-03-31/functions/../../package.json/invocations', { body: '{}' });
    assert.equal(climbed.status, 404);
    assert.equal(climbed.body, '{"message":"Not Found"}');
    await stillServes();
  });

  test('a 100 KB header is refused with 431 on every surface, and the server stays up', async () => {
    const huge = 'h'.repeat(100 * 1024);
    for (const path of ['/2015-03-31/functions/ok', '/dev/ok', '/ok', '/__coldstart/state', `/dev/ok?pad=${'p'.repeat(64 * 1024)}`]) {
      // Node answers 431 and closes with most of the header unread, which resets the connection;
      // read the answer off the raw socket, which keeps what arrived before the reset (a rare
      // reset that beats the answer is tried again).
      const seen: string[] = [];
      while (seen.length < 5 && !seen.includes('431')) {
        const reply = await rawExchange(port, Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${huge}\r\n\r\n`), true);
        seen.push(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? `nothing (${reply.slice(0, 40)})`);
      }
      assert.ok(seen.includes('431'), `${path.slice(0, 40)}: ${seen.join(', ')}`);
      assert.deepEqual(seen.filter((s) => s !== '431' && !s.startsWith('nothing')), [], path.slice(0, 40));
    }
    await stillServes();
  });

  test('bytes that are not HTTP get 400 Bad Request and a closed connection', async () => {
    const reply = await rawExchange(port, Buffer.from('\u0000\u00ffGARBAGE \r\n\u0007\r\n\r\n', 'latin1'));
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request/);
    const badVersion = await rawExchange(port, Buffer.from('GET /dev/ok HTTP/9.9\r\nHost: x\r\n\r\n'));
    assert.match(badVersion, /^HTTP\/1\.1 (400|505)/);
    await stillServes();
  });

  test("path traversal on the console's static files never serves a file outside them", async () => {
    const index = await request(port, 'GET', '/__coldstart/');
    assert.equal(index.status, 200, 'the console page itself is served (the static handler is live)');
    const paths = [
      '/__coldstart/../package.json',
      '/__coldstart/../../package.json',
      '/__coldstart/../../../package.json',
      '/__coldstart/%2e%2e/%2e%2e/package.json',
      '/__coldstart/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/__coldstart/..%2f..%2f..%2fpackage.json',
      '/__coldstart/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '/__coldstart/%252e%252e/%252e%252e/package.json',
      '/__coldstart/....//....//....//package.json',
      '/__coldstart/..\\..\\..\\package.json',
      '/__coldstart/%2e%2e%5c%2e%2e%5c%2e%2e%5cpackage.json',
      '/__coldstart/index.html%00.json',
      '/__coldstart/%ZZ',
      '/__coldstart/../../../../../../../../etc/passwd',
      '/__coldstart/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const path of paths) {
      const a = await request(port, 'GET', path);
      assert.notEqual(a.status, 200, `${path} answered 200: ${a.body.slice(0, 200)}`);
      assert.ok(a.status >= 400 && a.status < 500, `${path}: ${a.status}`);
      assert.doesNotMatch(a.body, /"name": "coldstart"|root:x:0:0/, `${path} leaked a file`);
      assert.doesNotMatch(a.body, /at [\w.]+ \(|node_modules/, `${path} leaked a stack trace`);
    }
    await stillServes();
  });

  test('a handler path that climbs out of the service stops start-up with exit 2 and a clear error', async (t) => {
    for (const [file, handler] of [
      ['serverless.yml', '../../../../../../../../../../../../etc/passwd.handler'],
      ['absolute.yml', '/etc/passwd.handler'],
    ] as const) {
      const config = fixture('reliability', 'traversal', file);
      const { code, stdout, stderr } = await runColdstart(t, ['start', '--config', config, '--port', '0', '--host', '127.0.0.1', '--no-watch']);
      assert.equal(code, 2, stderr);
      assert.doesNotMatch(stdout, /listening/, 'nothing starts');
      assert.ok(stderr.includes(`${file}:`), `names the file: ${stderr}`);
      assert.match(stderr, /function "sneaky", key "functions\.sneaky\.handler"/);
      assert.ok(stderr.includes(`handler file not found for "${handler}"`), stderr);
      assert.match(stderr, /etc\/passwd\.js/, 'says where it looked');
      assert.doesNotMatch(stderr, /root:x:0:0/);
    }
    await stillServes();
  });

  test('garbage on the event WebSocket closes only that connection; other clients keep receiving', async () => {
    const observer = new EventClient(port);
    await observer.opened;
    await observer.waitFor((m) => m.type === 'snapshot');

    // Messages the server has no use for (binary junk, text that is not JSON) are ignored.
    const chatty = new EventClient(port);
    await chatty.opened;
    chatty.ws.send(Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x80, 0x81]));
    chatty.ws.send('{"type": "invoke", "function": ');
    chatty.ws.send('not json at all \u0000');
    let requestId = await stillServes();
    for (const client of [observer, chatty]) {
      await client.waitFor((m) => m.type === 'invoke.end' && m.requestId === requestId && m.function === 'ok');
    }
    assert.equal(chatty.ws.readyState, WebSocket.OPEN, 'ignored, not punished');

    // A message over the stream's 64 KB limit: that connection is closed with 1009.
    const flooder = new EventClient(port);
    await flooder.opened;
    flooder.ws.send('x'.repeat(1024 * 1024));
    assert.equal((await flooder.closed).code, 1009);

    // Bytes that are no WebSocket frame (a reserved opcode, unmasked): closed with 1002.
    const scribbler = new EventClient(port);
    await scribbler.opened;
    const socket = (scribbler.ws as unknown as { _socket: net.Socket })._socket;
    socket.write(Buffer.from([0x8f, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
    assert.equal((await scribbler.closed).code, 1002);

    // An upgrade request that is no WebSocket handshake is refused over HTTP.
    const badHandshake = await rawExchange(
      port,
      Buffer.from('GET /__coldstart/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: !!\r\n\r\n'),
    );
    assert.match(badHandshake, /^HTTP\/1\.1 400 /);

    requestId = await stillServes();
    for (const client of [observer, chatty]) {
      await client.waitFor((m) => m.type === 'invoke.end' && m.requestId === requestId);
    }
    observer.ws.close();
    chatty.ws.close();
  });

  test('SQS: a body that is not JSON and an unknown X-Amz-Target get clear AWS JSON errors', async () => {
    const sqs = (target: string, body: string) =>
      request(port, 'POST', '/', { body, headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' } });
    const cases = [
      ['AmazonSQS.SendMessage', '{"QueueUrl": ', 'SerializationException', /not valid JSON/],
      ['AmazonSQS.SendMessage', '[1, 2]', 'SerializationException', /must be a JSON object/],
      ['AmazonSQS.NoSuchAction', '{}', 'UnsupportedOperation', /does not emulate the SQS action NoSuchAction/],
      ['AmazonSQS.__proto__', '{}', 'UnsupportedOperation', /__proto__/],
      ['AmazonSQS.constructor', '{}', 'UnsupportedOperation', /constructor/],
    ] as const;
    for (const [target, body, type, message] of cases) {
      const a = await sqs(target, body);
      assert.equal(a.status, 400, `${target} ${body}: ${a.body}`);
      assert.match(String(a.headers['content-type']), /application\/x-amz-json-1\.0/);
      const parsed = JSON.parse(a.body);
      assert.equal(parsed.__type, `com.amazonaws.sqs#${type}`);
      assert.match(parsed.message, message);
    }
    await stillServes();
  });
});
