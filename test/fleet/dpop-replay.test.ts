import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { createRedisDpopReplayStore } from '../../src/token/dpop-replay.js';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { send } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { HAS_REDIS_SERVER, startTestRedis, type TestRedis } from './redis-server.js';

// RFC 9449 §11.1: a proof used on one member of a fleet is refused on every other member.
// Both members sit "behind one proxy": AUTH_PUBLIC_URL is the URL the client calls.
const PUBLIC_URL = 'http://127.0.0.1:8443';

describe.skipIf(!HAS_REDIS_SERVER)('DPoP replay across a fleet (real Redis)', () => {
  let redis: TestRedis;
  let issuer: TestIssuer;
  let key: DpopKey;
  const servers: GatepassServer[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    issuer = await startTestIssuer();
    key = await dpopKey('ES256');
    for (let i = 0; i < 2; i++) {
      const env = { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, AUTH_DPOP: 'allowed', AUTH_PUBLIC_URL: PUBLIC_URL, REDIS_URL: redis.url, PORT: '0', LOG_LEVEL: 'silent' };
      const server = await createServer(loadConfig(env), { schema: exampleServerSchema });
      servers.push(server);
      urls.push(await server.listen());
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await issuer?.close();
    await redis?.close();
  });

  const call = (url: string, token: string, proof: string) =>
    send(url, { headers: [['content-type', 'application/json'], ['authorization', `DPoP ${token}`], ['dpop', proof]], body: JSON.stringify({ query: '{ me { id } }' }) });

  it('a proof accepted by one instance is refused by the other', async () => {
    const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
    const proof = await key.proof('POST', `${PUBLIC_URL}/graphql`, token);
    expect((await call(urls[0]!, token, proof)).json).toEqual({ data: { me: { id: 'u1' } } });
    const replayed = await call(urls[1]!, token, proof);
    expect(replayed.status).toBe(401);
    expect(replayed.json).toEqual({ errors: [{ message: 'dpop proof was already used', extensions: { code: 'UNAUTHENTICATED' } }] });
    // A fresh proof still passes on the second instance.
    expect((await call(urls[1]!, token, await key.proof('POST', `${PUBLIC_URL}/graphql`, token))).json).toEqual({ data: { me: { id: 'u1' } } });
  });

  it('stores each proof once with SET NX and a TTL, and answers 503 when Redis is gone', async () => {
    const client = new Redis(redis.url);
    try {
      const store = createRedisDpopReplayStore(client, { prefix: 'test:' });
      expect(await store.claim('k1', 30)).toBe(true);
      expect(await store.claim('k1', 30)).toBe(false);
      const ttl = await client.ttl('test:dpop:jti:k1');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
      client.disconnect();
      await expect(store.claim('k2', 30)).rejects.toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    } finally {
      client.disconnect();
    }
  });
});
