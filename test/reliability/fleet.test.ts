import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { startTestRedis, type TestRedis } from '../fleet/redis-server.js';
import { call, fleetEnv, query, report, runLoad, sleep, startInstance, stopAll, type Instance, type LoadCase } from './harness.js';

// Three real API processes sharing one real redis-server, against one real JWKS issuer.
let redis: TestRedis;
let issuer: TestIssuer;
let fleet: Instance[] = [];
let admin: string;
const revokedJtiTokens: string[] = [];
const revokedSubjectTokens: string[] = [];

const REVOKE_TOKEN = 'mutation($jti: ID!) { revokeToken(jti: $jti) }';
const REVOKE_SUBJECT = 'mutation($sub: ID!) { revokeSubject(sub: $sub) }';
const USERS = '{ users { name } }';
const bearer = (token: string) => [['authorization', `Bearer ${token}`]] as const;
const statusOf = async (instance: Instance, token: string) => (await query(instance, USERS, token)).status;

/** Polls every instance until `token` is refused; returns the slowest instance's ms. */
async function refusedEverywhere(instances: readonly Instance[], token: string, startedAt: number, timeoutMs: number): Promise<number> {
  const times = await Promise.all(
    instances.map(async (instance) => {
      while (performance.now() - startedAt < timeoutMs) {
        if ((await statusOf(instance, token)) === 401) return performance.now() - startedAt;
        await sleep(5);
      }
      return Number.POSITIVE_INFINITY;
    }),
  );
  return Math.max(...times);
}

beforeAll(async () => {
  [redis, issuer] = await Promise.all([startTestRedis(), startTestIssuer()]);
  fleet = await Promise.all([
    startInstance('api-1', fleetEnv(issuer, redis.url)),
    startInstance('api-2', fleetEnv(issuer, redis.url)),
    // The third tolerates a short Redis outage from its local copy (REDIS_STALE_SECONDS).
    startInstance('api-3', fleetEnv(issuer, redis.url, { REDIS_STALE_SECONDS: '2' })),
  ]);
  admin = await issuer.mint({ sub: 'ops', roles: ['admin'], scope: 'read:user' }, { ttlSeconds: 3_600 });
});

afterAll(async () => {
  await stopAll(fleet);
  await Promise.all([redis?.close(), issuer?.close()]);
});

describe('revocation across the fleet', () => {
  it('revoked through instance 1, refused on instances 2 and 3 within one second', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const token = await issuer.mint({ scope: 'read:user', jti: `prop-${i}` });
      for (const instance of fleet) expect(await statusOf(instance, token)).toBe(200); // cached everywhere
      const res = await query(fleet[0]!, REVOKE_TOKEN, admin, { jti: `prop-${i}` });
      const t0 = performance.now();
      expect(res.json).toEqual({ data: { revokeToken: true } });
      latencies.push(await refusedEverywhere(fleet.slice(1), token, t0, 1_000));
      revokedJtiTokens.push(token);
    }
    const victim = await issuer.mint({ sub: 'leaver', scope: 'read:user' });
    for (const instance of fleet) expect(await statusOf(instance, victim)).toBe(200);
    await sleep(5);
    expect((await query(fleet[0]!, REVOKE_SUBJECT, admin, { sub: 'leaver' })).json).toEqual({ data: { revokeSubject: true } });
    latencies.push(await refusedEverywhere(fleet.slice(1), victim, performance.now(), 1_000));
    revokedSubjectTokens.push(victim);
    report('propagation', { revocations: latencies.length, maxMs: Math.round(Math.max(...latencies)), all: latencies.map((ms) => Math.round(ms)) });
    expect(Math.max(...latencies)).toBeLessThanOrEqual(1_000);
  });
});

describe('a bounded load of mixed tokens against all three instances', () => {
  it('answers every request rightly', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = await Promise.all([1, 2, 3, 4].map((n) => issuer.mint({ sub: `u${n}`, scope: 'read:user' })));
    const noScope = await issuer.mint({ scope: 'read:post' });
    const expired = await issuer.mint({ scope: 'read:user', iat: now - 1_000, exp: now - 600 });
    const good = valid[0]!;
    const tampered = `${good.slice(0, -6)}${good.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    const cases: LoadCase[] = [
      ...valid.map((token, i) => ({ name: `valid-${i}`, headers: bearer(token), allowed: ['admitted'] as const })),
      { name: 'no-scope', headers: bearer(noScope), allowed: ['forbidden'] },
      { name: 'expired', headers: bearer(expired), allowed: ['401'] },
      { name: 'tampered', headers: bearer(tampered), allowed: ['401'] },
      { name: 'revoked-jti', headers: bearer(revokedJtiTokens[0]!), allowed: ['401'] },
      { name: 'revoked-subject', headers: bearer(revokedSubjectTokens[0]!), allowed: ['401'] },
      { name: 'malformed-header', headers: [['authorization', 'Bearer two parts']], allowed: ['400'] },
      { name: 'malformed-token', headers: bearer('not-a-jwt'), allowed: ['401'] },
    ];
    const result = await runLoad(fleet, cases, { count: 3_000, maxMs: 45_000, concurrency: 24 });
    report('mixed-load', { sent: result.sent, ms: result.ms, perSecond: Math.round((result.sent * 1000) / result.ms), counts: result.counts });
    expect(result.wrong).toEqual([]);
    expect(result.counts.other).toBe(0);
    expect(result.counts['503']).toBe(0);
    expect(result.counts.admitted).toBeGreaterThan(0);
    for (const outcome of ['forbidden', '400', '401'] as const) expect(result.counts[outcome]).toBeGreaterThan(0);
  });
});

describe('Redis killed mid-load and brought back', () => {
  it('admits nothing it should refuse, keeps every revocation, and recovers without restart', async () => {
    const valid = await issuer.mint({ sub: 'steady', scope: 'read:user' });
    const pids = fleet.map((i) => i.pid);
    const late = await issuer.mint({ sub: 'late', scope: 'read:user', jti: 'revoked-during-outage' });
    for (const instance of fleet) expect(await statusOf(instance, late)).toBe(200);
    const cases: LoadCase[] = [
      { name: 'valid', headers: bearer(valid), allowed: ['admitted', '503'] },
      ...revokedJtiTokens.map((token, i) => ({ name: `revoked-jti-${i}`, headers: bearer(token), allowed: ['401'] as const })),
      { name: 'revoked-subject', headers: bearer(revokedSubjectTokens[0]!), allowed: ['401'] },
    ];
    const events: Record<string, unknown> = {};
    const chaos = (async () => {
      await sleep(1_500);
      await redis.kill();
      const killedAt = performance.now();
      await sleep(300);
      // Within api-3's stale window: it takes the revocation locally, and says it is not shared.
      const outageRevoke = await query(fleet[2]!, REVOKE_TOKEN, admin, { jti: 'revoked-during-outage' });
      events.outageRevokeError = outageRevoke.json?.errors?.[0]?.message;
      const ready = await call(`${fleet[0]!.base}/readyz`, { method: 'GET' });
      events.readyzDuringOutage = { status: ready.status, redis: ready.json?.redis };
      await sleep(1_700);
      await redis.restart();
      events.outageMs = Math.round(performance.now() - killedAt);
      return performance.now();
    })();
    const result = await runLoad(fleet, cases, { count: 100_000, maxMs: 6_000, concurrency: 24 });
    const restartedAt = await chaos;
    // Recovery: every instance ready again and admitting the valid token.
    const recoveryMs = await (async () => {
      for (;;) {
        const states = await Promise.all(fleet.map(async (i) => (await call(`${i.base}/readyz`, { method: 'GET' })).status === 200 && (await statusOf(i, valid)) === 200));
        if (states.every(Boolean)) return performance.now() - restartedAt;
        if (performance.now() - restartedAt > 15_000) throw new Error('fleet did not recover');
        await sleep(50);
      }
    })();
    report('redis-outage', { sent: result.sent, counts: result.counts, perCase: { valid: result.perCase.valid }, outageMs: events.outageMs, recoveryMs: Math.round(recoveryMs) });
    expect(result.wrong).toEqual([]);
    expect(result.perCase.valid?.['503']).toBeGreaterThan(0); // the outage was noticed: fail closed
    expect(events.readyzDuringOutage).toMatchObject({ status: 503, redis: { ready: false, state: 'down' } });
    expect(events.outageRevokeError).toContain('could not be shared');
    // Every revocation in force, on every instance, including the one made during the outage.
    for (const instance of fleet) {
      for (const token of [...revokedJtiTokens, ...revokedSubjectTokens, late]) expect(await statusOf(instance, token)).toBe(401);
      expect(await statusOf(instance, valid)).toBe(200);
    }
    expect(fleet.map((i) => i.pid)).toEqual(pids);
    for (const instance of fleet) expect(instance.stdout()).toContain('redis recovered');
  });
});

describe('the key-set server stopped mid-load', () => {
  it('serves cached keys, answers 503 for unknown keys, and recovers when it returns', async () => {
    const oldKey = await issuer.mint({ scope: 'read:user' });
    for (const instance of fleet) expect(await statusOf(instance, oldKey)).toBe(200);
    await sleep(600); // past the refetch cooldown
    issuer.setAvailable(false);
    await issuer.rotate();
    const newKey = await issuer.mint({ scope: 'read:user' });
    const during = await runLoad(
      fleet,
      [
        { name: 'cached-key', headers: bearer(oldKey), allowed: ['admitted'] },
        { name: 'unknown-key', headers: bearer(newKey), allowed: ['503'] },
        { name: 'revoked', headers: bearer(revokedJtiTokens[0]!), allowed: ['401'] },
      ],
      { count: 3_000, maxMs: 3_000, concurrency: 24 },
    );
    const ready = await call(`${fleet[0]!.base}/readyz`, { method: 'GET' });
    issuer.setAvailable(true);
    const back = performance.now();
    for (const instance of fleet) {
      while ((await statusOf(instance, newKey)) !== 200) {
        if (performance.now() - back > 70_000) throw new Error(`${instance.name} did not recover its key set`);
        await sleep(100);
      }
    }
    const recoveryMs = Math.round(performance.now() - back);
    report('jwks-outage', { sent: during.sent, counts: during.counts, readyzDuringOutage: ready.status, recoveryMs });
    expect(during.wrong).toEqual([]);
    expect(during.perCase['unknown-key']?.['503']).toBeGreaterThan(0);
    expect(ready.json?.issuers?.[0]).toMatchObject({ issuer: issuer.issuer });
    for (const instance of fleet) expect(await statusOf(instance, oldKey)).toBe(200);
  });
});
