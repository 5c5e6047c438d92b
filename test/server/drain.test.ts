import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAfterResponseWhenDraining, drainHttpServer } from '../../src/server/drain.js';

/** A server whose `/slow` answers when `release()` is called, and `/` at once. */
async function startServer(): Promise<{ server: Server; port: number; release: () => void }> {
  let release: () => void = () => undefined;
  const server = createServer((req, res) => {
    closeAfterResponseWhenDraining(server, res);
    if (req.url === '/slow') release = () => res.end('slow done');
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, release: () => release() };
}

/** A raw keep-alive client: what it read, and whether the server closed it. */
function rawClient(port: number): { socket: Socket; read: () => string; closed: Promise<void>; send: (path: string) => void } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, read: () => text, closed, send: (path) => socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`) };
}

const until = async (condition: () => boolean, ms = 2_000) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('drainHttpServer', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('lets an in-flight request finish, refuses new connections, and resolves once every connection ended', async () => {
    const started = await startServer();
    server = started.server;
    const client = rawClient(started.port);
    client.send('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the request has reached the handler

    let drained = false;
    const drain = drainHttpServer(server).then(() => (drained = true));
    await expect(fetch(`http://127.0.0.1:${started.port}/`)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(drained).toBe(false);

    started.release();
    await drain;
    await client.closed;
    expect(client.read()).toMatch(/^HTTP\/1\.1 200/);
    expect(client.read()).toContain('slow done');
  });

  it('closes idle keep-alive connections at once', async () => {
    const started = await startServer();
    server = started.server;
    const client = rawClient(started.port);
    client.send('/');
    await until(() => client.read().includes('ok'));
    expect(client.read()).toMatch(/connection: keep-alive/i);

    await drainHttpServer(server);
    await client.closed;
  });

  it('answers a request sent on a busy keep-alive connection during the drain, then closes it', async () => {
    const started = await startServer();
    server = started.server;
    const busy = rawClient(started.port);
    busy.send('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drain = drainHttpServer(server);
    // Pipelined behind the slow one, after the drain began: answered, and marked the last.
    busy.send('/');
    await new Promise((resolve) => setTimeout(resolve, 50));
    started.release();
    await drain;
    await busy.closed;
    const answers = busy.read().split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toContain('slow done');
    expect(answers[1]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[1]).toMatch(/connection: close/i);
  });

  it('cuts connections still busy after the grace period', async () => {
    const started = await startServer();
    server = started.server;
    const stuck = rawClient(started.port);
    stuck.send('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedAt = Date.now();
    await drainHttpServer(server, 200);
    await stuck.closed;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    expect(stuck.read()).toBe('');
  });

  it('resolves at once for a server that never listened', async () => {
    await drainHttpServer(createServer());
  });
});
