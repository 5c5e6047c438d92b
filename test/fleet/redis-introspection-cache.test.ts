import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createRedisIntrospectionCache } from '../../src/fleet/redis-introspection-cache.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { introspectionFor, policyFor } from '../token/fixtures.js';
import { HAS_REDIS_SERVER, startTestRedis, type TestRedis } from './redis-server.js';

describe.skipIf(!HAS_REDIS_SERVER)('the shared introspection cache', () => {
  let redis: TestRedis;
  let issuer: TestIssuer;
  let connections: Redis[] = [];
  const connect = async () => {
    const connection = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    connection.on('error', () => {});
    connections.push(connection);
    await new Promise((resolve) => connection.once('ready', resolve));
    return connection;
  };
  const instance = (connection: Redis) =>
    createTokenVerifier(policyFor([issuer], { introspection: introspectionFor(issuer, 60) }), {
      keySet: async () => {
        throw new Error('no JWTs here');
      },
      introspectionCache: createRedisIntrospectionCache(connection),
    });

  beforeAll(async () => {
    [redis, issuer] = await Promise.all([startTestRedis(), startTestIssuer({ introspection: true })]);
  });
  afterAll(async () => {
    connections.forEach((c) => c.disconnect());
    connections = [];
    await Promise.all([redis?.close(), issuer?.close()]);
  });

  it('one instance introspects, the others reuse its answer', async () => {
    const [a, b] = [instance(await connect()), instance(await connect())];
    const token = issuer.mintOpaque({ scope: 'read:user', jti: 'op-shared' });
    const before = issuer.introspectionRequests();
    await expect(a.verify(token)).resolves.toMatchObject({ subject: 'u1', tokenId: 'op-shared' });
    await expect(b.verify(token)).resolves.toMatchObject({ subject: 'u1', tokenId: 'op-shared' });
    expect(issuer.introspectionRequests()).toBe(before + 1);
  });

  it('shares refusals for seconds only, keyed by a hash: the token is not in Redis', async () => {
    const connection = await connect();
    const [a, b] = [instance(connection), instance(await connect())];
    const token = issuer.mintOpaque();
    issuer.revokeOpaque(token);
    await expect(a.verify(token)).rejects.toMatchObject({ reason: 'inactive' });
    await expect(b.verify(token)).rejects.toMatchObject({ reason: 'inactive' });
    const keys = await connection.keys('gatepass:introspect:*');
    for (const key of keys) {
      expect(key).not.toContain(token);
      expect(await connection.get(key)).not.toContain(token);
      expect(await connection.pttl(key)).toBeLessThanOrEqual(60_000);
    }
  });

  it('a Redis outage is a cache miss: introspection goes on', async () => {
    const connection = await connect();
    const a = instance(connection);
    await redis.kill();
    try {
      const token = issuer.mintOpaque({ jti: 'op-outage' });
      await expect(a.verify(token)).resolves.toMatchObject({ tokenId: 'op-outage' });
    } finally {
      await redis.restart();
    }
  });
});

describe('REDIS_STALE_SECONDS', () => {
  const base = { AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'api', REDIS_URL: 'redis://127.0.0.1:6379/0' };
  it.each<[string, Record<string, string>, number | string]>([
    ['default', {}, 0],
    ['a whole number of seconds', { REDIS_STALE_SECONDS: '30' }, 30],
    ['negative', { REDIS_STALE_SECONDS: '-1' }, 'REDIS_STALE_SECONDS'],
    ['beyond 300', { REDIS_STALE_SECONDS: '301' }, 'REDIS_STALE_SECONDS'],
    ['not a number', { REDIS_STALE_SECONDS: 'forever' }, 'REDIS_STALE_SECONDS'],
    ['without REDIS_URL', { REDIS_URL: '', REDIS_STALE_SECONDS: '5' }, 'REDIS_STALE_SECONDS'],
  ])('%s', (_name, env, expected) => {
    const load = () => loadConfig({ ...base, ...env });
    if (typeof expected === 'number') expect(load().redisStaleSeconds).toBe(expected);
    else expect(load).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', problems: [expect.objectContaining({ variable: expected })] }));
  });
});
