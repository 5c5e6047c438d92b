import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openFleet, type Fleet } from '../../src/fleet/open-fleet.js';
import { answer, principalOf, recordingLogger, within } from '../fleet/fleet-helpers.js';
import { HAS_REDIS_SERVER, freePort, startTestRedis, type TestRedis } from '../fleet/redis-server.js';

// Two "instances" (two fleets in one process, each with its own connections and local copy)
// against one real redis-server on loopback.
describe.skipIf(!HAS_REDIS_SERVER)('the Redis revocation store', () => {
  let redis: TestRedis;
  const open: Fleet[] = [];
  const fleet = async (options: { staleSeconds?: number; maxLocalTokens?: number } = {}) => {
    const log = recordingLogger();
    const f = await openFleet(new URL(redis.url), { logger: log.logger, ...options });
    open.push(f);
    return { fleet: f, store: f.revocation, lines: log.lines };
  };
  const hour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
    if (redis.port) {
      redis.resume();
      const admin = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null });
      admin.on('error', () => {});
      await admin.connect().then(() => admin.flushall()).catch(() => redis.restart());
      admin.disconnect();
    }
  });
  afterAll(() => redis?.close());

  it('a revocation on one instance is refused on another within one second', async () => {
    const [a, b] = [await fleet(), await fleet()];
    const victim = principalOf({ jti: 'jti-1' });
    expect(await b.store.isRevoked(victim)).toBe(false);
    await a.store.revokeToken('jti-1', hour());
    const ms = await within(1_000, async () => (await b.store.isRevoked(victim)) === true);
    expect(ms).toBeLessThan(1_000);
    expect(await b.store.isRevoked(principalOf({ jti: 'jti-2' }))).toBe(false);
  });

  it('subject revocations cover earlier tokens only, and widen across instances', async () => {
    const [a, b] = [await fleet(), await fleet()];
    await a.store.revokeSubject('mallory', new Date(Date.now()), hour());
    await within(1_000, async () => (await b.store.isRevoked(principalOf({ sub: 'mallory', ageMs: 5_000 }))) === true);
    expect(await b.store.isRevoked(principalOf({ sub: 'mallory', ageMs: -5_000 }))).toBe(false);
    // An older, narrower revocation from b never narrows a's.
    await b.store.revokeSubject('mallory', new Date(Date.now() - 60_000), hour());
    expect(await a.store.isRevoked(principalOf({ sub: 'mallory', ageMs: 5_000 }))).toBe(true);
  });

  it('a late instance loads the list in force when it starts', async () => {
    const a = await fleet();
    await a.store.revokeToken('early', hour());
    const late = await fleet();
    expect(await late.store.isRevoked(principalOf({ jti: 'early' }))).toBe(true);
  });

  it('keeps entries in Redis no longer than the tokens they cover could live', async () => {
    const a = await fleet();
    await a.store.revokeToken('ttl', new Date(Date.now() + 60_000));
    const admin = new Redis(redis.url);
    const keys = await admin.keys('gatepass:rev:*');
    expect(keys).toHaveLength(1);
    const ttl = await admin.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(keys[0]).not.toContain('ttl'); // ids are hashed: no claim values in key names
    admin.disconnect();
  });

  it('a local copy too small for the list asks Redis on a miss instead of forgetting', async () => {
    const a = await fleet();
    const small = await fleet({ maxLocalTokens: 2 });
    for (let i = 0; i < 6; i++) await a.store.revokeToken(`many-${i}`, hour());
    await within(1_000, () => !small.fleet.readiness().complete);
    for (let i = 0; i < 6; i++) expect(await small.store.isRevoked(principalOf({ jti: `many-${i}` }))).toBe(true);
    expect(await small.store.isRevoked(principalOf({ jti: 'not-revoked' }))).toBe(false);
  });

  it('fails closed when Redis dies, and recovers by itself with every revocation in force', async () => {
    const [a, b] = [await fleet(), await fleet()];
    await a.store.revokeToken('before-crash', hour());
    await within(1_000, async () => (await b.store.isRevoked(principalOf({ jti: 'before-crash' }))) === true);
    await redis.kill();
    await within(2_000, async () => (await answer(() => b.store.isRevoked(principalOf({ jti: 'x' })))) === 'ERR_TOKEN_SERVICE_UNAVAILABLE');
    expect(b.fleet.readiness()).toMatchObject({ ready: false, state: 'down' });
    expect(b.lines().some((l) => l.level === 50 && String(l.msg).startsWith('redis lost'))).toBe(true);
    // Made on a while Redis is away: a's own copy refuses it at once, the fleet learns it later.
    await expect(a.store.revokeToken('during-outage', hour())).rejects.toMatchObject({ code: 'ERR_REVOCATION_NOT_SHARED' });

    await redis.restart(); // empty: no persistence
    await within(5_000, () => a.fleet.readiness().ready && b.fleet.readiness().ready);
    for (const store of [a.store, b.store]) {
      await within(1_000, async () => (await store.isRevoked(principalOf({ jti: 'during-outage' }))) === true);
      expect(await store.isRevoked(principalOf({ jti: 'before-crash' }))).toBe(true);
      expect(await store.isRevoked(principalOf({ jti: 'fine' }))).toBe(false);
    }
    // Re-seeded: a third instance started now sees both from Redis alone.
    const c = await fleet();
    expect(await c.store.isRevoked(principalOf({ jti: 'before-crash' }))).toBe(true);
    expect(await c.store.isRevoked(principalOf({ jti: 'during-outage' }))).toBe(true);
  });

  it('REDIS_STALE_SECONDS: answers from the local copy for at most that long, loudly', async () => {
    const a = await fleet({ staleSeconds: 1 });
    await a.store.revokeToken('stale-revoked', hour());
    await redis.kill();
    await within(1_000, () => a.fleet.readiness().state === 'stale');
    expect(await a.store.isRevoked(principalOf({ jti: 'stale-revoked' }))).toBe(true);
    expect(await a.store.isRevoked(principalOf({ jti: 'stale-ok' }))).toBe(false);
    expect(a.lines().some((l) => l.level === 40 && String(l.msg).includes('(stale)'))).toBe(true);
    await within(2_000, async () => (await answer(() => a.store.isRevoked(principalOf({ jti: 'stale-ok' })))) === 'ERR_TOKEN_SERVICE_UNAVAILABLE');
    // A revoked token stays refused (401), never 503-then-admitted.
    expect(await a.store.isRevoked(principalOf({ jti: 'stale-revoked' }))).toBe(true);
    await redis.restart();
  });

  it('notices a Redis that stops answering without closing its sockets', async () => {
    const a = await fleet();
    redis.pause();
    try {
      await within(3_000, async () => (await answer(() => a.store.isRevoked(principalOf({ jti: 'p' })))) === 'ERR_TOKEN_SERVICE_UNAVAILABLE');
    } finally {
      redis.resume();
    }
    await within(5_000, () => a.fleet.readiness().ready);
    expect(await a.store.isRevoked(principalOf({ jti: 'p' }))).toBe(false);
  });

  it('refuses to open when Redis cannot be reached, naming REDIS_URL and never its password', async () => {
    const port = await freePort();
    const url = new URL(`redis://:hunter2@127.0.0.1:${port}/0`);
    const error = (await openFleet(url, { logger: recordingLogger().logger }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error).toMatchObject({ code: 'ERR_REDIS_UNAVAILABLE' });
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('hunter2');
  });
});
