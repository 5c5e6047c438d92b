/**
 * Subscribers under the fleet's mixed load and a Redis fault: three real API processes, a real
 * redis-server, a real issuer. Events are published on instance 1 while subscribers hold sockets
 * on instances 2 and 3 with valid, soon-expiring and soon-revoked tokens, and Redis pauses in the
 * middle. No subscriber receives an event after its token's deadline (exp + tolerance, or the
 * revocation's answer + one second); valid and anonymous subscribers keep receiving events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTestRedis, type TestRedis } from '../fleet/redis-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { connectWs, type TestWsClient } from '../helpers/ws-client.js';
import { fleetEnv, query, report, sleep, startInstance, stopAll, type Instance } from './harness.js';

let redis: TestRedis;
let issuer: TestIssuer;
let fleet: Instance[] = [];

beforeAll(async () => {
  [redis, issuer] = await Promise.all([startTestRedis(), startTestIssuer()]);
  const env = () => fleetEnv(issuer, redis.url, { AUTH_CLOCK_TOLERANCE: '0', REDIS_STALE_SECONDS: '5' });
  fleet = await Promise.all([startInstance('api-1', env()), startInstance('api-2', env()), startInstance('api-3', env())]);
});

afterAll(async () => {
  await stopAll(fleet);
  await Promise.all([redis?.close(), issuer?.close()]);
});

interface Watched {
  readonly kind: 'valid' | 'anonymous' | 'expiring' | 'revoked';
  readonly ws: TestWsClient;
  /** Arrival times (Date.now()) of each event. */
  readonly arrivals: number[];
  deadlineMs: number;
}

describe('subscribers under load and a Redis pause', () => {
  it('never receive an event after their token is expired or revoked', async () => {
    const writer = await issuer.mint({ sub: 'u2', scope: 'write:post' }, { ttlSeconds: 3_600 });
    const admin = await issuer.mint({ sub: 'ops', roles: ['admin'] }, { ttlSeconds: 3_600 });
    // Every instance has its key set and its revocation list before the first socket connects.
    for (const instance of fleet) {
      const deadline = Date.now() + 10_000;
      while ((await query(instance, '{ posts { id } }', writer)).status !== 200 && Date.now() < deadline) await sleep(50);
    }
    const watched: Watched[] = [];
    const watch = async (kind: Watched['kind'], instance: Instance, claims?: Record<string, unknown>, ttlSeconds = 3_600) => {
      const token = claims ? await issuer.mint(claims, { ttlSeconds }) : undefined;
      const ws = connectWs(instance.graphql, token ? { Authorization: `Bearer ${token}` } : undefined);
      const entry: Watched = { kind, ws, arrivals: [], deadlineMs: kind === 'expiring' ? decodeJwt(token!).exp! * 1000 : Number.POSITIVE_INFINITY };
      const sub = ws.subscribe('subscription { postAdded { title author { name } } }');
      const seen = sub.events;
      const timer = setInterval(() => {
        while (entry.arrivals.length < seen.length) entry.arrivals.push(Date.now());
      }, 2);
      void ws.closed.then(() => clearInterval(timer));
      watched.push(entry);
    };
    for (const instance of fleet.slice(1)) {
      await watch('valid', instance, { sub: 'u1', scope: 'read:user' });
      await watch('anonymous', instance);
      await watch('expiring', instance, { sub: 'u1', scope: 'read:user' }, 3);
      await watch('revoked', instance, { sub: 'u1', scope: 'read:user', jti: `rel-${instance.name}` });
    }
    await Promise.all(watched.map((w) => w.ws.connected));
    await sleep(300);

    // Bounded load: at most 120 posts on instance 1, at most 8 s.
    const started = Date.now();
    let published = 0;
    let paused = false;
    let revoked = false;
    while (published < 120 && Date.now() - started < 8_000) {
      const elapsed = Date.now() - started;
      if (!revoked && elapsed > 1_500) {
        for (const instance of fleet.slice(1)) {
          const res = await query(fleet[0]!, 'mutation($jti: ID!) { revokeToken(jti: $jti) }', admin, { jti: `rel-${instance.name}` });
          expect(res.json).toEqual({ data: { revokeToken: true } });
        }
        const answeredAt = Date.now();
        for (const w of watched) if (w.kind === 'revoked') w.deadlineMs = answeredAt + 1_000;
        revoked = true;
      }
      // Redis stops answering for 1.5 s: the expiry timers do not depend on it.
      if (!paused && elapsed > 2_500) {
        redis.pause();
        paused = true;
        setTimeout(() => redis.resume(), 1_500);
      }
      await query(fleet[0]!, 'mutation { createPost(title: "load", body: "b") { id } }', writer);
      published++;
      await sleep(40);
    }
    await sleep(500);

    const late = watched.filter((w) => w.arrivals.some((at) => at > w.deadlineMs));
    // First, so that a socket never closed fails here, not by the test's timeout below.
    expect(late.map((w) => w.kind)).toEqual([]);
    const byKind = (kind: Watched['kind']) => watched.filter((w) => w.kind === kind);
    const closes = await Promise.all([...byKind('expiring'), ...byKind('revoked')].map(async (w) => ({ kind: w.kind, ...(await w.ws.closed) })));
    report('subscribers', {
      published,
      events: Object.fromEntries(watched.map((w, i) => [`${w.kind}-${i}`, w.arrivals.length])),
      closes: closes.map((c) => `${c.kind}:${c.code}`),
    });
    expect(closes.map((c) => [c.kind, c.code, c.reason]).sort()).toEqual([
      ['expiring', 4401, 'token expired'], ['expiring', 4401, 'token expired'],
      ['revoked', 4401, 'token was revoked'], ['revoked', 4401, 'token was revoked'],
    ]);
    // Those still entitled kept receiving events to the end (events published while Redis was
    // paused are lost: pub/sub keeps no history).
    for (const w of [...byKind('valid'), ...byKind('anonymous')]) expect(w.arrivals.length).toBeGreaterThan(published / 2);
    await Promise.all(watched.map((w) => w.ws.dispose()));
  });
});
