import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { freePort, startTestRedis, type TestRedis } from '../fleet/redis-server.js';
import { call, fleetEnv, report, runLoad, sleep, spawnServer, startInstance, stopAll, type Instance } from './harness.js';

let redis: TestRedis;
let issuer: TestIssuer;
beforeAll(async () => {
  [redis, issuer] = await Promise.all([startTestRedis(), startTestIssuer()]);
});
afterAll(async () => Promise.all([redis?.close(), issuer?.close()]));

describe('starting without Redis', () => {
  it('refuses to start, naming REDIS_URL, with a non-zero exit', async () => {
    const port = await freePort();
    const started = spawnServer(fleetEnv(issuer, `redis://:secret@127.0.0.1:${port}/0`));
    expect(await started.exit).toBe(69);
    expect(started.stderr()).toContain('REDIS_URL: cannot reach Redis at redis://127.0.0.1:');
    expect(started.stderr()).toContain('Fix:');
    expect(started.stderr() + started.stdout()).not.toContain('secret');
  });
});

describe('graceful shutdown under load', () => {
  let api: Instance | undefined;
  afterAll(async () => stopAll(api ? [api] : []));

  it('SIGTERM finishes in-flight requests, refuses new ones, closes Redis and exits 0', async () => {
    api = await startInstance('drain', fleetEnv(issuer, redis.url));
    const token = await issuer.mint({ scope: 'read:user' });
    const monitor = new Redis(redis.url);
    const ours = async () => (await monitor.client('LIST') as string).split('\n').filter((l) => l.includes(`name=gatepass:${api!.pid}:`)).length;
    expect(await ours()).toBe(4); // revocation command + subscriber, events publisher + subscriber

    // An in-flight request: headers and half the body sent before SIGTERM, the rest after.
    const body = '{"query":"{ users { name } }"}';
    const port = Number(new URL(api.base).port);
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    const replied = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body.slice(0, 10)}`);

    for (let i = 0; i < 20; i++) expect((await call(api.graphql, { headers: [['content-type', 'application/json'], ['authorization', `Bearer ${token}`]], body })).status).toBe(200);
    const load = runLoad([api], [{ name: 'valid', headers: [['authorization', `Bearer ${token}`]], allowed: ['admitted'] }], { count: 100_000, maxMs: 2_500, concurrency: 16 });
    await sleep(700);
    const signalledAt = performance.now();
    api.signal('SIGTERM');
    // New connections are refused once the listener closes (bounded wait for the signal to land).
    let refused = await call(api.graphql, { headers: [['content-type', 'application/json']], body });
    while (refused.error !== 'ECONNREFUSED' && performance.now() - signalledAt < 3_000) {
      await sleep(20);
      refused = await call(api.graphql, { headers: [['content-type', 'application/json']], body });
    }
    const refusingAfterMs = Math.round(performance.now() - signalledAt);
    socket.end(body.slice(10));
    await replied;
    const code = await api.exit;
    const exitMs = Math.round(performance.now() - signalledAt);
    const result = await load;
    // Refused: no connection (listener closed), or a connection accepted by the kernel whose
    // request Node had not yet read, closed unanswered by the drain. Never a wrong answer.
    const isRefusal = (w: { error?: string }) => w.error === 'ECONNREFUSED' || w.error === 'ECONNRESET';
    const refusedAfterStop = result.wrong.filter(isRefusal).length;
    report('graceful-shutdown', { loadSent: result.sent, admitted: result.counts.admitted, refusedAfterStop, refusingAfterMs, exitMs });

    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('"users"');
    expect(refused.error).toBe('ECONNREFUSED');
    expect(code).toBe(0);
    // Every load request either completed rightly or was refused unanswered once draining began.
    expect(result.wrong.filter((w) => !isRefusal(w))).toEqual([]);
    expect(result.wrong.every((w) => w.atMs >= 690)).toBe(true);
    expect(result.counts.admitted).toBeGreaterThan(0);
    expect(await ours()).toBe(0);
    expect(api.stdout()).not.toContain(token);
    monitor.disconnect();
    api = undefined;
  });
});
