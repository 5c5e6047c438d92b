import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { connectWs, wsUrl } from '../helpers/ws-client.js';

// graphql-ws on the server's own port and path, the token read at connection_init through the
// one door (authenticate), every refusal a code of the README's close-code table.
let issuer: TestIssuer;
let server: GatepassServer;
let url: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await createServer(
    loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', WS_MAX_CONNECTIONS: '3', WS_INIT_TIMEOUT_MS: '300', WS_MAX_PAYLOAD_BYTES: '2048', WS_MAX_SUBSCRIPTIONS: '2' }),
    { schema: exampleServerSchema },
  );
  url = await server.listen();
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const viewer = '{ viewer { subject scopes } }';

describe('the token at connect', () => {
  it('runs an operation under the verified principal', async () => {
    const ws = connectWs(url, { Authorization: `Bearer ${await issuer.mint({ sub: 'u1', scope: 'read:user' })}` });
    await ws.connected;
    const query = ws.subscribe(viewer);
    await query.done;
    expect(query.events).toEqual([{ data: { viewer: { subject: 'u1', scopes: ['read:user'] } } }]);
    await ws.dispose();
  });

  it('reads the lower-case name as well', async () => {
    const ws = connectWs(url, { authorization: `Bearer ${await issuer.mint({ sub: 'u2', scope: '' })}` });
    const query = ws.subscribe('{ viewer { subject } }');
    await query.done;
    expect(query.events).toEqual([{ data: { viewer: { subject: 'u2' } } }]);
    await ws.dispose();
  });

  it('without a token is anonymous: guarded fields are UNAUTHENTICATED as over HTTP', async () => {
    const ws = connectWs(url);
    await ws.connected;
    const query = ws.subscribe('{ posts { id } viewer { subject } }');
    await query.done;
    expect(query.events).toEqual([{
      data: { posts: [{ id: 'p1' }, { id: 'p2' }], viewer: null },
      errors: [{ message: 'authentication required', locations: [{ line: 1, column: 16 }], path: ['viewer'], extensions: { code: 'UNAUTHENTICATED' } }],
    }]);
    await ws.dispose();
  });
});

describe('refused connects close with the table code and a fixed reason', () => {
  it.each([
    ['an expired token', async () => ({ Authorization: `Bearer ${await issuer.mint({ sub: 'u1', iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 120 })}` }), 4401, 'token expired'],
    ['a bad signature', async () => ({ Authorization: `Bearer ${(await issuer.mint({ sub: 'u1' })).slice(0, -4)}AAAA` }), 4401, 'signature is invalid'],
    ['another scheme', async () => ({ Authorization: 'Basic dTE6cA==' }), 4401, 'authorization scheme is not supported'],
    ['a malformed Authorization', async () => ({ Authorization: 'Bearer a b' }), 4400, 'malformed authorization header'],
    ['two credentials', async () => ({ Authorization: `Bearer ${await issuer.mint()}`, authorization: `Bearer ${await issuer.mint()}` }), 4400, 'more than one authorization header'],
    ['an Authorization that is not a string', async () => ({ Authorization: 42 }), 4400, 'malformed connection params'],
  ])('%s', async (_name, params, code, reason) => {
    const given = await params();
    const ws = connectWs(url, given);
    const closed = await ws.closed;
    expect({ code: closed.code, reason: closed.reason }).toEqual({ code, reason });
    // Never the token in a close reason.
    for (const value of Object.values(given)) if (typeof value === 'string') expect(closed.reason).not.toContain(value.slice(7, 40));
    await ws.dispose();
  });

  it('a token in the URL query is refused (4400), even with a valid connectionParams token', async () => {
    const token = await issuer.mint();
    const ws = connectWs(`${url}?access_token=${token}`, { Authorization: `Bearer ${token}` });
    expect(await ws.closed).toMatchObject({ code: 4400, reason: 'access token must not be sent in the URL' });
    await ws.dispose();
  });

  it('an unreachable key set is 1013, try again later', async () => {
    const other = await startTestIssuer();
    const token = await other.mint();
    const down = await createServer(loadConfig({ AUTH_ISSUER: other.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent' }), { schema: exampleServerSchema });
    const downUrl = await down.listen();
    other.setAvailable(false, 'close');
    try {
      const ws = connectWs(downUrl, { Authorization: `Bearer ${token}` });
      expect(await ws.closed).toMatchObject({ code: 1013, reason: 'token service unavailable' });
      await ws.dispose();
    } finally {
      await down.close();
      await other.close();
    }
  });
});

/** A raw socket speaking the protocol by hand, for what the client library would not send. */
function rawSocket(target: string): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(wsUrl(target), 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('bounds', () => {
  it('closes a socket that never sends connection_init (4408, WS_INIT_TIMEOUT_MS)', async () => {
    const { closed } = await rawSocket(url);
    expect(await closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('closes a socket whose message exceeds WS_MAX_PAYLOAD_BYTES (1009)', async () => {
    const { socket, closed } = await rawSocket(url);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(4096) } }));
    expect((await closed).code).toBe(1009);
  });

  it('closes the connection beyond WS_MAX_CONNECTIONS with 4429', async () => {
    const held = await Promise.all([rawSocket(url), rawSocket(url), rawSocket(url)]);
    const ws = connectWs(url);
    expect(await ws.closed).toMatchObject({ code: 4429, reason: 'too many connections' });
    for (const { socket } of held) socket.terminate();
    await ws.dispose();
  });

  it('closes the socket that starts more than WS_MAX_SUBSCRIPTIONS operations with 4429', async () => {
    const ws = connectWs(url);
    await ws.connected;
    const subs = [1, 2, 3].map(() => ws.subscribe('subscription { postAdded { id } }'));
    expect(await ws.closed).toMatchObject({ code: 4429, reason: 'too many subscriptions' });
    for (const sub of subs) sub.unsubscribe();
    await ws.dispose();
  });

  it('answers 404 to an upgrade on another path', async () => {
    const socket = new WebSocket(wsUrl(url).replace('/graphql', '/other'), 'graphql-transport-ws');
    const status = await new Promise((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode)).once('error', () => resolve('error')));
    expect(status).toBe(404);
  });
});
