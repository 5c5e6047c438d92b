import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalRevocations } from '../../src/revocation/local-revocations.js';
import { closeRedisConnection, openRedisConnection } from '../../src/fleet/redis-connection.js';
import { createRedisRevocationStore } from '../../src/revocation/redis-store.js';
import { revocationId, revocationKeys, storeRecord, withMergeScript, type RevocationRecord } from '../../src/revocation/revocation-records.js';
import { createRevocationSync } from '../../src/revocation/revocation-sync.js';
import { createUnsharedRevocations } from '../../src/revocation/unshared-revocations.js';
import { answer, principalOf, recordingLogger, within } from '../fleet/fleet-helpers.js';
import { HAS_REDIS_SERVER, startTestRedis, type TestRedis } from '../fleet/redis-server.js';

// One sync on real connections, built by hand so a test can stall Redis, break a command, or
// move the sync's clock past the periodic reload.
describe.skipIf(!HAS_REDIS_SERVER)('reloading the revocation list', () => {
  let redis: TestRedis;
  let admin: Redis;
  const cleanup: Array<() => unknown> = [];
  const keys = revocationKeys('reload:');
  const token = (jti: string): RevocationRecord => ({ kind: 't', id: revocationId('t', jti), nbfMs: undefined, untilMs: Date.now() + 3_600_000 });

  const instance = async (options: { maxReload?: number } = {}) => {
    const url = new URL(redis.url);
    const command = withMergeScript(await openRedisConnection(url, { name: 'test:cmd' }));
    const subscriber = await openRedisConnection(url, { name: 'test:sub' });
    const { logger } = recordingLogger();
    const local = new LocalRevocations();
    let offsetMs = 0;
    const sync = createRevocationSync({
      command, subscriber, local, keys, logger, staleMs: 0, maxReload: options.maxReload ?? 1_000, tickMs: 50, now: () => Date.now() + offsetMs,
    });
    const unshared = createUnsharedRevocations({ send: (r) => storeRecord(command, keys, r, Date.now()), logger });
    cleanup.push(() => unshared.close(), () => sync.close(), () => closeRedisConnection(command), () => closeRedisConnection(subscriber));
    const store = createRedisRevocationStore({ command, keys, local, sync, unshared, logger });
    return { command, local, sync, store, advance: (ms: number) => (offsetMs += ms) };
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    redis.resume();
    for (const step of cleanup.splice(0)) await step();
    await admin.flushall();
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.close();
  });

  it('a read that times out mid-reload (Redis stalled 1.3 s) leaves the copy not synced until a good reload', async () => {
    await storeRecord(withMergeScript(admin), keys, token('victim'), Date.now());
    const a = await instance();
    // Stall Redis just as the HMGET pipeline goes out: each HMGET times out after 1 s.
    const pipeline = a.command.pipeline.bind(a.command);
    let stalls = 1;
    a.command.pipeline = ((...args: Parameters<typeof pipeline>) => {
      const p = pipeline(...args);
      const exec = p.exec.bind(p);
      p.exec = ((...execArgs: Parameters<typeof exec>) => {
        if (stalls-- > 0) {
          redis.pause();
          setTimeout(() => redis.resume(), 1_300);
        }
        return exec(...execArgs);
      }) as typeof p.exec;
      return p;
    }) as typeof a.command.pipeline;

    await expect(a.sync.start()).rejects.toThrow();
    expect(a.sync.status()).toMatchObject({ state: 'down', complete: false });
    // Never "not revoked": 503 until the list is read whole.
    expect(await answer(() => a.store.isRevoked(principalOf({ jti: 'victim' })))).toBe('ERR_TOKEN_SERVICE_UNAVAILABLE');
    await within(5_000, () => a.sync.health() === 'synced');
    expect(await a.store.isRevoked(principalOf({ jti: 'victim' }))).toBe(true);
    expect(a.local.complete).toBe(true);
  });

  it('a key of ours that does not decode marks the copy incomplete, never skipped as absent', async () => {
    await storeRecord(withMergeScript(admin), keys, token('kept'), Date.now());
    await admin.hset(`${keys.prefix}rev:t:not-a-hash-id`, 'until', String(Date.now() + 60_000));
    await admin.set(keys.key('t', revocationId('t', 'wrong-type')), 'x');
    const a = await instance();
    await a.sync.start();
    expect(a.sync.status()).toMatchObject({ state: 'synced', complete: false });
    expect(await a.store.isRevoked(principalOf({ jti: 'kept' }))).toBe(true);
    // A miss is asked of Redis: the key that cannot be read answers 503, not "not revoked".
    expect(await answer(() => a.store.isRevoked(principalOf({ jti: 'wrong-type' })))).toBe('ERR_TOKEN_SERVICE_UNAVAILABLE');
  });

  it('a truncated reload does not write the local copy back to Redis', async () => {
    const script = withMergeScript(admin);
    for (const jti of ['r1', 'r2', 'r3']) await storeRecord(script, keys, token(jti), Date.now());
    const a = await instance({ maxReload: 2 });
    // Held here, not among what the truncated scan read (as beyond the bound on a large list).
    const onlyHere = token('only-here');
    a.local.apply(onlyHere);
    await a.sync.start();
    expect(a.sync.status()).toMatchObject({ state: 'synced', complete: false });
    expect(await admin.exists(keys.key('t', onlyHere.id))).toBe(0);
  });

  it('a periodic reload that keeps failing makes the instance lose "synced"', async () => {
    const script = withMergeScript(admin);
    for (const jti of ['p1', 'p2']) await storeRecord(script, keys, token(jti), Date.now());
    const a = await instance({ maxReload: 1 }); // incomplete: reloaded every 30 s
    await a.sync.start();
    expect(a.sync.status()).toMatchObject({ state: 'synced', complete: false });
    const scan = a.command.scan.bind(a.command);
    a.command.scan = (() => Promise.reject(new Error('injected: scan refused'))) as unknown as typeof a.command.scan;
    a.advance(31_000);
    await within(3_000, () => a.sync.health() !== 'synced');
    a.command.scan = scan;
    await within(3_000, () => a.sync.health() === 'synced');
  });
});
