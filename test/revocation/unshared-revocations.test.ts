import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openFleet, type Fleet } from '../../src/fleet/open-fleet.js';
import { principalOf, recordingLogger, within } from '../fleet/fleet-helpers.js';
import { HAS_REDIS_SERVER, startTestRedis, type TestRedis } from '../fleet/redis-server.js';

// A revocation Redis refuses while connected (here: out of memory under noeviction) must still
// reach the fleet once Redis accepts writes again, without anyone asking twice.
describe.skipIf(!HAS_REDIS_SERVER)('revocations Redis refused', () => {
  let redis: TestRedis;
  let admin: Redis;
  const open: Fleet[] = [];
  const fleet = async (options: { maxUnshared?: number } = {}) => {
    const f = await openFleet(new URL(redis.url), { logger: recordingLogger().logger, ...options });
    open.push(f);
    return f;
  };
  const hour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    redis = await startTestRedis();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    await admin.config('SET', 'maxmemory', '0');
    await Promise.all(open.splice(0).map((f) => f.close()));
    await admin.flushall();
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.close();
  });

  it('are re-sent until Redis accepts them, and then refused by every instance', async () => {
    const [a, b] = [await fleet(), await fleet()];
    await admin.config('SET', 'maxmemory', '1');
    await expect(a.revocation.revokeToken('refused-oom', hour())).rejects.toMatchObject({ code: 'ERR_REVOCATION_NOT_SHARED' });
    expect(await a.revocation.isRevoked(principalOf({ jti: 'refused-oom' }))).toBe(true);
    expect(await b.revocation.isRevoked(principalOf({ jti: 'refused-oom' }))).toBe(false);
    await admin.config('SET', 'maxmemory', '0');
    await within(3_000, async () => (await b.revocation.isRevoked(principalOf({ jti: 'refused-oom' }))) === true);
    expect(await admin.keys('gatepass:rev:t:*')).toHaveLength(1);
  });

  it('are bounded: when too many wait, a new revocation is refused (fail closed)', async () => {
    const a = await fleet({ maxUnshared: 1 });
    await admin.config('SET', 'maxmemory', '1');
    await expect(a.revocation.revokeToken('first', hour())).rejects.toMatchObject({ code: 'ERR_REVOCATION_NOT_SHARED' });
    await expect(a.revocation.revokeToken('second', hour())).rejects.toMatchObject({ code: 'ERR_REVOCATION_CAPACITY' });
    // Still refused here: applying it locally is never unsafe.
    expect(await a.revocation.isRevoked(principalOf({ jti: 'second' }))).toBe(true);
  });
});
